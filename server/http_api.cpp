#include "http_api.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <chrono>
#include <cstdio>
#include <optional>

#include "api/api_access_log.h"
#include "api/api_idempotency.h"
#include "api/api_metrics.h"
#include "api/api_rate_limit.h"
#include "api/api_router.h"
#include "api/api_session.h"
#include "connector_host.h"
#include "web/web_assets.h"

namespace salescore::cli {
namespace {

// The secret of "Authorization: Bearer <secret>", or empty.
std::string bearer_token(const http::HttpRequest& request) {
  const std::string* header = request.header("Authorization");
  constexpr std::string_view kScheme = "Bearer ";
  if (!header || header->size() <= kScheme.size() || header->compare(0, kScheme.size(), kScheme) != 0) return {};
  return header->substr(kScheme.size());
}

// Methods outside the standard ones are counted together: a label per made-up method
// would let any client grow /metrics without bound.
std::string method_label(const std::string& method) {
  for (const char* known : {"GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS"})
    if (method == known) return method;
  return "other";
}

// The decoded path and query of a request target. Most targets are plain ("/api/v1/
// clients/7"): those are taken as they are, the rest go through Poco's URI parser.
struct Target {
  std::string path;
  std::map<std::string, std::string> query;
};

std::optional<Target> parse_target(const std::string& target, bool with_query, std::string& error) {
  Target out;
  const std::size_t question = target.find('?');
  const std::string_view path = std::string_view(target).substr(0, question);
  const bool plain_path = !path.empty() && path.front() == '/' && path.find('%') == std::string_view::npos;
  if (plain_path && (question == std::string::npos || !with_query)) {
    out.path.assign(path);
    return out;
  }
  try {
    Poco::URI uri(target);
    out.path = uri.getPath();
    if (with_query)
      for (const auto& [name, value] : uri.getQueryParameters()) out.query.emplace(name, value);
  } catch (const Poco::SyntaxException& e) {
    error = e.displayText();
    return std::nullopt;
  }
  return out;
}

struct Answer {
  HttpReply reply;
  std::string route = "unmatched";  // the pattern, for metrics and the log
  Id user_id = 0;
};

// The matched route's part of answer(): the credentials (an API token, else the
// session cookie), then the handler.
void answer_route(Engine& engine, const http::HttpRequest& request, const RouteMatch& match,
                  std::map<std::string, std::string> query, Answer& out) {
  const Route& route = *match.route;
  ApiCall call{engine, Actor::system(), match.id, std::move(query), request.body};
  call.remote_host = request.remote_host;
  call.session_secret = session_cookie(request);
  if (route.needs_token) {
    const std::string secret = bearer_token(request);
    if (secret.empty() && !call.session_secret.empty()) {
      auto session = check_session(engine, request, call.session_secret);
      if (!session.ok()) {
        out.reply = error_reply(session.status());
        return;
      }
      call.actor = Actor{session->user.id, session->user.role};
      out.user_id = session->user.id;
      call.session = std::move(*session);
      out.reply = run_route_once(route, call, request);
      return;
    }
    if (secret.empty()) {
      out.reply = error_reply(401, code_name(Code::kUnauthenticated),
                              "this route needs an API token (Authorization: Bearer <token>) or a login");
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
    call.actor = Actor{user->id, user->role};
    out.user_id = user->id;
  }
  out.reply = run_route_once(route, call, request);
}

Answer answer_api(Engine& engine, const http::HttpRequest& request) {
  Answer out;
  if (request.body_too_large) {
    out.reply = error_reply(413, "payload_too_large",
                            "the request body is larger than " + std::to_string(kMaxBodyBytes) + " bytes",
                            {{"body", "too large"}});
    return out;
  }
  std::string error;
  auto target = parse_target(request.target, true, error);
  if (!target) {
    out.reply = error_reply(400, code_name(Code::kInvalidArgument), "malformed request URI: " + error,
                            {{"uri", "malformed"}});
    return out;
  }
  RouteMatch match = match_route(request.method, target->path);
  if (!match.route) {
    out.reply = std::move(*match.refusal);
    return out;
  }
  out.route = match.route->pattern;
  // A GET reads one snapshot, token to reply: one reader and one read transaction for
  // the request instead of one per engine call. Not the long poll, which must see the
  // events committed while it waits.
  if (request.method == "GET" && !match.route->long_poll) {
    Status st = engine.reading([&] {
      answer_route(engine, request, match, std::move(target->query), out);
      return Status::ok();
    });
    if (!st.is_ok()) out.reply = error_reply(st);
  } else {
    answer_route(engine, request, match, std::move(target->query), out);
  }
  return out;
}

// One JSON line per request: what an operator greps and a log shipper parses. Written
// straight into one string: this runs for every request.
void write_access_log(const http::HttpRequest& request, const Answer& a, double ms) {
  std::string line;
  line.reserve(160 + request.target.size());
  line += "{\"ts\":\"";
  line += format_iso8601(Instant{std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count()});
  line += "\",\"remote\":";
  append_json_string(line, request.remote_host);
  line += ",\"method\":";
  append_json_string(line, request.method);
  line += ",\"path\":";
  append_json_string(line, std::string_view(request.target).substr(0, 512));
  line += ",\"route\":";
  append_json_string(line, a.route);
  char numbers[96];
  int n = a.user_id > 0
              ? std::snprintf(numbers, sizeof numbers, ",\"status\":%d,\"user_id\":%lld,\"bytes\":%zu,\"ms\":%.3f}",
                              a.reply.status, static_cast<long long>(a.user_id), a.reply.body.size(), ms)
              : std::snprintf(numbers, sizeof numbers, ",\"status\":%d,\"user_id\":null,\"bytes\":%zu,\"ms\":%.3f}",
                              a.reply.status, a.reply.body.size(), ms);
  line.append(numbers, static_cast<std::size_t>(std::max(n, 0)));
  AccessLog::instance().write(std::move(line));
}

http::HttpResponse to_http(HttpReply reply) {
  http::HttpResponse response;
  response.status = reply.status;
  response.content_type = std::move(reply.content_type);
  if (!reply.allow.empty()) response.headers.push_back({"Allow", std::move(reply.allow)});
  if (reply.status == 401) response.headers.push_back({"WWW-Authenticate", "Bearer"});
  if (reply.retry_after > 0) response.headers.push_back({"Retry-After", std::to_string(reply.retry_after)});
  if (reply.replayed) response.headers.push_back({"Idempotency-Replayed", "true"});
  for (auto& [name, value] : reply.headers) response.headers.push_back({std::move(name), std::move(value)});
  response.body = std::move(reply.body);
  response.stream = std::move(reply.stream);  // a streamed export's pieces after the head
  return response;
}

}  // namespace

bool ApiService::connector_route(const http::HttpRequest& request, std::string& path) const {
  if (!connectors_) return false;
  std::string error;
  auto target = parse_target(request.target, false, error);
  if (!target) return false;  // a malformed URI is answered by the API with a 400
  path = std::move(target->path);
  return connectors_->serves(request.method, path);
}

std::size_t ApiService::body_limit(const http::HttpRequest& head) {
  std::string path;
  return connector_route(head, path) ? ConnectorHost::kMaxBody : kMaxBodyBytes;
}

http::HttpService::Lane ApiService::lane(const http::HttpRequest& request) {
  if (request.method != "GET") return Lane::kWorker;
  std::string decoded;
  if (connector_route(request, decoded)) return Lane::kWorker;
  const RouteMatch match = match_route("GET", decoded);
  if (match.route && match.route->long_poll) return Lane::kWaiting;
  // With every reader out (workers busy with lists and reports), a read would wait for
  // one: then it goes to a worker too, and the loop keeps serving.
  if (!engine_.reader_free()) return Lane::kWorker;
  if (!match.route) return Lane::kLoop;  // a 404/405/400 costs nothing
  // Point reads only: a list or a report may read thousands of rows, and the loop would
  // keep every other connection waiting meanwhile.
  const std::string& pattern = match.route->pattern;
  const bool point_read = pattern == "/healthz" ||
                          (pattern.size() >= 5 && pattern.compare(pattern.size() - 5, 5, "/{id}") == 0);
  return point_read ? Lane::kLoop : Lane::kWorker;
}

http::HttpResponse ApiService::answer(http::HttpRequest& request) {
  std::string path;
  if (connector_route(request, path)) return connectors_->answer(request, path);
  // The screens: the web application's files, served from the binary.
  if (auto page = web::asset_response(request)) return std::move(*page);
  const auto started = std::chrono::steady_clock::now();
  Answer a;
  try {
    a = answer_api(engine_, request);
  } catch (const std::exception& e) {
    a.reply = error_reply(500, code_name(Code::kInternal), std::string("unexpected error: ") + e.what());
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ApiMetrics::instance().record(method_label(request.method), a.route, a.reply.status, seconds);
  write_access_log(request, a, seconds * 1000);
  return to_http(std::move(a.reply));
}

http::HttpResponse ApiService::refuse(int status, const std::string& message) {
  std::string_view code = code_name(Code::kInvalidArgument);
  switch (status) {
    case 408: code = "request_timeout"; break;
    case 413: code = "payload_too_large"; break;
    case 414: code = "uri_too_long"; break;
    case 431: code = "request_header_fields_too_large"; break;
    case 500: code = code_name(Code::kInternal); break;
    case 501: code = "not_implemented"; break;
    case 503: code = code_name(Code::kUnavailable); break;
    case 505: code = "http_version_not_supported"; break;
    default: break;
  }
  ApiMetrics::instance().record("other", "unreadable", status, 0);
  return to_http(error_reply(status, code, message));
}

}  // namespace salescore::cli
