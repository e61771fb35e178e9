#include "http/request_parser.h"

#include <algorithm>
#include <cstring>

namespace salescore::http {
namespace {

// RFC 9110 tchar: the characters of a method or a header name.
bool is_token_char(unsigned char c) {
  if (c >= 'a' && c <= 'z') return true;
  if (c >= 'A' && c <= 'Z') return true;
  if (c >= '0' && c <= '9') return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != 0;
}

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return is_token_char(static_cast<unsigned char>(c)); });
}

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

// The line starting at `pos` without its CRLF (or bare LF); npos in `next` when the
// line has not fully arrived.
std::string_view line_at(std::string_view data, std::size_t pos, std::size_t& next) {
  std::size_t lf = data.find('\n', pos);
  if (lf == std::string_view::npos) {
    next = std::string_view::npos;
    return data.substr(pos);
  }
  next = lf + 1;
  std::size_t end = (lf > pos && data[lf - 1] == '\r') ? lf - 1 : lf;
  return data.substr(pos, end - pos);
}

HeadParse parse_request_line(std::string_view line, const HeadLimits& limits, HttpRequest& request) {
  std::size_t sp1 = line.find(' ');
  std::size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return bad(400, "malformed request line");
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (!is_token(method)) return bad(400, "malformed request method");
  if (target.size() > limits.max_target)
    return bad(414, "the request target is longer than " + std::to_string(limits.max_target) + " bytes");
  if (target.empty() || target.find_first_of(" \t\r") != std::string_view::npos)
    return bad(400, "malformed request target");
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' || version[5] < '0' ||
      version[5] > '9' || version[7] < '0' || version[7] > '9')
    return bad(400, "malformed HTTP version");
  if (version[5] != '1') return bad(505, "only HTTP/1.0 and HTTP/1.1 are served");
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

HeadParse decide_framing(const HttpRequest& request, BodyFraming& framing) {
  framing = BodyFraming{};
  bool has_length = false;
  std::uint64_t length = 0;
  const std::string* coding = nullptr;
  for (const auto& h : request.headers) {
    if (iequals(h.name, "Content-Length")) {
      std::uint64_t n = 0;
      if (!parse_length(h.value, n)) return bad(400, "Content-Length is not a whole number: '" + h.value + "'");
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
    if (!iequals(*coding, "chunked")) return bad(501, "transfer coding '" + *coding + "' is not supported (only chunked)");
    framing.kind = BodyFraming::Kind::kChunked;
  } else if (has_length && length > 0) {
    framing.kind = BodyFraming::Kind::kLength;
    framing.length = length;
  }
  return {};
}

}  // namespace

HeadParse parse_request_head(std::string_view data, const HeadLimits& limits, HttpRequest& request,
                             BodyFraming& framing) {
  std::size_t pos = 0;
  // Empty lines before the request line are skipped (RFC 9112 2.2).
  while (pos < data.size() && (data[pos] == '\r' || data[pos] == '\n')) ++pos;
  if (pos == data.size()) {
    HeadParse blank;
    blank.consumed = pos;
    return blank;
  }

  std::size_t next = 0;
  std::string_view line = line_at(data, pos, next);
  if (next == std::string_view::npos) {
    // A request line longer than any we take can be refused before it ends.
    if (line.size() > limits.max_target + 64) {
      std::size_t sp = line.find(' ');
      return bad(sp != std::string_view::npos ? 414 : 400,
                 "the request target is longer than " + std::to_string(limits.max_target) + " bytes");
    }
    return {};
  }
  if (HeadParse p = parse_request_line(line, limits, request); p.state == HeadParse::State::kBad) return p;
  request.headers.clear();
  pos = next;
  for (;;) {
    line = line_at(data, pos, next);
    if (next == std::string_view::npos) {
      if (line.size() > limits.max_field)
        return bad(400, "a header field is longer than " + std::to_string(limits.max_field) + " bytes");
      if (data.size() > limits.max_head)
        return bad(400, "the request head is larger than " + std::to_string(limits.max_head) + " bytes");
      return {};
    }
    pos = next;
    if (line.empty()) break;
    if (line.size() > limits.max_field)
      return bad(400, "a header field is longer than " + std::to_string(limits.max_field) + " bytes");
    if (line.front() == ' ' || line.front() == '\t') return bad(400, "folded header lines are not accepted");
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || !is_token(line.substr(0, colon)))
      return bad(400, "malformed header field: '" + std::string(line.substr(0, 64)) + "'");
    if (request.headers.size() >= limits.max_fields)
      return bad(400, "more than " + std::to_string(limits.max_fields) + " header fields");
    std::string_view value = trim(line.substr(colon + 1));
    if (value.find_first_of(std::string_view("\0\r", 2)) != std::string_view::npos)
      return bad(400, "a control character in header '" + std::string(line.substr(0, colon)) + "'");
    request.headers.push_back({std::string(line.substr(0, colon)), std::string(value)});
  }
  if (pos > limits.max_head)
    return bad(400, "the request head is larger than " + std::to_string(limits.max_head) + " bytes");
  if (HeadParse p = decide_framing(request, framing); p.state == HeadParse::State::kBad) return p;
  HeadParse done;
  done.state = HeadParse::State::kComplete;
  done.consumed = pos;
  return done;
}

ChunkedDecoder::State ChunkedDecoder::feed(std::string_view data, std::string& body, std::size_t& consumed) {
  constexpr std::size_t kMaxLine = 4096;
  std::size_t pos = 0;
  auto fail = [&](std::string why) {
    error_ = std::move(why);
    consumed = pos;
    return State::kBad;
  };
  // Collects a line into line_; true when it is complete (without CRLF).
  auto take_line = [&]() -> bool {
    std::size_t lf = data.find('\n', pos);
    std::size_t end = lf == std::string_view::npos ? data.size() : lf;
    line_.append(data.substr(pos, end - pos));
    framing_bytes_ += (lf == std::string_view::npos ? end : lf + 1) - pos;
    pos = lf == std::string_view::npos ? data.size() : lf + 1;
    if (lf == std::string_view::npos) return false;
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    return true;
  };
  while (pos < data.size() && phase_ != Phase::kDone) {
    switch (phase_) {
      case Phase::kSize: {
        if (!take_line()) {
          if (line_.size() > kMaxLine) return fail("a chunk size line is too long");
          break;
        }
        std::string_view size = std::string_view(line_).substr(0, line_.find(';'));
        size = trim(size);
        if (size.empty() || size.size() > 15) return fail("malformed chunk size '" + line_.substr(0, 32) + "'");
        std::uint64_t n = 0;
        for (char c : size) {
          int digit = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
          if (digit < 0) return fail("malformed chunk size '" + line_.substr(0, 32) + "'");
          n = n * 16 + static_cast<std::uint64_t>(digit);
        }
        line_.clear();
        left_ = n;
        phase_ = n == 0 ? Phase::kTrailer : Phase::kData;
        break;
      }
      case Phase::kData: {
        std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(left_, data.size() - pos));
        body.append(data.substr(pos, take));
        pos += take;
        left_ -= take;
        if (left_ == 0) phase_ = Phase::kDataEnd;
        break;
      }
      case Phase::kDataEnd: {
        if (!take_line()) {
          if (line_.size() > 1) return fail("chunk data longer than its size");
          break;
        }
        if (!line_.empty()) return fail("chunk data longer than its size");
        phase_ = Phase::kSize;
        break;
      }
      case Phase::kTrailer: {
        if (!take_line()) {
          if (line_.size() > kMaxLine) return fail("a trailer line is too long");
          break;
        }
        // Trailer fields are read and dropped: nothing of ours depends on them. The
        // caller bounds their bytes with framing_bytes().
        const bool end = line_.empty();
        line_.clear();
        if (end) phase_ = Phase::kDone;
        break;
      }
      case Phase::kDone:
        break;
    }
  }
  consumed = pos;
  return phase_ == Phase::kDone ? State::kDone : State::kMore;
}

}  // namespace salescore::http
