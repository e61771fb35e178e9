// What must hold for any bytes given to the chunked decoder as a request body: the
// properties chunked_body_fuzz.cpp checks on every input and FuzzCorpora replays on the
// checked-in seeds. The event loop feeds the decoder whatever each read brings, so the
// same bytes must decode the same whole or in pieces.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

#include "http/chunked_decoder.h"

namespace salescore::fuzz {

struct ChunkedReading {
  http::ChunkedDecoder::State state = http::ChunkedDecoder::State::kMore;
  std::string body, error;
  std::size_t consumed = 0;
};

inline ChunkedReading read_chunked(std::string_view bytes, std::size_t piece) {
  ChunkedReading out;
  http::ChunkedDecoder decoder;
  // What the decoder left unconsumed is given again with the next read's bytes, as the
  // event loop does.
  std::string pending;
  std::size_t given = 0;
  while (given < bytes.size() && out.state == http::ChunkedDecoder::State::kMore) {
    const std::size_t n = std::min(piece, bytes.size() - given);
    pending.append(bytes.substr(given, n));
    given += n;
    std::size_t used = 0;
    out.state = decoder.feed(pending, out.body, used);
    if (used > pending.size()) {
      out.error = "consumed more than it was given";
      out.state = http::ChunkedDecoder::State::kBad;
      return out;
    }
    pending.erase(0, used);
  }
  out.consumed = given - pending.size();
  if (out.state == http::ChunkedDecoder::State::kBad) out.error = decoder.error();
  return out;
}

// Empty when every property holds, else the one that does not.
inline std::string check_chunked_body(std::string_view bytes, std::size_t piece) {
  const ChunkedReading whole = read_chunked(bytes, bytes.size() + 1);
  const ChunkedReading split = read_chunked(bytes, piece);
  if (whole.state != split.state) return "the verdict depends on how the bytes arrive";
  if (whole.state == http::ChunkedDecoder::State::kDone &&
      (whole.body != split.body || whole.consumed != split.consumed))
    return "the body read depends on how the bytes arrive";
  if (whole.state == http::ChunkedDecoder::State::kBad) {
    if (whole.error.empty()) return "a refusal without a reason";
    for (char c : whole.error)
      if (c < 0x20 || c >= 0x7f) return "a reason with an unprintable byte: " + whole.error;
  }
  // The body is never larger than the bytes it came from.
  if (whole.body.size() > bytes.size()) return "a body larger than its framing";
  return {};
}

// The fuzz input: the first byte picks the piece size (1-16), the rest is the body.
inline std::string check_chunked_input(std::string_view input) {
  if (input.empty()) return {};
  return check_chunked_body(input.substr(1), 1 + static_cast<unsigned char>(input[0]) % 16);
}

}  // namespace salescore::fuzz
