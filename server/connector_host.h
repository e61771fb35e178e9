// The connectors inside `salescore serve`: loads every connector library (beside the
// executable, the install prefix, and the [plugins] dirs of the config file), starts
// one instance per [connector.NAME] section (of the library its `library` key names,
// else of library NAME), drives their runtime (polls, retries,
// deliveries) from a thread of its own and serves their HTTP routes.
#pragma once

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <vector>
#include <thread>

#include "host/connector_runtime.h"
#include "http/http_message.h"
#include "salescore/engine.h"

namespace salescore::cli {

class ConnectorHost {
 public:
  // `config_path` may be empty (no connector is configured then, only listed). A
  // connector that is refused or misconfigured is reported on stderr; the others run.
  ConnectorHost(Engine& engine, const std::string& config_path);
  ~ConnectorHost();
  ConnectorHost(const ConnectorHost&) = delete;
  ConnectorHost& operator=(const ConnectorHost&) = delete;

  // The largest body a connector route accepts: room for a 1C base configured with
  // chunks of up to 256 MB (the connector asks for 16 MB by default).
  static constexpr std::size_t kMaxBody = 256u * 1024 * 1024;

  // Whether `method path` (the decoded path) is one of the connectors' routes.
  bool serves(const std::string& method, const std::string& path) const;
  // Answers a request to one of those routes (`path` decoded, as for serves()).
  http::HttpResponse answer(http::HttpRequest& request, const std::string& path);
  std::size_t running() const { return running_; }
  // The names of the connector instances that run (for the outbox backlog in /metrics).
  const std::vector<std::string>& names() const { return names_; }

 private:
  plugins::ConnectorRuntime runtime_;
  std::set<std::string> routes_;  // "METHOD /path"
  std::size_t running_ = 0;
  std::vector<std::string> names_;
  std::atomic<bool> stopping_{false};
  std::thread scheduler_;
};

}  // namespace salescore::cli
