#include "store/json_columns.h"

#include <cstdint>
#include <stdexcept>
#include <utility>

namespace salescore::store {
namespace {

// A reader for the shapes these columns hold (lists of strings, string maps, lists of
// flat objects). Poco's parser built a tree of Dynamic::Var for each and was the largest
// single cost of reading a client (bench/run api); this walks the text once.
class FlatJson {
 public:
  explicit FlatJson(const std::string& text) : t_(text) {}

  void expect(char c) {
    skip_space();
    if (i_ >= t_.size() || t_[i_] != c) fail(std::string("expected '") + c + "'");
    ++i_;
  }
  // Consumes `c` if it comes next.
  bool take(char c) {
    skip_space();
    if (i_ < t_.size() && t_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  void finish() {
    skip_space();
    if (i_ != t_.size()) fail("trailing text");
  }

  std::string string() {
    expect('"');
    std::string out;
    while (true) {
      // The text up to the next quote or backslash goes in one piece.
      const std::size_t stop = t_.find_first_of("\"\\", i_);
      if (stop == std::string::npos) fail("unterminated string");
      out.append(t_, i_, stop - i_);
      i_ = stop + 1;
      if (t_[stop] == '"') return out;
      if (i_ >= t_.size()) fail("unterminated escape");
      char e = t_[i_++];
      switch (e) {
        case '"': case '\\': case '/': out += e; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': append_utf8(out, code_point()); break;
        default: fail("bad escape");
      }
    }
  }

  // Any value as text: strings unquoted, numbers and literals as written, nested
  // objects and arrays as their JSON text.
  std::string value_text() {
    skip_space();
    if (i_ < t_.size() && t_[i_] == '"') return string();
    const std::size_t start = i_;
    skip_value();
    return t_.substr(start, i_ - start);
  }

 private:
  void skip_space() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\n' || t_[i_] == '\r' || t_[i_] == '\t')) ++i_;
  }

  void skip_value() {
    skip_space();
    if (i_ >= t_.size()) fail("missing value");
    const char c = t_[i_];
    if (c == '"') {
      string();
    } else if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      ++i_;
      if (take(close)) return;
      do {
        if (close == '}') {
          string();
          expect(':');
        }
        skip_value();
      } while (take(','));
      expect(close);
    } else {
      const std::size_t start = i_;
      while (i_ < t_.size() && t_[i_] != ',' && t_[i_] != '}' && t_[i_] != ']' && t_[i_] != ' ') ++i_;
      if (i_ == start) fail("missing value");
    }
  }

  std::uint32_t hex4() {
    if (i_ + 4 > t_.size()) fail("short \\u escape");
    std::uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = t_[i_++];
      v <<= 4;
      if (h >= '0' && h <= '9') v |= static_cast<std::uint32_t>(h - '0');
      else if (h >= 'a' && h <= 'f') v |= static_cast<std::uint32_t>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') v |= static_cast<std::uint32_t>(h - 'A' + 10);
      else fail("bad \\u escape");
    }
    return v;
  }

  std::uint32_t code_point() {
    std::uint32_t cp = hex4();
    // A UTF-16 surrogate pair stands for one code point beyond the BMP.
    if (cp >= 0xD800 && cp <= 0xDBFF && i_ + 6 <= t_.size() && t_[i_] == '\\' && t_[i_ + 1] == 'u') {
      i_ += 2;
      const std::uint32_t low = hex4();
      if (low >= 0xDC00 && low <= 0xDFFF) return 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      return 0xFFFD;
    }
    return (cp >= 0xD800 && cp <= 0xDFFF) ? 0xFFFD : cp;
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("stored JSON column is damaged at offset " + std::to_string(i_) + ": " + what);
  }

  const std::string& t_;
  std::size_t i_ = 0;
};

// One flat object at the reader's position, its values as text.
std::map<std::string, std::string> read_object(FlatJson& in) {
  std::map<std::string, std::string> object;
  in.expect('{');
  if (in.take('}')) return object;
  do {
    std::string key = in.string();
    in.expect(':');
    object[std::move(key)] = in.value_text();
  } while (in.take(','));
  in.expect('}');
  return object;
}

// A whole column holding a list, each item read by `item`.
template <class Item>
auto read_list(const std::string& json, Item&& item) {
  std::vector<decltype(item(std::declval<FlatJson&>()))> out;
  if (json.empty()) return out;
  FlatJson in(json);
  in.expect('[');
  if (!in.take(']')) {
    do out.push_back(item(in));
    while (in.take(','));
    in.expect(']');
  }
  in.finish();
  return out;
}

}  // namespace

std::vector<std::string> parse_string_list(const std::string& json) {
  return read_list(json, [](FlatJson& in) { return in.value_text(); });
}

std::map<std::string, std::string> parse_string_map(const std::string& json) {
  if (json.empty()) return {};
  FlatJson in(json);
  auto out = read_object(in);
  in.finish();
  return out;
}

std::vector<std::map<std::string, std::string>> parse_object_list(const std::string& json) {
  return read_list(json, read_object);
}

}  // namespace salescore::store
