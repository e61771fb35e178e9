#include "http/request_parser.h"

#include <algorithm>

#include "http/http_grammar.h"

namespace salescore::http {
namespace {

using grammar::printable;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

HeadParse bad(int status, std::string error) {
  HeadParse p;
  p.state = HeadParse::State::kBad;
  p.status = status;
  p.error = std::move(error);
  return p;
}

// The line starting at `pos`, without its CRLF.
struct Line {
  enum class State { kComplete, kIncomplete, kBad } state;
  std::string_view text;  // complete: the line; incomplete: what has arrived of it
  std::size_t next = 0;   // complete: where the next line starts
  std::string error;      // bad: a bare CR or LF
};

Line line_at(std::string_view data, std::size_t pos) {
  const std::size_t lf = data.find('\n', pos);
  const std::size_t end = lf == std::string_view::npos ? data.size() : lf;
  // A CR is only ever the byte before an LF, or the last byte so far (its LF to come).
  const std::size_t cr = data.substr(0, end).find('\r', pos);
  if (cr != std::string_view::npos && cr + 1 < end)
    return {Line::State::kBad, {}, 0, "a bare CR in the request head (lines end with CRLF)"};
  if (lf == std::string_view::npos) return {Line::State::kIncomplete, data.substr(pos), 0, {}};
  if (cr == std::string_view::npos)
    return {Line::State::kBad, {}, 0, "a bare LF in the request head: lines end with CRLF (RFC 9112 2.2)"};
  return {Line::State::kComplete, data.substr(pos, cr - pos), lf + 1, {}};
}

HeadParse parse_request_line(std::string_view line, const HeadLimits& limits, HttpRequest& request) {
  std::size_t sp1 = line.find(' ');
  std::size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return bad(400, "malformed request line");
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (!grammar::is_token(method)) return bad(400, "malformed request method");
  if (target.size() > limits.max_target)
    return bad(414, "the request target is longer than " + std::to_string(limits.max_target) + " bytes");
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' || version[5] < '0' ||
      version[5] > '9' || version[7] < '0' || version[7] > '9')
    return bad(400, "malformed HTTP version");
  if (version[5] != '1') return bad(505, "only HTTP/1.0 and HTTP/1.1 are served");
  // A tunnel is not HTTP framing: after a 2xx to CONNECT the bytes would be the
  // client's to define, and this front end only reads requests.
  if (method == "CONNECT") return bad(501, "CONNECT is not served: this is an origin server, not a proxy");
  if (std::string error = grammar::request_target_error(method, target); !error.empty()) return bad(400, error);
  request.method.assign(method);
  request.target.assign(target);
  request.minor_version = version[7] - '0';
  return {};
}

// Content-Length: digits only, no overflow.
bool parse_length(std::string_view s, std::uint64_t& out) {
  if (s.empty() || s.size() > 19) return false;
  std::uint64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  out = n;
  return true;
}

// RFC 9112 3.2: an HTTP/1.1 request has exactly one Host, any request at most one,
// and its value is a valid uri-host [ ":" port ].
HeadParse check_host(const HttpRequest& request) {
  const std::string* host = nullptr;
  for (const auto& h : request.headers) {
    if (!iequals(h.name, "Host")) continue;
    if (host) return bad(400, "more than one Host header");
    host = &h.value;
  }
  if (!host && request.minor_version >= 1) return bad(400, "the Host header is missing (HTTP/1.1 requires one)");
  if (host && !grammar::is_host(*host)) return bad(400, "invalid Host header '" + printable(*host) + "'");
  return {};
}

// RFC 9112 6.1 and 6.3 rule 4: chunked must be the last coding, applied once; a
// coding before it is one we do not decode.
HeadParse check_codings(std::string_view value) {
  std::string_view last, unsupported;
  bool chunked_before_last = false;
  while (true) {
    const std::size_t comma = value.find(',');
    const std::string_view item = trim(value.substr(0, comma));
    if (!item.empty()) {
      if (!last.empty()) {
        if (iequals(last, "chunked")) chunked_before_last = true;
        else if (unsupported.empty()) unsupported = last;
      }
      last = item;
    }
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  if (!iequals(last, "chunked") || chunked_before_last)
    return bad(400, "Transfer-Encoding must end in chunked, once: otherwise the body's length is unknown");
  if (!unsupported.empty())
    return bad(501, "transfer coding '" + printable(unsupported) + "' is not supported (only chunked)");
  return {};
}

HeadParse decide_framing(const HttpRequest& request, BodyFraming& framing) {
  framing = BodyFraming{};
  bool has_length = false;
  std::uint64_t length = 0;
  const std::string* coding = nullptr;
  for (const auto& h : request.headers) {
    if (iequals(h.name, "Content-Length")) {
      std::uint64_t n = 0;
      if (!parse_length(h.value, n))
        return bad(400, "Content-Length is not a whole number: '" + printable(h.value) + "'");
      if (has_length && n != length) return bad(400, "two different Content-Length headers");
      has_length = true;
      length = n;
    } else if (iequals(h.name, "Transfer-Encoding")) {
      if (coding) return bad(400, "more than one Transfer-Encoding header");
      coding = &h.value;
    }
  }
  if (coding) {
    // RFC 9112 6.1: chunked framing from an HTTP/1.0 client is faulty framing.
    if (request.minor_version == 0) return bad(400, "Transfer-Encoding in an HTTP/1.0 request");
    if (has_length) return bad(400, "both Content-Length and Transfer-Encoding: the body length is ambiguous");
    if (HeadParse p = check_codings(*coding); p.state == HeadParse::State::kBad) return p;
    framing.kind = BodyFraming::Kind::kChunked;
  } else if (has_length && length > 0) {
    framing.kind = BodyFraming::Kind::kLength;
    framing.length = length;
  }
  return {};
}

HeadParse too_large_field(const HeadLimits& limits) {
  return bad(431, "a header field is longer than " + std::to_string(limits.max_field) + " bytes");
}

HeadParse too_large_head(const HeadLimits& limits) {
  return bad(431, "the request head is larger than " + std::to_string(limits.max_head) + " bytes");
}

}  // namespace

HeadParse parse_request_head(std::string_view data, const HeadLimits& limits, HttpRequest& request,
                             BodyFraming& framing) {
  // Empty lines (CRLF) before the request line are skipped (RFC 9112 2.2); a CR whose
  // LF has not come yet waits, any other CR or LF there is refused.
  std::size_t pos = 0;
  while (pos + 1 < data.size() && data[pos] == '\r' && data[pos + 1] == '\n') pos += 2;
  if (pos < data.size() && (data[pos] == '\r' || data[pos] == '\n')) {
    if (data[pos] == '\n') return bad(400, "a bare LF before the request line: lines end with CRLF (RFC 9112 2.2)");
    if (pos + 1 < data.size()) return bad(400, "a bare CR before the request line (RFC 9112 2.2)");
  }
  if (pos == data.size() || data[pos] == '\r') {
    HeadParse blank;
    blank.consumed = pos;
    return blank;
  }

  Line line = line_at(data, pos);
  if (line.state == Line::State::kBad) return bad(400, line.error);
  if (line.state == Line::State::kIncomplete) {
    // A request line longer than any we take can be refused before it ends.
    if (line.text.size() > limits.max_target + 64) {
      std::size_t sp = line.text.find(' ');
      return bad(sp != std::string_view::npos ? 414 : 400,
                 "the request target is longer than " + std::to_string(limits.max_target) + " bytes");
    }
    return {};
  }
  if (HeadParse p = parse_request_line(line.text, limits, request); p.state == HeadParse::State::kBad) return p;
  request.headers.clear();
  pos = line.next;
  for (;;) {
    line = line_at(data, pos);
    if (line.state == Line::State::kBad) return bad(400, line.error);
    if (line.state == Line::State::kIncomplete) {
      if (line.text.size() > limits.max_field) return too_large_field(limits);
      if (data.size() > limits.max_head) return too_large_head(limits);
      return {};
    }
    pos = line.next;
    const std::string_view text = line.text;
    if (text.empty()) break;
    if (text.size() > limits.max_field) return too_large_field(limits);
    if (text.front() == ' ' || text.front() == '\t') return bad(400, "folded header lines are not accepted");
    std::size_t colon = text.find(':');
    if (colon == std::string_view::npos || !grammar::is_token(text.substr(0, colon)))
      return bad(400, "malformed header field: '" + printable(text) + "'");
    if (request.headers.size() >= limits.max_fields)
      return bad(431, "more than " + std::to_string(limits.max_fields) + " header fields");
    std::string_view value = trim(text.substr(colon + 1));
    if (!grammar::is_field_value(value))
      return bad(400, "a control character in header '" + std::string(text.substr(0, colon)) + "'");
    request.headers.push_back({std::string(text.substr(0, colon)), std::string(value)});
  }
  if (pos > limits.max_head) return too_large_head(limits);
  if (HeadParse p = check_host(request); p.state == HeadParse::State::kBad) return p;
  if (HeadParse p = decide_framing(request, framing); p.state == HeadParse::State::kBad) return p;
  HeadParse done;
  done.state = HeadParse::State::kComplete;
  done.consumed = pos;
  return done;
}

}  // namespace salescore::http
