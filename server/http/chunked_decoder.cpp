#include "http/chunked_decoder.h"

#include <algorithm>

#include "http/http_grammar.h"

namespace salescore::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// More significant hex digits than this is a size no body we take can have, and 16
// would overflow on the next one: refused rather than computed.
constexpr std::size_t kMaxSizeDigits = 15;

}  // namespace

bool ChunkedDecoder::read_size_line() {
  std::size_t digits = 0;
  while (digits < line_.size() && hex_value(line_[digits]) >= 0) ++digits;
  const std::string_view size(line_.data(), digits);
  const char after = digits < line_.size() ? line_[digits] : ';';
  if (size.empty() || (after != ';' && after != ' ' && after != '\t')) {
    error_ = "malformed chunk size '" + grammar::printable(line_, 32) + "' (hex digits, nothing around them)";
    return false;
  }
  const std::size_t zeros = std::min(size.find_first_not_of('0'), size.size());
  if (size.size() - zeros > kMaxSizeDigits) {
    error_ = "chunk size '" + grammar::printable(size, 32) + "' is too large";
    return false;
  }
  if (!grammar::is_chunk_ext(std::string_view(line_).substr(digits))) {
    error_ = "malformed chunk extension '" + grammar::printable(std::string_view(line_).substr(digits), 32) +
             "' (RFC 9112 7.1.1: ;name or ;name=token or ;name=\"quoted\", whitespace only before ';' and around '=')";
    return false;
  }
  std::uint64_t n = 0;
  for (char c : size.substr(zeros)) n = n * 16 + static_cast<std::uint64_t>(hex_value(c));
  left_ = n;
  phase_ = n == 0 ? Phase::kTrailer : Phase::kData;
  return true;
}

bool ChunkedDecoder::read_trailer_line() {
  if (line_.empty()) {
    phase_ = Phase::kDone;
    return true;
  }
  // field-line = field-name ":" OWS field-value OWS, as in the head.
  const std::string_view line(line_);
  const std::size_t colon = line.find(':');
  std::string_view value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (colon == std::string_view::npos || !grammar::is_token(line.substr(0, colon)) || !grammar::is_field_value(value)) {
    error_ = "malformed trailer field '" + grammar::printable(line, 32) + "'";
    return false;
  }
  return true;
}

ChunkedDecoder::State ChunkedDecoder::feed(std::string_view data, std::string& body, std::size_t& consumed) {
  std::size_t pos = 0;
  auto fail = [&](std::string why) {
    if (!why.empty()) error_ = std::move(why);
    consumed = pos;
    phase_ = Phase::kDone;  // nothing more is read from a bad body
    return State::kBad;
  };
  // Collects a line into line_ up to its LF. True when it is complete, and then
  // line_ holds it without its CRLF. A bare LF or a CR anywhere else is an error, left
  // in error_ with a false return and line_ not cleared.
  bool bad_line = false;
  auto take_line = [&](const char* what) -> bool {
    const std::size_t lf = data.find('\n', pos);
    const std::size_t end = lf == std::string_view::npos ? data.size() : lf;
    // What came before was checked: only its last byte can be a CR.
    const std::size_t checked = line_.empty() ? 0 : line_.size() - 1;
    line_.append(data.substr(pos, end - pos));
    framing_bytes_ += (lf == std::string_view::npos ? end : lf + 1) - pos;
    pos = lf == std::string_view::npos ? data.size() : lf + 1;
    // A CR may only be the last byte so far (its LF still to come).
    const std::size_t cr = line_.find('\r', checked);
    const bool cr_last = cr != std::string::npos && cr + 1 == line_.size();
    if (cr != std::string::npos && !cr_last) {
      error_ = std::string("a bare CR in ") + what + " (lines of chunked framing end with CRLF)";
      bad_line = true;
      return false;
    }
    if (line_.size() > kMaxLine + 1) {
      error_ = std::string(what) + " is longer than " + std::to_string(kMaxLine) + " bytes";
      bad_line = true;
      return false;
    }
    if (lf == std::string_view::npos) return false;
    if (!cr_last) {
      error_ = std::string(what) + " ends in a bare LF (lines of chunked framing end with CRLF)";
      bad_line = true;
      return false;
    }
    line_.pop_back();
    return true;
  };
  while (pos < data.size() && phase_ != Phase::kDone) {
    switch (phase_) {
      case Phase::kSize:
        if (!take_line("a chunk size line")) {
          if (bad_line) return fail({});
          break;
        }
        if (!read_size_line()) return fail({});
        line_.clear();
        break;
      case Phase::kData: {
        const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(left_, data.size() - pos));
        body.append(data.substr(pos, take));
        pos += take;
        left_ -= take;
        if (left_ == 0) phase_ = Phase::kDataCr;
        break;
      }
      case Phase::kDataCr:
      case Phase::kDataLf: {
        const char want = phase_ == Phase::kDataCr ? '\r' : '\n';
        if (data[pos] != want) return fail("chunk data is longer than its size, or not followed by CRLF");
        ++pos;
        ++framing_bytes_;
        phase_ = phase_ == Phase::kDataCr ? Phase::kDataLf : Phase::kSize;
        break;
      }
      case Phase::kTrailer:
        if (!take_line("a trailer line")) {
          if (bad_line) return fail({});
          break;
        }
        if (!read_trailer_line()) return fail({});
        line_.clear();
        break;
      case Phase::kDone:
        break;
    }
  }
  consumed = pos;
  if (!error_.empty()) return State::kBad;
  return phase_ == Phase::kDone ? State::kDone : State::kMore;
}

}  // namespace salescore::http
