#include "demo_requisites.h"

#include <array>
#include <cstdio>

namespace salescore::cli {
namespace {

// The check digit: weighted sum of the preceding digits, mod 11, mod 10.
template <std::size_t N>
char check_digit(const std::string& digits, const std::array<int, N>& weights) {
  int sum = 0;
  for (std::size_t i = 0; i < N; ++i) sum += (digits[i] - '0') * weights[i];
  return static_cast<char>('0' + sum % 11 % 10);
}

constexpr std::array<int, 9> kCompanyWeights = {2, 4, 10, 3, 5, 9, 4, 6, 8};
constexpr std::array<int, 10> kPersonWeights11 = {7, 2, 4, 10, 3, 5, 9, 4, 6, 8};
constexpr std::array<int, 11> kPersonWeights12 = {3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8};

// Mobile operators' codes; all of them in libphonenumber's Russian mobile range.
constexpr std::array<std::string_view, 24> kMobileCodes = {"903", "905", "906", "909", "910", "912", "915", "916",
                                                           "917", "919", "921", "922", "925", "926", "929", "937",
                                                           "950", "951", "952", "960", "961", "977", "985", "999"};

std::string format_phone(std::string_view area, int local) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "+7 (%.*s) %03d-%02d-%02d", static_cast<int>(area.size()), area.data(), local / 10000,
                local / 100 % 100, local % 100);
  return buf;
}

}  // namespace

std::string company_inn(int region, int tax_office, std::uint32_t record) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d%02d%05u", region % 100, tax_office % 100, record % 100000);
  std::string inn = buf;
  inn += check_digit(inn, kCompanyWeights);
  return inn;
}

std::string person_inn(int region, int tax_office, std::uint32_t record) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d%02d%06u", region % 100, tax_office % 100, record % 1000000);
  std::string inn = buf;
  inn += check_digit(inn, kPersonWeights11);
  inn += check_digit(inn, kPersonWeights12);
  return inn;
}

std::string company_kpp(int region, int tax_office) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d%02d01001", region % 100, tax_office % 100);
  return buf;
}

std::string landline_phone(std::string_view area_code, DemoRandom& random) {
  // Local numbers start with 2..9: a leading 0 or 1 is a service prefix.
  return format_phone(area_code, static_cast<int>(random.between(2000000, 9999999)));
}

std::string mobile_phone(DemoRandom& random) {
  return format_phone(random.pick(std::span<const std::string_view>(kMobileCodes)),
                      static_cast<int>(random.between(1000000, 9999999)));
}

}  // namespace salescore::cli
