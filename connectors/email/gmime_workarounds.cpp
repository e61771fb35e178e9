#include "gmime_workarounds.h"

#include "mail_text.h"

#include <glib.h>

#include <cctype>
#include <vector>

namespace salescore::email {
namespace {

struct EncodedWord {
  std::size_t begin = 0, end = 0;  // [begin, end) in the header
  std::string charset;             // lower-cased, without an RFC 2231 language
  std::string bytes;               // decoded content
};

// A base64 encoded word starting at `at`, or false.
bool read_b_word(std::string_view h, std::size_t at, EncodedWord& w) {
  if (h.compare(at, 2, "=?") != 0) return false;
  std::size_t q1 = h.find('?', at + 2);
  if (q1 == std::string_view::npos || q1 + 3 >= h.size() || h[q1 + 2] != '?') return false;
  if (h[q1 + 1] != 'B' && h[q1 + 1] != 'b') return false;
  std::size_t end = h.find("?=", q1 + 3);
  if (end == std::string_view::npos) return false;
  std::string_view payload = h.substr(q1 + 3, end - q1 - 3);
  for (char c : payload)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/' && c != '=') return false;
  std::string charset = ascii_lower(h.substr(at + 2, q1 - at - 2));
  if (auto star = charset.find('*'); star != std::string::npos) charset.resize(star);
  w.begin = at;
  w.end = end + 2;
  w.charset = std::move(charset);
  w.bytes = decode_base64(payload);
  return true;
}

std::string encode_word(const EncodedWord& w) {
  gchar* b64 = g_base64_encode(reinterpret_cast<const guchar*>(w.bytes.data()), w.bytes.size());
  std::string out = "=?" + w.charset + "?B?" + b64 + "?=";
  g_free(b64);
  return out;
}

}  // namespace

std::string decode_base64(std::string_view encoded) {
  std::string out((encoded.size() / 4) * 3 + 3, '\0');
  gint state = 0;
  guint save = 0;
  gsize n = g_base64_decode_step(encoded.data(), encoded.size(), reinterpret_cast<guchar*>(out.data()), &state, &save);
  out.resize(n);
  return out;
}

std::string join_base64_words(std::string_view h) {
  if (h.find("=?") == std::string_view::npos) return std::string(h);
  std::string out;
  std::size_t i = 0;
  while (i < h.size()) {
    EncodedWord w;
    if (!read_b_word(h, i, w)) {
      out += h[i++];
      continue;
    }
    // Extend the run over white space to the next B word of the same charset.
    std::size_t next = w.end;
    for (;;) {
      std::size_t j = next;
      while (j < h.size() && (h[j] == ' ' || h[j] == '\t' || h[j] == '\r' || h[j] == '\n')) ++j;
      EncodedWord more;
      if (!read_b_word(h, j, more) || more.charset != w.charset) break;
      w.bytes += more.bytes;
      next = more.end;
    }
    out += encode_word(w);
    i = next;
  }
  return out;
}

}  // namespace salescore::email
