#include "http_api.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include <chrono>
#include <cstdio>
#include <istream>

#include "api/api_access_log.h"
#include "api/api_metrics.h"
#include "api/api_rate_limit.h"
#include "api/api_router.h"
#include "connector_host.h"
#include "worker_turns.h"

namespace salescore::cli {
namespace {

// The secret of "Authorization: Bearer <secret>", or empty.
std::string bearer_token(const Poco::Net::HTTPServerRequest& request) {
  const std::string& header = request.get("Authorization", "");
  constexpr std::string_view kScheme = "Bearer ";
  if (header.size() <= kScheme.size() || header.compare(0, kScheme.size(), kScheme) != 0) return {};
  return header.substr(kScheme.size());
}

// Methods outside the standard ones are counted together: a label per made-up method
// would let any client grow /metrics without bound.
std::string method_label(const std::string& method) {
  for (const char* known : {"GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS"})
    if (method == known) return method;
  return "other";
}

// Beyond the body limit, up to this much is still read and thrown away before the 413,
// so that a client still sending gets the reply instead of a reset connection (what
// nginx calls a lingering close). A larger body is cut off at once.
constexpr std::int64_t kMaxDrainBytes = 8 << 20;

void drain(std::istream& in, std::int64_t budget) {
  char buf[8192];
  while (in && budget > 0) {
    in.read(buf, sizeof buf);
    budget -= in.gcount();
  }
}

// Reads the body up to the limit; false when it is larger (the connection is closed
// after the reply).
bool read_body(Poco::Net::HTTPServerRequest& request, std::string& body) {
  std::istream& in = request.stream();
  if (request.hasContentLength() && request.getContentLength64() > static_cast<Poco::Int64>(kMaxBodyBytes)) {
    if (request.getContentLength64() <= kMaxDrainBytes) drain(in, kMaxDrainBytes);
    return false;
  }
  char buf[8192];
  while (in) {
    in.read(buf, sizeof buf);
    body.append(buf, static_cast<std::size_t>(in.gcount()));
    if (body.size() > kMaxBodyBytes) {
      drain(in, kMaxDrainBytes - static_cast<std::int64_t>(body.size()));
      return false;
    }
  }
  return true;
}

struct Answer {
  HttpReply reply;
  std::string route = "unmatched";  // the pattern, for metrics and the log
  Id user_id = 0;
  bool close = false;               // close the connection after the reply
};

void answer_route(Engine& engine, Poco::Net::HTTPServerRequest& request, const RouteMatch& match,
                  std::map<std::string, std::string> query, Answer& out);

Answer answer(Engine& engine, Poco::Net::HTTPServerRequest& request) {
  Answer out;
  const std::string& method = request.getMethod();
  if (request.getURI().size() > kMaxUriBytes) {
    out.reply = error_reply(414, "uri_too_long",
                            "the request target is longer than " + std::to_string(kMaxUriBytes) + " bytes");
    return out;
  }
  Poco::URI uri;
  std::map<std::string, std::string> query;
  try {
    uri = Poco::URI(request.getURI());
    for (const auto& [name, value] : uri.getQueryParameters()) query.emplace(name, value);
  } catch (const Poco::SyntaxException& e) {
    out.reply = error_reply(400, code_name(Code::kInvalidArgument), "malformed request URI: " + e.displayText(),
                            {{"uri", "malformed"}});
    return out;
  }
  const std::string path = uri.getPath();
  RouteMatch match = match_route(method, path);
  if (!match.route) {
    out.reply = std::move(*match.refusal);
    return out;
  }
  out.route = match.route->pattern;
  // A GET reads one snapshot, token to reply: one reader and one read transaction for
  // the request instead of one per engine call. Not the long poll, which must see the
  // events committed while it waits.
  if (method == "GET" && !match.route->long_poll) {
    Status st = engine.reading([&] {
      answer_route(engine, request, match, std::move(query), out);
      return Status::ok();
    });
    if (!st.is_ok()) out.reply = error_reply(st);
  } else {
    answer_route(engine, request, match, std::move(query), out);
  }
  return out;
}

// The matched route's part of answer(): the token, the body, the handler.
void answer_route(Engine& engine, Poco::Net::HTTPServerRequest& request, const RouteMatch& match,
                  std::map<std::string, std::string> query, Answer& out) {
  const Route& route = *match.route;
  Actor actor = Actor::system();
  if (route.needs_token) {
    const std::string secret = bearer_token(request);
    if (secret.empty()) {
      out.reply = error_reply(401, code_name(Code::kUnauthenticated),
                              "this route needs an API token: Authorization: Bearer <token>");
      return;
    }
    auto user = engine.tokens().resolve(secret);
    if (!user.ok()) {
      out.reply = error_reply(user.status());
      return;
    }
    // Counted per token after it is known good: unknown tokens cannot fill the table.
    if (int wait_s = RateLimiter::instance().admit(secret); wait_s > 0) {
      out.reply = error_reply(429, code_name(Code::kResourceExhausted),
                              "too many requests with this token: retry in " + std::to_string(wait_s) + " s");
      out.reply.retry_after = wait_s;
      out.user_id = user->id;
      return;
    }
    actor = Actor{user->id, user->role};
    out.user_id = user->id;
  }

  // Read whatever body came, even on a GET: left unread, it would be taken for the next
  // request on the kept-alive connection.
  std::string body;
  if (!read_body(request, body)) {
    out.reply = error_reply(413, "payload_too_large",
                            "the request body is larger than " + std::to_string(kMaxBodyBytes) + " bytes",
                            {{"body", "too large"}});
    out.close = true;
    return;
  }
  ApiCall call{engine, actor, match.id, std::move(query), body};
  out.reply = run_route(route, call);
}

// One JSON line per request: what an operator greps and a log shipper parses.
void write_access_log(const Poco::Net::HTTPServerRequest& request, const Answer& a, double ms) {
  FieldList line;
  line.string("ts", format_iso8601(Instant{std::chrono::duration_cast<std::chrono::milliseconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count()}));
  line.string("remote", request.clientAddress().host().toString());
  line.string("method", request.getMethod());
  line.string("path", request.getURI().substr(0, 512));
  line.string("route", a.route);
  line.number("status", a.reply.status);
  line.id("user_id", a.user_id);
  line.number("bytes", static_cast<std::int64_t>(a.reply.body.size()));
  char duration[32];
  std::snprintf(duration, sizeof duration, "%.3f", ms);
  line.json("ms", duration);
  AccessLog::instance().write(line.to_json());
}

class ApiRequestHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit ApiRequestHandler(Engine& engine) : engine_(engine) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    WorkerTurns::batch_schedule_this_thread();
    const auto started = std::chrono::steady_clock::now();
    Answer a;
    try {
      a = answer(engine_, request);
    } catch (const std::exception& e) {
      a.reply = error_reply(500, code_name(Code::kInternal), std::string("unexpected error: ") + e.what());
    }
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(a.reply.status));
    response.setContentType(a.reply.content_type);
    if (!a.reply.allow.empty()) response.set("Allow", a.reply.allow);
    if (a.reply.status == 401) response.set("WWW-Authenticate", "Bearer");
    if (a.reply.retry_after > 0) response.set("Retry-After", std::to_string(a.reply.retry_after));
    if (a.close || WorkerTurns::instance().should_yield(request.clientAddress())) response.setKeepAlive(false);
    // Headers and body in one buffer, so a small reply leaves in one send() instead of
    // two (bench/run api: the second write showed up in the profile).
    response.sendBuffer(a.reply.body.data(), a.reply.body.size());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    ApiMetrics::instance().record(method_label(request.getMethod()), a.route, a.reply.status, seconds);
    write_access_log(request, a, seconds * 1000);
  }

 private:
  Engine& engine_;
};

}  // namespace

Poco::Net::HTTPRequestHandler* ApiRequestHandlerFactory::createRequestHandler(
    const Poco::Net::HTTPServerRequest& request) {
  if (connectors_) {
    try {
      if (auto* handler = connectors_->handler_for(request.getMethod(), Poco::URI(request.getURI()).getPath()))
        return handler;
    } catch (const Poco::SyntaxException&) {
      // A malformed URI is answered by the API handler with a 400.
    }
  }
  return new ApiRequestHandler(engine_);
}

}  // namespace salescore::cli
