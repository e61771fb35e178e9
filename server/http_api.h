// The HTTP API of `salescore serve`: routing and the JSON replies.
//
// Routing is a plain function of (method, path) so it can be read and tested without a
// socket; ApiRequestHandlerFactory adapts it to Poco::Net::HTTPServer. Replies are JSON;
// an error is {"error":{"code":"not_found","message":"...","fields":{...}}}.
// Thread-safe: the engine serializes its own calls.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <string>

#include "salescore/engine.h"

namespace salescore::cli {

struct HttpReply {
  int status = 200;
  std::string body;   // JSON
  std::string allow;  // the Allow header of a 405
};

// `path` is already percent-decoded.
HttpReply route_api_request(Engine& engine, const std::string& method, const std::string& path);

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
