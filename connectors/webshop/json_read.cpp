#include "json_read.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <charconv>
#include <cmath>
#include <sstream>

#include "shop_order.h"

namespace salescore::webshop {
namespace {

Poco::Dynamic::Var parse_any(const std::string& text, const std::string& what) {
  try {
    Poco::JSON::Parser parser;
    return parser.parse(text);
  } catch (const Poco::Exception& e) {
    throw ShopDataError(what + ": not JSON (" + e.displayText() + ")");
  }
}

std::string shortest(double v) {
  if (!std::isfinite(v)) return "";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return "";
  std::string s(buf, end);
  // to_chars may answer 1e+21 for huge values; an amount that large is not an amount.
  if (s.find('e') != std::string::npos) return "";
  return s;
}

bool digits(const std::string& s, std::size_t at, std::size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

}  // namespace

JsonObject parse_object(const std::string& text, const std::string& what) {
  auto v = parse_any(text, what);
  if (v.type() != typeid(Poco::JSON::Object::Ptr)) throw ShopDataError(what + ": not a JSON object");
  return v.extract<Poco::JSON::Object::Ptr>();
}

JsonArray parse_array(const std::string& text, const std::string& what) {
  auto v = parse_any(text, what);
  if (v.type() != typeid(Poco::JSON::Array::Ptr)) throw ShopDataError(what + ": not a JSON array");
  return v.extract<Poco::JSON::Array::Ptr>();
}

JsonObject object_at(const JsonObject& o, const std::string& key) {
  if (!o || !o->has(key) || !o->isObject(key)) return nullptr;
  return o->getObject(key);
}

JsonArray array_at(const JsonObject& o, const std::string& key) {
  if (!o || !o->has(key) || !o->isArray(key)) return nullptr;
  return o->getArray(key);
}

JsonObject object_in(const JsonArray& a, unsigned i) {
  if (!a || i >= a->size() || !a->isObject(i)) return nullptr;
  return a->getObject(i);
}

std::string text_at(const JsonObject& o, const std::string& key) {
  if (!o || !o->has(key)) return "";
  const Poco::Dynamic::Var& v = o->get(key);
  if (v.isEmpty()) return "";
  if (v.isString()) return v.extract<std::string>();
  if (v.isBoolean()) return v.extract<bool>() ? "true" : "false";
  try {
    if (v.isInteger()) return v.convert<std::string>();
    if (v.isNumeric()) return shortest(v.convert<double>());
  } catch (const Poco::Exception&) {
  }
  return "";
}

std::string text_or(const JsonObject& o, const std::string& key, const std::string& fallback) {
  std::string t = text_at(o, key);
  return t.empty() ? fallback : t;
}

std::string required_text(const JsonObject& o, const std::string& key, const std::string& what) {
  std::string t = text_at(o, key);
  if (t.empty()) throw ShopDataError(what + ": no " + key);
  return t;
}

std::optional<std::int64_t> iso_ms(const std::string& s) {
  int y, mo, d, h, mi, se;
  if (s.size() < 19 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != ' ') || !digits(s, 11, 2, h) || s[13] != ':' ||
      !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, se))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
  std::size_t at = 19;
  std::int64_t ms = 0;
  if (at < s.size() && s[at] == '.') {
    std::int64_t scale = 100;
    for (++at; at < s.size() && s[at] >= '0' && s[at] <= '9'; ++at, scale /= 10) ms += (s[at] - '0') * scale;
  }
  std::int64_t offset_min = 0;
  if (at < s.size()) {
    if (s[at] == 'Z' && at + 1 == s.size()) {
    } else if ((s[at] == '+' || s[at] == '-') && s.size() == at + 6 && s[at + 3] == ':') {
      int oh, om;
      if (!digits(s, at + 1, 2, oh) || !digits(s, at + 4, 2, om)) return std::nullopt;
      offset_min = (s[at] == '-' ? -1 : 1) * (oh * 60 + om);
    } else {
      return std::nullopt;
    }
  }
  const std::int64_t seconds = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset_min * 60;
  return seconds * 1000 + ms;
}

std::string iso_text(std::int64_t ms, bool naive) {
  std::int64_t secs = ms / 1000 - (ms % 1000 < 0 ? 1 : 0);
  std::int64_t days = secs / 86400 - (secs % 86400 < 0 ? 1 : 0);
  std::int64_t rem = secs - days * 86400;
  // civil_from_days (H. Hinnant)
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp + (mp < 10 ? 3 : -9);
  y += m <= 2;
  char buf[128];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%s", static_cast<int>(y % 10000),
                static_cast<int>(m), static_cast<int>(d), static_cast<int>(rem / 3600 % 24),
                static_cast<int>(rem / 60 % 60), static_cast<int>(rem % 60), naive ? "" : "Z");
  return buf;
}

std::optional<std::int64_t> micro_units(const std::string& text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  std::int64_t whole = 0, frac = 0, scale = 100000;
  bool any = false;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, any = true) {
    if (whole > 900000000000LL) return std::nullopt;  // beyond any order's amount
    whole = whole * 10 + (text[i] - '0');
  }
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, any = true) {
      if (scale > 0) frac += (text[i] - '0') * scale;
      scale /= 10;
    }
  }
  if (!any || i != text.size()) return std::nullopt;
  const std::int64_t v = whole * 1000000 + frac;
  return negative ? -v : v;
}

std::string micro_text(std::int64_t micro) {
  const bool negative = micro < 0;
  const std::uint64_t a = negative ? 0 - static_cast<std::uint64_t>(micro) : static_cast<std::uint64_t>(micro);
  std::string frac = std::to_string(a % 1000000);
  frac.insert(0, 6 - frac.size(), '0');
  while (frac.size() > 2 && frac.back() == '0') frac.pop_back();
  return (negative ? "-" : "") + std::to_string(a / 1000000) + "." + frac;
}

std::string base64(const std::string& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder enc(out);
  enc.rdbuf()->setLineLength(0);
  enc << bytes;
  enc.close();
  return out.str();
}

std::string url_escape(const std::string& value) {
  std::string out;
  Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]<>\"{}|\\^`% ", out);
  return out;
}

}  // namespace salescore::webshop
