// Decoding a chunked request body (RFC 9112 7.1) as its bytes arrive.
//
// Strict, because a front proxy that reads the framing differently would let a second
// request hide in the first one's body: every line ends in CRLF (the bare-LF allowance
// of RFC 9112 2.2 is for the head only, errata 7633 was rejected); the chunk size is
// hex digits alone, no whitespace around it; chunk extensions follow their grammar
// (7.1.1: token or quoted-string, no control bytes); trailer lines are field lines
// (7.1.2). Trailers are read and dropped: nothing of ours uses them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace salescore::http {

class ChunkedDecoder {
 public:
  // A size, extension or trailer line longer than this is refused, complete or not.
  static constexpr std::size_t kMaxLine = 4096;

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
  enum class Phase { kSize, kData, kDataCr, kDataLf, kTrailer, kDone } phase_ = Phase::kSize;
  // A complete line (without its CRLF) is in line_: read it. False with error_ set
  // when it is malformed.
  bool read_size_line();
  bool read_trailer_line();

  std::uint64_t left_ = 0;  // bytes of the current chunk still to come
  std::string line_;        // a size or trailer line so far
  std::string error_;
  std::uint64_t framing_bytes_ = 0;
};

}  // namespace salescore::http
