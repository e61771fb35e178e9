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

// Appends `response` to `out`, with Date, Content-Length and Connection.
void append_response(std::string& out, const HttpResponse& response, const ReplyFraming& framing,
                     std::string_view date);

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
