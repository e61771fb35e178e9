// One HTTP/1.1 request as the front end (event_server.h) hands it to the service, and
// the response the service gives back. Plain data: no sockets, no streams.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace salescore::http {

struct HttpHeader {
  std::string name;   // as the client spelled it; compare with iequals
  std::string value;  // without the surrounding whitespace
};

bool iequals(std::string_view a, std::string_view b);

struct HttpRequest {
  std::string method;   // "GET"
  std::string target;   // the request target as sent: "/api/v1/clients/7?x=1"
  int minor_version = 1;  // HTTP/1.<minor>
  std::vector<HttpHeader> headers;
  std::string body;     // the whole body, chunked transfer decoded
  std::string remote;   // "127.0.0.1:53122"
  std::string remote_host;  // "127.0.0.1"
  // The body was larger than the route allows: `body` is empty and the service answers
  // 413 in its own format; the connection is closed after the reply.
  bool body_too_large = false;

  // The first header of that name (case-insensitive), or null.
  const std::string* header(std::string_view name) const;
  // Whether the client wants the connection kept open after the reply: HTTP/1.1 unless
  // "Connection: close", HTTP/1.0 only with "Connection: keep-alive"; close on any of
  // several Connection lines wins.
  bool wants_keep_alive() const;
};

// One more piece of a streamed body (HttpResponse::stream), appended to `out`:
//  kMore    call again for the next piece;
//  kDone    the body is complete (`out` may hold its last piece);
//  kFailed  the body cannot be completed: what was sent ends without the last chunk
//           and the connection is closed, so the client sees a cut reply, never a
//           short one that looks whole.
enum class StreamStep { kMore, kDone, kFailed };
using BodyStream = std::function<StreamStep(std::string& out)>;

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<HttpHeader> headers;  // besides Content-Type, Content-Length, Date, Connection
  std::string body;
  bool close = false;  // close the connection after this reply
  // Set: the body is `body` followed by what `stream` produces, sent as it is produced
  // (Transfer-Encoding: chunked; an HTTP/1.0 client gets it until the connection
  // closes). The event loop calls it on a worker, one piece at a time, only while the
  // client keeps up (event_server.h), and drops it when the client goes away.
  BodyStream stream;
};

// "OK" for 200, ...; "Unknown" for a code without a standard phrase.
std::string_view reason_phrase(int status);

}  // namespace salescore::http
