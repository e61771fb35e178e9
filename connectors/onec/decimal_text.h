// Decimal numbers as 1C writes them ("12", "12.5", "12,500", "-3"), read into
// thousandths without going through a double, so stock sums stay exact.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace salescore::onec {

// False for anything but an optional sign, digits and one '.' or ',' with up to three
// decimals after it (more are refused rather than rounded: stock is counted, not measured).
bool parse_milli(std::string_view text, std::int64_t& milli);
std::string format_milli(std::int64_t milli);

}  // namespace salescore::onec
