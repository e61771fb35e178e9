// The operational routes: /healthz, /metrics and the OpenAPI document. No token: a load
// balancer, Prometheus and a client generator call them without credentials.
#include "api/api_metrics.h"
#include "api/api_openapi.h"
#include "api/api_router.h"

namespace salescore::cli {
namespace {

HttpReply health(ApiCall& call) {
  FieldList body;
  body.string("status", "ok");
  body.number("schema_version", call.engine.schema_version());
  return json_reply(200, body.to_json());
}

HttpReply metrics(ApiCall& call) {
  HttpReply reply = json_reply(200, ApiMetrics::instance().render(call.engine));
  reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
  return reply;
}

HttpReply openapi(ApiCall&) {
  static const std::string document = openapi_document();
  return json_reply(200, document);
}

}  // namespace

void add_meta_routes(std::vector<Route>& out) {
  out.push_back({.method = "GET", .pattern = "/healthz", .summary = "Liveness and the schema version",
                 .handler = health, .needs_token = false, .reply = Reply::record("Health")});
  out.push_back({.method = "GET", .pattern = "/metrics", .summary = "Prometheus metrics (text format)",
                 .handler = metrics, .needs_token = false, .reply = Reply::text("text/plain")});
  out.push_back({.method = "GET", .pattern = "/api/v1/openapi.json", .summary = "This document",
                 .handler = openapi, .needs_token = false, .reply = Reply::document()});
}

}  // namespace salescore::cli
