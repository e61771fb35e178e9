#include "connector_host.h"

#include <Poco/String.h>

#include <chrono>
#include <iostream>

#include "host/config_file.h"
#include "host/registry.h"

namespace salescore::cli {
namespace {

// How often the runtime looks for due polls, retries and deliveries when it has nothing
// more to do at once; while a backlog drains it steps again without the pause (at 100
// deliveries a step, the pause alone held a webhook drain under 500 a second).
constexpr auto kSchedulerTick = std::chrono::milliseconds(200);

http::HttpResponse text_reply(plugins::RouteResponse out) {
  http::HttpResponse response;
  response.status = out.status;
  response.content_type = "text/plain; charset=utf-8";
  for (const auto& [name, value] : out.headers) {
    if (Poco::icompare(name, "Content-Type") == 0)
      response.content_type = value;
    else if (Poco::icompare(name, "Content-Length") != 0 && Poco::icompare(name, "Connection") != 0)
      response.headers.push_back({name, value});
  }
  response.body = std::move(out.body);  // a mode=query document can be large
  return response;
}

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
  // Every section is an instance; several may run one library (a web shop each).
  std::set<std::string> used;
  for (const auto& [instance, settings] : file.connectors) {
    const std::string library_name = plugins::library_of(instance, settings);
    auto library = registry.find(library_name);
    if (!library) {
      std::cerr << "connectors: [connector." << instance << "] is configured but no connector named '" << library_name
                << "' is installed\n";
      continue;
    }
    used.insert(library_name);
    Status st = runtime_.add(library, settings, instance);
    if (!st.is_ok()) std::cerr << "connectors: " << st.message() << "\n";
    else {
      ++running_;
      names_.push_back(instance);
    }
  }
  for (const auto& library : registry.connectors()) {
    const std::string& name = library->descriptor().name;
    if (config_path.empty() || used.count(name)) continue;
    std::cerr << "connectors: " << name << " is installed but not configured (add [connector." << name
              << "] to the config file; `salescore plugins describe " << name << "` lists its settings)\n";
  }
  for (const auto& route : runtime_.routes()) routes_.insert(route);
  runtime_.start_sessions();
  scheduler_ = std::thread([this] {
    while (!stopping_.load()) {
      if (!runtime_.run_due()) std::this_thread::sleep_for(kSchedulerTick);
    }
  });
}

ConnectorHost::~ConnectorHost() {
  runtime_.begin_shutdown();  // a poll in hand ends at its page, so the join is short
  stopping_ = true;
  if (scheduler_.joinable()) scheduler_.join();
  runtime_.stop_sessions();
  runtime_.record_stopped();  // plugins list must not go on saying "running"
}

bool ConnectorHost::serves(const std::string& method, const std::string& path) const {
  return routes_.count(method + " " + path) > 0;
}

http::HttpResponse ConnectorHost::answer(http::HttpRequest& request, const std::string& path) {
  if (request.body_too_large)
    return text_reply({413, {}, "request body over " + std::to_string(kMaxBody) + " bytes\n"});
  plugins::RouteRequest in;
  in.method = request.method;
  in.path = path;
  const std::size_t question = request.target.find('?');
  if (question != std::string::npos) in.query = request.target.substr(question + 1);
  for (auto& h : request.headers) in.headers.emplace_back(h.name, h.value);
  in.remote_address = request.remote;
  in.body = std::move(request.body);  // a 1C upload can be 100 MB: moved, not copied
  auto out = runtime_.handle(in);
  std::fprintf(stderr, "%s %s %s %d\n", in.remote_address.c_str(), in.method.c_str(), request.target.c_str(),
               out ? out->status : 404);
  return text_reply(out ? std::move(*out) : plugins::RouteResponse{404, {}, "no such route\n"});
}

}  // namespace salescore::cli
