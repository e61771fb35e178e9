#include "http/http_grammar.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace salescore::http::grammar {
namespace {

bool is_alpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_hex(unsigned char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_ws(unsigned char c) { return c == ' ' || c == '\t'; }
// VCHAR or obs-text (RFC 9110 5.5 field-vchar; also what a quoted-pair may escape).
bool is_vchar_or_obs(unsigned char c) { return (c > 0x20 && c < 0x7f) || c >= 0x80; }

// RFC 3986 2.3 unreserved and 2.2 sub-delims.
bool is_unreserved(unsigned char c) { return is_alpha(c) || is_digit(c) || (c != 0 && std::strchr("-._~", c) != nullptr); }
bool is_sub_delim(unsigned char c) { return c != 0 && std::strchr("!$&'()*+,;=", c) != nullptr; }

// The first byte of `s` from `at` on that is neither in `allowed` nor a well-formed
// pct-encoded triplet; npos when there is none.
template <class Allowed>
std::size_t first_bad(std::string_view s, std::size_t at, Allowed allowed) {
  for (; at < s.size(); ++at) {
    const auto c = static_cast<unsigned char>(s[at]);
    if (c == '%') {
      if (at + 2 >= s.size() || !is_hex(static_cast<unsigned char>(s[at + 1])) ||
          !is_hex(static_cast<unsigned char>(s[at + 2])))
        return at;
      at += 2;
    } else if (!allowed(c)) {
      return at;
    }
  }
  return std::string_view::npos;
}

// RFC 3986 3.3 pchar, plus '/' between segments.
bool is_path_char(unsigned char c) { return is_unreserved(c) || is_sub_delim(c) || c == ':' || c == '@' || c == '/'; }
// RFC 3986 3.4 query = *( pchar / "/" / "?" ).
bool is_query_char(unsigned char c) { return is_path_char(c) || c == '?'; }

std::string byte_error(std::string_view target, std::size_t at) {
  const auto c = static_cast<unsigned char>(target[at]);
  if (c == '%') return "the request target has a '%' that is not followed by two hex digits";
  if (c == '#') return "the request target has a fragment ('#'): a client sends none";
  char what[64];
  if (c > 0x20 && c < 0x7f)
    std::snprintf(what, sizeof what, "'%c'", c);
  else
    std::snprintf(what, sizeof what, "byte 0x%02X", c);
  return std::string("the request target has ") + what + " at " + std::to_string(at) +
         ", which a URI cannot hold unencoded (percent-encode it)";
}

// "/path?query" from `at` (the '/') on, or path-abempty: the error, or empty.
std::string path_and_query_error(std::string_view target, std::size_t at) {
  const std::size_t question = target.find('?', at);
  const std::string_view path = target.substr(0, question);
  if (std::size_t bad = first_bad(path, at, is_path_char); bad != std::string_view::npos)
    return byte_error(target, bad);
  if (question != std::string_view::npos)
    if (std::size_t bad = first_bad(target, question + 1, is_query_char); bad != std::string_view::npos)
      return byte_error(target, bad);
  return {};
}

bool iequals_ascii(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

// RFC 3986 3.2.2 IP-literal without its brackets: IPv6address or IPvFuture. The IPv6
// address is checked for its characters only; the router never uses it.
bool is_ip_literal(std::string_view s) {
  if (!s.empty() && (s[0] == 'v' || s[0] == 'V')) {
    const std::size_t dot = s.find('.');
    if (dot == std::string_view::npos || dot < 2 || dot + 1 == s.size()) return false;
    for (std::size_t i = 1; i < dot; ++i)
      if (!is_hex(static_cast<unsigned char>(s[i]))) return false;
    return std::all_of(s.begin() + dot + 1, s.end(), [](char ch) {
      const auto c = static_cast<unsigned char>(ch);
      return is_unreserved(c) || is_sub_delim(c) || c == ':';
    });
  }
  return s.find(':') != std::string_view::npos && std::all_of(s.begin(), s.end(), [](char ch) {
           const auto c = static_cast<unsigned char>(ch);
           return is_hex(c) || c == ':' || c == '.';
         });
}

// uri-host [ ":" port ]; `need_host`: the host may not be empty (an http URI's).
bool is_authority(std::string_view s, bool need_host) {
  std::string_view host = s, port;
  if (!s.empty() && s.front() == '[') {
    const std::size_t close = s.find(']');
    if (close == std::string_view::npos || !is_ip_literal(s.substr(1, close - 1))) return false;
    host = s.substr(0, close + 1);
    std::string_view rest = s.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return false;
    if (!rest.empty()) port = rest.substr(1);
  } else {
    const std::size_t colon = s.find(':');
    if (colon != std::string_view::npos) {
      host = s.substr(0, colon);
      port = s.substr(colon + 1);
    }
    // reg-name = *( unreserved / pct-encoded / sub-delims ); an IPv4 address is one too.
    if (first_bad(host, 0, [](unsigned char c) { return is_unreserved(c) || is_sub_delim(c); }) !=
        std::string_view::npos)
      return false;
  }
  if (need_host && host.empty()) return false;
  return std::all_of(port.begin(), port.end(), [](char c) { return is_digit(static_cast<unsigned char>(c)); });
}

std::string absolute_form_error(std::string_view target) {
  const std::size_t colon = target.find(':');
  const std::string_view scheme = target.substr(0, colon);
  if (colon == std::string_view::npos || (!iequals_ascii(scheme, "http") && !iequals_ascii(scheme, "https")))
    return "the request target is neither a path starting with '/' nor an http or https URI";
  if (target.substr(colon + 1, 2) != "//") return "the request target's URI has no authority ('//host')";
  const std::size_t start = colon + 3;
  const std::size_t end = std::min(target.find_first_of("/?", start), target.size());
  if (!is_authority(target.substr(start, end - start), true))
    return "the request target's URI has no valid host (RFC 9110 4.2.1; no user info either)";
  if (end < target.size() && target[end] == '?') {
    if (std::size_t bad = first_bad(target, end + 1, is_query_char); bad != std::string_view::npos)
      return byte_error(target, bad);
    return {};
  }
  return path_and_query_error(target, end);
}

}  // namespace

bool is_tchar(unsigned char c) { return is_alpha(c) || is_digit(c) || (c != 0 && std::strchr("!#$%&'*+-.^_`|~", c)); }

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return is_tchar(static_cast<unsigned char>(c)); });
}

bool is_field_value(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return is_vchar_or_obs(c) || is_ws(c);
  });
}

std::string request_target_error(std::string_view method, std::string_view target) {
  if (target.empty()) return "the request target is empty";
  if (target == "*")
    return method == "OPTIONS" ? std::string() : "the request target '*' is only for OPTIONS (RFC 9112 3.2.4)";
  if (target.front() == '/') return path_and_query_error(target, 0);
  // Not a path: an absolute URI. Checked byte by byte first, so that a control byte
  // or a raw non-ASCII byte is named as such whatever the form.
  for (std::size_t i = 0; i < target.size(); ++i) {
    const auto c = static_cast<unsigned char>(target[i]);
    if (c <= 0x20 || c >= 0x7f || c == '#') return byte_error(target, i);
  }
  return absolute_form_error(target);
}

bool is_host(std::string_view value) { return is_authority(value, false); }

bool is_chunk_ext(std::string_view ext) {
  std::size_t at = 0;
  const std::size_t n = ext.size();
  auto skip_ws = [&] {
    while (at < n && is_ws(static_cast<unsigned char>(ext[at]))) ++at;
  };
  auto take_token = [&] {
    const std::size_t start = at;
    while (at < n && is_tchar(static_cast<unsigned char>(ext[at]))) ++at;
    return at > start;
  };
  // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE (RFC 9110 5.6.4)
  auto take_quoted = [&] {
    ++at;  // the opening quote
    while (at < n) {
      const auto c = static_cast<unsigned char>(ext[at++]);
      if (c == '"') return true;
      if (c == '\\') {
        if (at == n) return false;
        const auto escaped = static_cast<unsigned char>(ext[at++]);
        if (!is_vchar_or_obs(escaped) && !is_ws(escaped)) return false;
      } else if (!is_vchar_or_obs(c) && !is_ws(c)) {
        return false;
      }
    }
    return false;  // no closing quote
  };
  while (at < n) {
    skip_ws();
    if (at == n || ext[at] != ';') return false;  // whitespace with no ';' after it
    ++at;
    skip_ws();
    if (!take_token()) return false;
    // BWS "=" BWS chunk-ext-val, when an '=' follows the name.
    std::size_t after_name = at;
    skip_ws();
    if (at < n && ext[at] == '=') {
      ++at;
      skip_ws();
      if (at < n && ext[at] == '"') {
        if (!take_quoted()) return false;
      } else if (!take_token()) {
        return false;
      }
    } else {
      at = after_name;
    }
  }
  return true;
}

std::string printable(std::string_view s, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      out += hex;
    }
  }
  if (s.size() > max) out += "...";
  return out;
}

}  // namespace salescore::http::grammar
