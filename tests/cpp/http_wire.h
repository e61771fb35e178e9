// Reads one request from raw bytes the way the event loop does (server/http/
// event_server.cpp): the head with parse_request_head, then the body by its framing.
// Shared by the smuggling suite, the Beast differential test and the fuzz target, so
// all three judge the same thing. Bytes can be given whole or a few at a time: the
// verdict must not depend on how they arrive.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

#include "http/request_parser.h"

namespace salescore::http::wire {

struct Verdict {
  enum class Kind { kAccepted, kRefused, kIncomplete } kind = Kind::kIncomplete;
  int status = 0;          // refused: the HTTP status the server answers
  std::string error;       // refused: the reason it gives
  HttpRequest request;     // accepted: method, target, headers and the decoded body
  std::size_t consumed = 0;  // accepted: bytes of the message, where the next one starts
};

inline Verdict refused(int status, std::string error) {
  Verdict v;
  v.kind = Verdict::Kind::kRefused;
  v.status = status;
  v.error = std::move(error);
  return v;
}

// `piece`: how many more bytes arrive at a time (0: all at once).
inline Verdict read_one_request(std::string_view wire, std::size_t piece = 0, HeadLimits limits = {}) {
  if (piece == 0) piece = wire.size() + 1;
  Verdict v;
  BodyFraming framing;
  std::size_t start = 0;  // empty lines before the request line are dropped, as the loop does
  std::size_t arrived = 0;
  std::size_t head_end = 0;
  for (;;) {
    arrived = std::min(wire.size(), arrived + piece);
    HeadParse head = parse_request_head(wire.substr(start, arrived - start), limits, v.request, framing);
    if (head.state == HeadParse::State::kBad) return refused(head.status, head.error);
    if (head.state == HeadParse::State::kComplete) {
      head_end = start + head.consumed;
      break;
    }
    start += head.consumed;
    if (arrived == wire.size()) return v;  // incomplete
  }
  std::size_t at = head_end;
  switch (framing.kind) {
    case BodyFraming::Kind::kNone:
      break;
    case BodyFraming::Kind::kLength:
      if (wire.size() - at < framing.length) return v;
      v.request.body.assign(wire.substr(at, static_cast<std::size_t>(framing.length)));
      at += static_cast<std::size_t>(framing.length);
      break;
    case BodyFraming::Kind::kChunked: {
      ChunkedDecoder decoder;
      for (;;) {
        // The head's last piece may have brought some of the body along.
        const std::size_t end = std::max(arrived, std::min(wire.size(), at + piece));
        std::size_t used = 0;
        auto state = decoder.feed(wire.substr(at, end - at), v.request.body, used);
        at += used;
        arrived = end;
        if (state == ChunkedDecoder::State::kBad) return refused(400, "malformed chunked body: " + decoder.error());
        if (state == ChunkedDecoder::State::kDone) break;
        if (end == wire.size()) return v;  // incomplete
      }
      break;
    }
  }
  v.kind = Verdict::Kind::kAccepted;
  v.consumed = at;
  return v;
}

}  // namespace salescore::http::wire
