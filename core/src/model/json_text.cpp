#include "model/json_text.h"

#include <array>
#include <cstdio>

namespace salescore {
namespace {
// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not valid.
std::size_t utf8_len(std::string_view s, std::size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  if (n == 2 && c < 0xC2) return 0;  // overlong
  return n;
}

// Printable ASCII other than '"' and '\\': copied as is. A table, because every byte of
// every reply and event payload is looked up here.
constexpr std::array<bool, 256> kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
  return plain;
}();
bool is_plain(unsigned char c) { return kPlain[c]; }

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (std::size_t i = 0; i < s.size();) {
    // Runs of plain characters and valid UTF-8 (nearly all of a record's text, Cyrillic
    // included) are appended in one piece rather than byte by byte (bench/run ingest, api).
    std::size_t run = i;
    while (run < s.size()) {
      const unsigned char r = static_cast<unsigned char>(s[run]);
      if (is_plain(r)) {
        ++run;
        while (run < s.size() && is_plain(static_cast<unsigned char>(s[run]))) ++run;
      } else if (std::size_t n = r >= 0x80 ? utf8_len(s, run) : 0; n > 0) {
        run += n;
      } else {
        break;
      }
    }
    if (run > i) {
      out.append(s.data() + i, run - i);
      i = run;
      continue;
    }
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {  // not valid UTF-8 (the run above took the valid sequences)
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out.push_back('"');
}

std::string json_string(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

}  // namespace salescore
