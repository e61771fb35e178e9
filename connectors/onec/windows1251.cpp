#include "windows1251.h"

#include <algorithm>
#include <cctype>

namespace salescore::onec {
namespace {

bool same_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

// 0x80..0xBF: the letters of other Cyrillic alphabets, Ёё, typographic quotes and
// dashes, №. Below is ASCII; 0xC0..0xFF is А..я in Unicode order.
constexpr std::array<int, 64> kUpperPunctuation = {
    0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021,  // 0x80
    0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,  // 0x88
    0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 0x90
    -1,     0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,  // 0x98
    0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7,  // 0xA0
    0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,  // 0xA8
    0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7,  // 0xB0
    0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,  // 0xB8
};

constexpr std::array<int, 256> build_code_points() {
  std::array<int, 256> map{};
  for (int b = 0; b < 0x80; ++b) map[b] = b;
  for (int b = 0x80; b < 0xC0; ++b) map[b] = kUpperPunctuation[b - 0x80];
  for (int b = 0xC0; b < 0x100; ++b) map[b] = 0x0410 + (b - 0xC0);
  return map;
}

constexpr std::array<int, 256> kCodePoints = build_code_points();

}  // namespace

bool is_windows1251_name(std::string_view name) {
  return same_ignoring_case(name, "windows-1251") || same_ignoring_case(name, "cp1251");
}

const std::array<int, 256>& windows1251_code_points() { return kCodePoints; }

}  // namespace salescore::onec
