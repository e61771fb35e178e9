// The HTTP side of `salescore serve`: turns a Poco request into a call of a route of
// the API (api/api_router.h) and the reply back into a response.
//
// Per request: the URI length, the bearer token (a token names a user; the engine then
// applies that user's rights — the server adds no access rule of its own) and the body
// size are checked before any route runs; every request is counted in /metrics and
// written to stderr as one JSON access-log line.
// Thread-safe: the engine serializes its own calls.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <string>

#include "api/api_reply.h"
#include "salescore/engine.h"

namespace salescore::cli {

class ConnectorHost;

// Requests to a connector's route (the 1C exchange, a webhook) go to `connectors`; the
// rest to the API.
class ApiRequestHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit ApiRequestHandlerFactory(Engine& engine, ConnectorHost* connectors = nullptr)
      : engine_(engine), connectors_(connectors) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

 private:
  Engine& engine_;
  ConnectorHost* connectors_;
};

}  // namespace salescore::cli
