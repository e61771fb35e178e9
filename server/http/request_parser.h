// Reading an HTTP/1.x request from the bytes a connection has received so far, a piece
// at a time: the head (request line and header fields) once it is complete, then the
// body framed by Content-Length or chunked transfer coding (chunked_decoder.h).
//
// Strict, because salescore may sit behind a keep-alive proxy, and whatever the two
// read differently lets one request hide inside another (request smuggling): both
// Content-Length and Transfer-Encoding, differing Content-Lengths, a coding list not
// ending in chunked, folded header lines, whitespace before the colon, control bytes
// in values, a missing, repeated or invalid Host (RFC 9112 3.2), a request target
// outside its grammar (http_grammar.h) are all refused, and the connection closed.
//
// Line ends are CRLF, in the head as in chunked framing. RFC 9112 2.2 lets a server
// also take a bare LF in the head; we do not. A proxy in front that passes "X: a\nY: b"
// on as one field would have us read two, and a Transfer-Encoding hidden that way is a
// smuggled body. llhttp (strict by default since that was a CVE) and Beast never
// accept a bare LF either, and no client of ours sends one (curl, urllib, http.client,
// wrk, 1C all send CRLF). A lone CR is refused everywhere, before the request line too.
// The only leniency left is the RFC's own: empty lines (CRLF) before the request line
// are skipped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "http/chunked_decoder.h"
#include "http/http_message.h"

namespace salescore::http {

// Past each: 414 for the target, 431 for the fields (RFC 6585 5).
struct HeadLimits {
  std::size_t max_target = 4096;  // longer request targets: 414
  std::size_t max_field = 8192;   // one header line, complete or still arriving
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

}  // namespace salescore::http
