// HTTP routes registered by connectors (webhooks, the 1C exchange URL). The server
// hands each request for a registered path to handle(); the handler builds the
// response through the host services. Two guarantees on top of the handler's answer:
// an escaped exception is a 500 with a message, and a 2xx is turned into a 503 when a
// record emitted during the request was not taken, so a sender never gets "OK" for
// data salescore does not have.
#include <algorithm>

#include "host/runtime_core.h"
#include "host/status_codes.h"

namespace salescore::plugins {
namespace {
std::string route_key(std::string method, const std::string& path) {
  std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return std::toupper(c); });
  return method + " " + path;
}
}  // namespace

sc_status RuntimeCore::add_route(ConnectorSlot& slot, const std::string& method, const std::string& path,
                                 sc_route_handler handler) {
  if (!in_create(slot))
    return refuse_service(slot, SC_FAILED_PRECONDITION, "routes can only be registered inside create()");
  if (!handler || method.empty() || path.empty() || path[0] != '/')
    return refuse_service(slot, SC_INVALID_ARGUMENT, "a route needs a method, a path starting with '/' and a handler");
  const std::string key = route_key(method, path);
  std::unique_lock lock(routes_mutex_);
  auto it = routes_.find(key);
  if (it != routes_.end())
    return refuse_service(slot, SC_FAILED_PRECONDITION, "route " + key + " is taken by connector '" + it->second.slot->name() + "'");
  routes_.emplace(key, Route{&slot, handler});
  return SC_OK;
}

void RuntimeCore::remove_routes(const ConnectorSlot& slot) {
  std::unique_lock lock(routes_mutex_);
  for (auto it = routes_.begin(); it != routes_.end();) it = it->second.slot == &slot ? routes_.erase(it) : std::next(it);
}

std::vector<std::string> RuntimeCore::routes_of(const ConnectorSlot* slot) const {
  std::shared_lock lock(routes_mutex_);
  std::vector<std::string> out;
  for (const auto& [key, route] : routes_)
    if (!slot || route.slot == slot) out.push_back(key);
  return out;
}

std::optional<RouteResponse> RuntimeCore::handle(const RouteRequest& request) {
  Route route{};
  {
    std::shared_lock lock(routes_mutex_);
    auto it = routes_.find(route_key(request.method, request.path));
    if (it == routes_.end()) return std::nullopt;
    route = it->second;
  }
  ConnectorSlot& slot = *route.slot;

  std::vector<sc_http_header> headers;
  headers.reserve(request.headers.size());
  for (const auto& [name, value] : request.headers) headers.push_back({name.c_str(), value.c_str()});
  sc_http_request c_request{};
  c_request.struct_size = sizeof c_request;
  c_request.method = request.method.c_str();
  c_request.path = request.path.c_str();
  c_request.query = request.query.c_str();
  c_request.headers = headers.data();
  c_request.header_count = headers.size();
  c_request.body = reinterpret_cast<const std::uint8_t*>(request.body.data());
  c_request.body_size = request.body.size();
  c_request.remote_address = request.remote_address.c_str();

  sc_http_response built;
  CallContext ctx;
  CallOutcome out = call(slot, CallKind::kRoute, [&] { return route.handler(slot.self, &c_request, &built); }, &ctx);
  RouteResponse response;
  auto retry_later = [&](const std::string& why) {
    response.status = 503;
    response.headers = {{"Content-Type", "text/plain; charset=utf-8"},
                        {"Retry-After", std::to_string(std::max<std::int64_t>(1, slot.settings().retry_base_ms / 1000))}};
    response.body = why + "\n";
  };
  if (!out.ok()) {
    note_error(slot, out.message);
    response.status = http_status_for(out.code);
    response.headers = {{"Content-Type", "text/plain; charset=utf-8"}};
    response.body = out.message + "\n";
    if (is_retryable_abi(out.code)) retry_later(out.message);
  } else {
    response.status = built.status;
    response.headers = std::move(built.headers);
    response.body = std::move(built.body);
    if (ctx.intake_refused && response.status < 400)
      retry_later("not all records were taken (" + ctx.failure + "): deliver again later");
    else
      note_success(slot);
  }
  return response;
}

}  // namespace salescore::plugins
