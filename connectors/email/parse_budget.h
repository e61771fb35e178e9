// Parsing untrusted mail with a time budget. The size is budgeted before (size_cap: a
// larger message is fetched as its header only); the time here: a page of messages is
// parsed in order on a worker thread, and one that takes longer than the budget (a
// decoder loop of a library bug, a pathological MIME tree) becomes a dead letter saying
// so while the rest of the page goes to a new worker. A thread cannot be killed, so the
// stuck worker is left behind: it shares the page's bytes and ends when GMime does; each
// message given up is logged. One worker a page, not one a message: a thread started and
// waited for per message cost more than the parse itself (bench/RESULTS.md).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "parsed_mail.h"

namespace salescore::email {

struct BudgetedParse {
  std::optional<ParsedMail> mail;
  std::string error;       // why there is no mail
  bool over_budget = false;
};

using MailParser = std::function<std::optional<ParsedMail>(const std::string& raw, std::string& error,
                                                           std::uint64_t keep_bytes)>;

// parse_mail of each of `raws`, in order, each within `budget_ms`; attachments up to
// `keep_bytes` keep their content. `parser` stands in for parse_mail in tests.
std::vector<BudgetedParse> parse_page_within(std::vector<std::string> raws, int budget_ms, std::uint64_t keep_bytes,
                                             const MailParser& parser = parse_mail);
// The same for one message.
BudgetedParse parse_within(const std::string& raw, int budget_ms, std::uint64_t keep_bytes,
                           const MailParser& parser = parse_mail);

}  // namespace salescore::email
