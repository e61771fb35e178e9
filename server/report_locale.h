// The languages reports speak: labels, and numbers and dates as each locale writes them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "salescore/status.h"

namespace salescore::cli {

enum class Lang { kRu, kEn, kZh, kBg };
// "ru", "en", "zh", "bg"; the error names `lang`.
Result<Lang> parse_lang(std::string_view code);
const char* lang_code(Lang lang);

// The label of `key` ("calls", "revenue", "title.daily", ...) in `lang`; the key itself
// when unknown, so a missing translation shows rather than vanishes.
std::string label(Lang lang, std::string_view key);

// 123456789 minor units: "1 234 567,89" (ru, bg: non-breaking spaces and a comma),
// "1,234,567.89" (en, zh).
std::string format_money(Lang lang, std::int64_t minor);
std::string format_count(Lang lang, std::int64_t n);
// Basis points as a percent with one decimal ("85,1 %", "85.1%"); "—" when undefined.
std::string format_percent(Lang lang, std::optional<std::int64_t> bp);
// A day number: "05.10.2026" (ru), "05.10.2026 г." (bg), "5 Oct 2026" (en), "2026年10月5日" (zh).
std::string format_date(Lang lang, std::int64_t day);

}  // namespace salescore::cli
