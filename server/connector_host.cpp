#include "connector_host.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <chrono>
#include <iostream>

#include "host/config_file.h"
#include "host/registry.h"

namespace salescore::cli {
namespace {

// The largest body a connector route accepts: room for a 1C base configured with chunks
// of up to 256 MB (the connector asks for 16 MB by default).
constexpr std::size_t kMaxConnectorBody = 256u * 1024 * 1024;
// How often the runtime looks for due polls, retries and deliveries.
constexpr auto kSchedulerTick = std::chrono::milliseconds(200);

class ConnectorRouteHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit ConnectorRouteHandler(plugins::ConnectorRuntime& runtime) : runtime_(runtime) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    plugins::RouteRequest in;
    in.method = request.getMethod();
    Poco::URI uri(request.getURI());
    in.path = uri.getPath();
    in.query = uri.getRawQuery();
    for (const auto& [name, value] : request) in.headers.emplace_back(name, value);
    in.remote_address = request.clientAddress().toString();
    if (request.hasContentLength() && static_cast<std::size_t>(request.getContentLength64()) > kMaxConnectorBody) {
      reply(response, {413, {}, "request body over " + std::to_string(kMaxConnectorBody) + " bytes\n"});
      return;
    }
    // Sized once from Content-Length: growing a 100 MB upload by doubling would hold the
    // old and the new buffer at once.
    if (request.hasContentLength() && request.getContentLength64() > 0)
      in.body.reserve(static_cast<std::size_t>(request.getContentLength64()));
    std::istream& body = request.stream();
    char buffer[65536];
    while (body.read(buffer, sizeof buffer) || body.gcount() > 0) {
      in.body.append(buffer, static_cast<std::size_t>(body.gcount()));
      if (in.body.size() > kMaxConnectorBody) {
        reply(response, {413, {}, "request body over " + std::to_string(kMaxConnectorBody) + " bytes\n"});
        return;
      }
    }
    auto out = runtime_.handle(in);
    reply(response, out ? *out : plugins::RouteResponse{404, {}, "no such route\n"});
    std::fprintf(stderr, "%s %s %s %d\n", in.remote_address.c_str(), in.method.c_str(), request.getURI().c_str(),
                 out ? out->status : 404);
  }

 private:
  static void reply(Poco::Net::HTTPServerResponse& response, const plugins::RouteResponse& out) {
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(out.status));
    bool typed = false;
    for (const auto& [name, value] : out.headers) {
      response.set(name, value);
      typed = typed || Poco::icompare(name, "Content-Type") == 0;
    }
    if (!typed) response.setContentType("text/plain; charset=utf-8");
    response.setContentLength(static_cast<std::streamsize>(out.body.size()));
    response.send() << out.body;
  }

  plugins::ConnectorRuntime& runtime_;
};

}  // namespace

ConnectorHost::ConnectorHost(Engine& engine, const std::string& config_path) : runtime_(engine) {
  plugins::ConnectorFileConfig file;
  if (!config_path.empty()) {
    auto read = plugins::read_connector_config(config_path);
    if (read.ok()) file = std::move(read).value();
    else std::cerr << "connectors: " << read.status().message() << "\n";
  }
  plugins::LoaderOptions loader;
  loader.dirs = file.plugin_dirs;
  auto registry = plugins::ConnectorRegistry::load(loader);
  for (const auto& refused : registry.refused()) std::cerr << "connectors: refused " << refused.reason << "\n";
  for (const auto& library : registry.connectors()) {
    const std::string& name = library->descriptor().name;
    auto section = file.connectors.find(name);
    if (section == file.connectors.end()) {
      if (config_path.empty()) continue;
      std::cerr << "connectors: " << name << " is installed but not configured (add [connector." << name
                << "] to the config file; `salescore plugins describe " << name << "` lists its settings)\n";
      continue;
    }
    Status st = runtime_.add(library, section->second);
    if (!st.is_ok()) std::cerr << "connectors: " << st.message() << "\n";
    else {
      ++running_;
      names_.push_back(name);
    }
  }
  for (const auto& [name, settings] : file.connectors)
    if (!registry.find(name)) std::cerr << "connectors: [connector." << name << "] is configured but no such connector is installed\n";
  for (const auto& route : runtime_.routes()) routes_.insert(route);
  runtime_.start_sessions();
  scheduler_ = std::thread([this] {
    while (!stopping_.load()) {
      runtime_.run_due();
      std::this_thread::sleep_for(kSchedulerTick);
    }
  });
}

ConnectorHost::~ConnectorHost() {
  stopping_ = true;
  if (scheduler_.joinable()) scheduler_.join();
  runtime_.stop_sessions();
}

Poco::Net::HTTPRequestHandler* ConnectorHost::handler_for(const std::string& method, const std::string& path) {
  if (!routes_.count(method + " " + path)) return nullptr;
  return new ConnectorRouteHandler(runtime_);
}

}  // namespace salescore::cli
