#include "http_api.h"

#include "connector_host.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string_view>

#include "salescore/record_fields.h"

namespace salescore::cli {
namespace {

constexpr std::string_view kClientsPrefix = "/api/v1/clients/";

// The HTTP status that tells a client what an engine error means for its request.
int http_status_of(Code code) {
  switch (code) {
    case Code::kOk:
      return 200;
    case Code::kInvalidArgument:
      return 400;
    case Code::kUnauthenticated:
      return 401;
    case Code::kPermissionDenied:
      return 403;
    case Code::kNotFound:
      return 404;
    case Code::kAlreadyExists:
    case Code::kConflict:
    case Code::kFailedPrecondition:
      return 409;
    case Code::kResourceExhausted:
      return 429;
    case Code::kUnavailable:
      return 503;
    case Code::kDeadlineExceeded:
      return 504;
    case Code::kInternal:
      return 500;
  }
  return 500;
}

// FieldList already knows how to write JSON; the error body reuses it rather than
// growing a second escaper.
HttpReply error_reply(int http_status, std::string_view code, const std::string& message,
                      const std::map<std::string, std::string>& fields = {}) {
  FieldList field_list;
  for (const auto& [name, problem] : fields) field_list.string(name, problem);
  FieldList error;
  error.string("code", std::string(code));
  error.string("message", message);
  error.json("fields", field_list.to_json());
  FieldList body;
  body.json("error", error.to_json());
  return {http_status, body.to_json(), {}};
}

HttpReply error_reply(const Status& status) {
  return error_reply(http_status_of(status.code()), code_name(status.code()), status.message(), status.fields());
}

HttpReply method_not_allowed(const std::string& method, const std::string& path) {
  HttpReply reply = error_reply(405, "method_not_allowed", method + " is not allowed on " + path);
  reply.allow = "GET";
  return reply;
}

// A record id in a path: decimal digits only, positive, within int64. Anything else
// ("abc", "1;DROP TABLE clients", "-1", "1e3") is refused before it reaches the engine.
std::optional<Id> parse_id(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  for (char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  Id id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

HttpReply health(Engine& engine) {
  FieldList body;
  body.string("status", "ok");
  body.number("schema_version", engine.schema_version());
  return {200, body.to_json(), {}};
}

HttpReply get_client(Engine& engine, std::string_view id_text) {
  auto id = parse_id(id_text);
  if (!id) {
    std::string message = "'";
    message.append(id_text).append("' is not a client id (expected a positive whole number)");
    return error_reply(400, code_name(Code::kInvalidArgument), message, {{"id", "expected a positive whole number"}});
  }
  auto client = engine.clients().get(Actor::system(), *id);
  if (!client.ok()) return error_reply(client.status());
  return {200, fields_of(*client).to_json(), {}};
}

class ApiRequestHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit ApiRequestHandler(Engine& engine) : engine_(engine) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    const auto started = std::chrono::steady_clock::now();
    HttpReply reply;
    try {
      reply = route_api_request(engine_, request.getMethod(), Poco::URI(request.getURI()).getPath());
    } catch (const Poco::SyntaxException& e) {
      reply = error_reply(400, code_name(Code::kInvalidArgument), "malformed request URI: " + e.displayText());
    } catch (const std::exception& e) {
      reply = error_reply(500, code_name(Code::kInternal), std::string("unexpected error: ") + e.what());
    }
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    response.setContentType("application/json; charset=utf-8");
    if (!reply.allow.empty()) response.set("Allow", reply.allow);
    response.setContentLength(static_cast<std::streamsize>(reply.body.size()));
    response.send() << reply.body;
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    std::fprintf(stderr, "%s %s %s %d %.1fms\n", request.clientAddress().host().toString().c_str(),
                 request.getMethod().c_str(), request.getURI().c_str(), reply.status, ms);
  }

 private:
  Engine& engine_;
};

}  // namespace

HttpReply route_api_request(Engine& engine, const std::string& method, const std::string& path) {
  const bool is_get = method == Poco::Net::HTTPRequest::HTTP_GET;
  if (path == "/healthz") return is_get ? health(engine) : method_not_allowed(method, path);
  if (path.starts_with(kClientsPrefix)) {
    std::string_view id_text = std::string_view(path).substr(kClientsPrefix.size());
    if (id_text.find('/') != std::string_view::npos)
      return error_reply(404, code_name(Code::kNotFound), "no such resource: " + path);
    return is_get ? get_client(engine, id_text) : method_not_allowed(method, path);
  }
  return error_reply(404, code_name(Code::kNotFound), "no such resource: " + path);
}

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
