#include "model/contact_points.h"

#include <Poco/UTF8String.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <unordered_map>

namespace salescore {

namespace {

Result<std::string> parse_phone(std::string_view raw, const std::string& default_region) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
  std::string input(raw);
  if (input.find_first_of("0123456789") == std::string::npos)
    return Status::invalid("'" + input + "' is not a phone number: no digits");
  PhoneNumber number;
  auto err = util->Parse(input, default_region, &number);
  if (err != PhoneNumberUtil::NO_PARSING_ERROR)
    return Status::invalid("'" + input + "' is not a phone number");
  if (!util->IsValidNumber(number))
    return Status::invalid("'" + input + "' is not a valid phone number for region " +
                           (input.starts_with("+") ? std::string("of its country code") : default_region));
  std::string e164;
  util->Format(number, PhoneNumberUtil::E164, &e164);
  return e164;
}

// libphonenumber's parse runs ICU regular expressions: a tenth of a web shop's ingest
// (bench/RESULTS.md, webshop) went into reading the same buyers' numbers again (matching,
// then saving the client, order after order). The answer depends only on the text and
// the region, so the last few thousand are remembered, refusals included. Bounded:
// emptied whole when full, which costs a re-parse, never a wrong answer.
class PhoneCache {
 public:
  Result<std::string> normalize(std::string_view raw, const std::string& region) {
    std::string key = region;
    key += '\x1f';
    key.append(raw);
    {
      std::lock_guard lock(mutex_);
      if (auto it = known_.find(key); it != known_.end())
        return it->second.ok ? Result<std::string>(it->second.text) : Result<std::string>(Status::invalid(it->second.text));
    }
    Result<std::string> parsed = parse_phone(raw, region);
    Known known{parsed.ok(), parsed.ok() ? *parsed : parsed.status().message()};
    std::lock_guard lock(mutex_);
    if (known_.size() >= kEntries) known_.clear();
    known_.emplace(std::move(key), std::move(known));
    return parsed;
  }

 private:
  static constexpr std::size_t kEntries = 8192;
  struct Known {
    bool ok;
    std::string text;  // the E.164 number, or why it is none
  };
  std::mutex mutex_;
  std::unordered_map<std::string, Known> known_;
};

}  // namespace

Result<std::string> normalize_phone(std::string_view raw, const std::string& default_region) {
  static PhoneCache cache;
  return cache.normalize(raw, default_region);
}

Result<std::string> normalize_email(std::string_view raw) {
  std::size_t b = 0, e = raw.size();
  while (b < e && std::isspace(static_cast<unsigned char>(raw[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(raw[e - 1]))) --e;
  std::string email = Poco::UTF8::toLower(std::string(raw.substr(b, e - b)));
  auto at = email.find('@');
  auto bad = [&] { return Status::invalid("'" + std::string(raw) + "' is not an e-mail address"); };
  if (at == std::string::npos || at == 0 || email.find('@', at + 1) != std::string::npos) return bad();
  auto dot = email.rfind('.');
  if (dot == std::string::npos || dot < at + 2 || dot + 2 > email.size()) return bad();
  for (char c : email)
    if (std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == ';' || c == '<' || c == '>')
      return bad();
  return email;
}

namespace {
int check_digit(std::string_view digits, std::initializer_list<int> weights) {
  int sum = 0, i = 0;
  for (int w : weights) sum += w * (digits[i++] - '0');
  return sum % 11 % 10;
}
}  // namespace

Status validate_inn(std::string_view inn) {
  if (!std::all_of(inn.begin(), inn.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      (inn.size() != 10 && inn.size() != 12))
    return Status::invalid("INN '" + std::string(inn) + "' must be 10 digits (company) or 12 (individual)");
  bool ok;
  if (inn.size() == 10) {
    ok = check_digit(inn, {2, 4, 10, 3, 5, 9, 4, 6, 8}) == inn[9] - '0';
  } else {
    ok = check_digit(inn, {7, 2, 4, 10, 3, 5, 9, 4, 6, 8}) == inn[10] - '0' &&
         check_digit(inn, {3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}) == inn[11] - '0';
  }
  if (!ok) return Status::invalid("INN '" + std::string(inn) + "' has a wrong check digit");
  return Status::ok();
}

Status validate_kpp(std::string_view kpp) {
  bool ok = kpp.size() == 9;
  for (std::size_t i = 0; ok && i < kpp.size(); ++i) {
    char c = kpp[i];
    bool digit = c >= '0' && c <= '9';
    bool letter = c >= 'A' && c <= 'Z';
    ok = digit || ((i == 4 || i == 5) && letter);
  }
  if (!ok) return Status::invalid("KPP '" + std::string(kpp) + "' must be 9 characters: digits, Latin capitals allowed in positions 5-6");
  return Status::ok();
}

std::string search_key(std::string_view text) {
  // ASCII and the basic Cyrillic letters (U+0400-U+045F), which are most names here,
  // lowered in place as Poco lowers them; any other text goes through Poco, whose
  // converter cost a 1C catalog import several percent of its time (bench/run onec).
  std::string out(text);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto c = static_cast<unsigned char>(out[i]);
    if (c < 0x80) {
      if (c >= 'A' && c <= 'Z') out[i] = static_cast<char>(c + ('a' - 'A'));
      continue;
    }
    const auto d = i + 1 < out.size() ? static_cast<unsigned char>(out[i + 1]) : 0;
    if (c == 0xD0 && d >= 0x80 && d <= 0xBF) {
      if (d <= 0x8F) {  // Ѐ-Џ (U+0400-U+040F) -> ѐ-џ (U+0450-U+045F)
        out[i] = static_cast<char>(0xD1);
        out[i + 1] = static_cast<char>(d + 0x10);
      } else if (d <= 0x9F) {  // А-П (U+0410-U+041F) -> а-п (U+0430-U+043F)
        out[i + 1] = static_cast<char>(d + 0x20);
      } else if (d <= 0xAF) {  // Р-Я (U+0420-U+042F) -> р-я (U+0440-U+044F)
        out[i] = static_cast<char>(0xD1);
        out[i + 1] = static_cast<char>(d - 0x20);
      }  // а-п (U+0430-U+043F) stay
      ++i;
      continue;
    }
    if (c == 0xD1 && d >= 0x80 && d <= 0x9F) {  // р-я, ѐ-џ (U+0440-U+045F) stay
      ++i;
      continue;
    }
    return Poco::UTF8::toLower(std::string(text));
  }
  return out;
}

}  // namespace salescore
