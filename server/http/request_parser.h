// Reading an HTTP/1.x request from the bytes a connection has received so far, a piece
// at a time: the head (request line and header fields) once it is complete, then the
// body framed by Content-Length or chunked transfer coding.
//
// Strict where leniency lets one request be read two ways (request smuggling): both
// Content-Length and Transfer-Encoding, differing Content-Lengths, folded header lines,
// whitespace before the colon are refused. Lenient where it costs nothing: bare LF line
// ends, empty lines before the request line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "http/http_message.h"

namespace salescore::http {

struct HeadLimits {
  std::size_t max_target = 4096;  // longer request targets: 414
  std::size_t max_field = 8192;   // one header line
  std::size_t max_fields = 100;
  std::size_t max_head = 64 * 1024;  // the whole head
};

struct BodyFraming {
  enum class Kind { kNone, kLength, kChunked } kind = Kind::kNone;
  std::uint64_t length = 0;  // for kLength
};

struct HeadParse {
  enum class State { kIncomplete, kComplete, kBad } state = State::kIncomplete;
  // Complete: the bytes of the head. Incomplete: the empty lines before the request
  // line, which the caller may drop (they are never part of the request).
  std::size_t consumed = 0;
  int status = 0;            // the error's HTTP status, when bad (400, 414, 431, 501, 505)
  std::string error;         // for people: what is wrong
};

// Parses the head at the start of `data` into `request` (method, target, version,
// headers) and `framing`. Incomplete until the empty line ending the head has arrived;
// bad as soon as a limit is passed or a line is malformed, even before that.
HeadParse parse_request_head(std::string_view data, const HeadLimits& limits, HttpRequest& request,
                             BodyFraming& framing);

// Decodes a chunked body as it arrives.
class ChunkedDecoder {
 public:
  enum class State { kMore, kDone, kBad };
  // Consumes what it can of `data`, appending chunk data to `body`; `consumed` is how
  // much of `data` it used. kDone when the last chunk and its trailer section are read.
  State feed(std::string_view data, std::string& body, std::size_t& consumed);
  const std::string& error() const { return error_; }
  void reset() { *this = ChunkedDecoder(); }
  // Bytes of framing read so far (size lines, extensions, trailers): not body, but they
  // cost reading, so the caller bounds them too.
  std::uint64_t framing_bytes() const { return framing_bytes_; }

 private:
  enum class Phase { kSize, kData, kDataEnd, kTrailer, kDone } phase_ = Phase::kSize;
  std::uint64_t left_ = 0;  // bytes of the current chunk still to come
  std::string line_;        // a size or trailer line so far
  std::string error_;
  std::uint64_t framing_bytes_ = 0;
};

}  // namespace salescore::http
