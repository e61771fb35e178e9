// append_json_string writes every event payload and API reply. Its fast path (runs of
// plain ASCII and valid UTF-8 appended in one piece) must give exactly the text of the
// plain byte-by-byte rules below, for any input.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>

#include "salescore/record_fields.h"

namespace salescore {
namespace {

// The rules, one byte or sequence at a time: valid UTF-8 as is, U+FFFD for a byte that
// starts no valid sequence, the JSON escapes for '"', '\\' and controls.
std::string reference(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool valid = n > 0 && i + n <= s.size() && !(n == 2 && c < 0xC2);
    for (std::size_t k = 1; valid && k < n; ++k) valid = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (!valid) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else if (n > 1) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      if (c == '"') out += "\\\"";
      else if (c == '\\') out += "\\\\";
      else if (c == '\n') out += "\\n";
      else if (c == '\r') out += "\\r";
      else if (c == '\t') out += "\\t";
      else if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out.push_back(static_cast<char>(c));
      }
      ++i;
    }
  }
  return out + "\"";
}

TEST(JsonText, KnownCases) {
  EXPECT_EQ(json_string(""), "\"\"");
  EXPECT_EQ(json_string("Дрель ударная \"Bosch\"\n"), "\"Дрель ударная \\\"Bosch\\\"\\n\"");
  EXPECT_EQ(json_string("a\\b\x01"), "\"a\\\\b\\u0001\"");
  EXPECT_EQ(json_string("abcdefgh\xD0"), "\"abcdefgh\xEF\xBF\xBD\"");       // a sequence cut at the end
  EXPECT_EQ(json_string("\xC0\xAF"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");       // overlong
  EXPECT_EQ(json_string("€ and 😀"), "\"€ and 😀\"");
}

TEST(JsonText, EveryInputGivesTheTextOfTheByteByByteRules) {
  // Pieces that meet the word boundaries at every offset: ASCII, each escape, Cyrillic,
  // three- and four-byte characters, stray continuation and lead bytes.
  const std::vector<std::string> pieces = {"a", "Z", " ", "\"", "\\", "\n", "\x1f", "\x7f", "д", "Ё",
                                           "€", "😀", "\x80", "\xBF", "\xC2", "\xD0", "\xE2\x82", "\xF0\x9F",
                                           "\xFF", "abcdefgh", "Дрель ударная"};
  std::mt19937 random(20261123);
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    const int count = static_cast<int>(random() % 24);
    for (int k = 0; k < count; ++k) s += pieces[random() % pieces.size()];
    ASSERT_EQ(json_string(s), reference(s)) << "input bytes: " << s.size();
  }
  // And every single byte and byte pair.
  for (int a = 0; a < 256; ++a)
    for (int b = 0; b < 256; ++b) {
      const std::string s{static_cast<char>(a), static_cast<char>(b)};
      ASSERT_EQ(json_string(s), reference(s)) << a << " " << b;
    }
}

}  // namespace
}  // namespace salescore
