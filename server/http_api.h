// The service behind `salescore serve`'s front end (http/event_server.h): requests to
// a connector's route (the 1C exchange, a webhook) go to the connectors, the rest to a
// route of the API (api/api_router.h).
//
// Per API request: the bearer token (a token names a user; the engine then applies that
// user's rights — the server adds no access rule of its own) is resolved before the
// route runs; the URI, header and body limits were checked by the front end. Every
// request is counted in /metrics and written as one JSON access-log line.
// Thread-safe: called from the event loops and the workers at once.
#pragma once

#include <string>

#include "http/event_server.h"
#include "salescore/engine.h"

namespace salescore::cli {

class ConnectorHost;

class ApiService final : public http::HttpService {
 public:
  explicit ApiService(Engine& engine, ConnectorHost* connectors = nullptr)
      : engine_(engine), connectors_(connectors) {}

  std::size_t body_limit(const http::HttpRequest& head) override;
  // The loop: a GET of one record (or /healthz) when a reader connection is free (it
  // never waits for a write). The waiting pool: the long poll of /api/v1/events. The
  // rest: a worker.
  Lane lane(const http::HttpRequest& request) override;
  http::HttpResponse answer(http::HttpRequest& request) override;
  http::HttpResponse refuse(int status, const std::string& message) override;

 private:
  bool connector_route(const http::HttpRequest& request, std::string& path) const;

  Engine& engine_;
  ConnectorHost* connectors_;
};

}  // namespace salescore::cli
