#include "decimal_text.h"

#include <algorithm>
#include <cstdint>

namespace salescore::onec {

bool parse_milli(std::string_view text, std::int64_t& milli) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  std::int64_t whole = 0;
  int digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
    if (whole > (INT64_MAX / 1000 - 9) / 10) return false;
    whole = whole * 10 + (text[i] - '0');
  }
  std::int64_t fraction = 0;
  int decimals = 0;
  if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (++decimals > 3) {
        if (text[i] != '0') return false;  // "1.2500" is fine, "1.2501" is not
        continue;
      }
      fraction = fraction * 10 + (text[i] - '0');
    }
  }
  if (i != text.size() || (digits == 0 && decimals == 0)) return false;
  for (int d = std::min(decimals, 3); d < 3; ++d) fraction *= 10;
  milli = whole * 1000 + fraction;
  if (negative) milli = -milli;
  return true;
}

std::string format_milli(std::int64_t milli) {
  std::string sign = milli < 0 ? "-" : "";
  std::uint64_t v = milli < 0 ? static_cast<std::uint64_t>(-(milli + 1)) + 1 : static_cast<std::uint64_t>(milli);
  std::string out = sign + std::to_string(v / 1000);
  if (std::uint64_t f = v % 1000) {
    std::string frac = std::to_string(f);
    frac.insert(0, 3 - frac.size(), '0');
    while (frac.back() == '0') frac.pop_back();
    out += "." + frac;
  }
  return out;
}

}  // namespace salescore::onec
