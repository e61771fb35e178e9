// Parsing untrusted mail with a time budget. The size is budgeted before (size_cap: a
// larger message is fetched as its header only); the time here: each message is parsed
// on a worker thread, and one that takes longer than the budget (a decoder loop of a
// library bug, a pathological MIME tree) becomes a dead letter saying so while the sync
// goes on. A thread cannot be killed, so the worker is left behind: it owns its copy of
// the bytes and ends when GMime does; each one left is logged.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "parsed_mail.h"

namespace salescore::email {

struct BudgetedParse {
  std::optional<ParsedMail> mail;
  std::string error;       // why there is no mail
  bool over_budget = false;
};

using MailParser = std::function<std::optional<ParsedMail>(const std::string& raw, std::string& error,
                                                           std::uint64_t keep_bytes)>;

// parse_mail(raw) within `budget_ms`; attachments up to `keep_bytes` keep their content.
// `parser` stands in for parse_mail in tests.
BudgetedParse parse_within(const std::string& raw, int budget_ms, std::uint64_t keep_bytes,
                           const MailParser& parser = parse_mail);

}  // namespace salescore::email
