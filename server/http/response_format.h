// The bytes of an HTTP/1.1 response: status line, headers and body in one buffer, so a
// small reply leaves in a single send().
#pragma once

#include <ctime>
#include <string>
#include <string_view>

#include "http/http_message.h"

namespace salescore::http {

struct ReplyFraming {
  bool keep_alive = true;   // otherwise "Connection: close"
  bool http10 = false;      // an HTTP/1.0 client kept alive is told "Connection: keep-alive"
  bool head_only = false;   // HEAD: the headers of the reply, no body
};

// Appends `response` to `out`, with Date, Content-Length and Connection. A streamed
// response (response.stream set) gets "Transfer-Encoding: chunked" instead of a length
// (HTTP/1.0: neither; its body ends with the connection, so `framing` must not keep it
// alive) and its `body` as the first chunk.
void append_response(std::string& out, const HttpResponse& response, const ReplyFraming& framing,
                     std::string_view date);

// One piece of a streamed body: a chunk ("<hex size>\r\n<data>\r\n"), or the data as
// it is for an HTTP/1.0 client. Empty data appends nothing (an empty chunk would end it).
void append_piece(std::string& out, std::string_view data, bool chunked);
// The chunk that tells the client the streamed body is complete.
inline constexpr std::string_view kLastChunk = "0\r\n\r\n";

// The Date header's value, formatted once per second (one per loop: not thread-safe).
class HttpDate {
 public:
  std::string_view now();

 private:
  std::time_t second_ = 0;
  char text_[40] = {};
  std::size_t size_ = 0;
};

}  // namespace salescore::http
