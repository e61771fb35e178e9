// A small JSON writer for the records the connector hands to salescore. The connector is
// its own library and reaches salescore only through the C ABI, so it cannot borrow the
// engine's JSON helpers; what it writes is simple (strings, numbers, flat objects).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace salescore::onec {

// Appends `s` (valid UTF-8, as the XML parser delivers it) as a quoted JSON string.
inline void append_quoted(std::string& out, std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += kHex[(c >> 4) & 0xF];
          out += kHex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

// Builds one JSON object field by field: JsonObject o; o.text("name", v); o.str().
class JsonObject {
 public:
  JsonObject& text(std::string_view key, std::string_view value) {
    start(key);
    append_quoted(out_, value);
    return *this;
  }
  JsonObject& raw(std::string_view key, std::string_view json) {
    start(key);
    out_ += json;
    return *this;
  }
  JsonObject& boolean(std::string_view key, bool value) { return raw(key, value ? "true" : "false"); }
  JsonObject& texts(std::string_view key, const std::vector<std::string>& values) {
    start(key);
    out_ += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i) out_ += ',';
      append_quoted(out_, values[i]);
    }
    out_ += ']';
    return *this;
  }
  bool empty() const { return out_.size() <= 1; }
  std::string str() const { return out_ + "}"; }

 private:
  void start(std::string_view key) {
    if (out_.size() > 1) out_ += ',';
    append_quoted(out_, key);
    out_ += ':';
  }
  std::string out_ = "{";
};

}  // namespace salescore::onec
