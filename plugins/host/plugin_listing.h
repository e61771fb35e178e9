// What `salescore plugins list` prints, read without running any connector: every
// library found (and every one refused), whether its config section is valid, and
// what the database says of it (last success, backlog, dead letters, the state the
// running `salescore serve` last wrote). The server itself has more
// (ConnectorRuntime::health); this is the view from outside it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "host/config_file.h"
#include "host/registry.h"
#include "salescore/engine.h"

namespace salescore::plugins {

// One row per configured instance ([connector.NAME]) and per installed library no
// section runs, by name; then one per refused library.
struct PluginListing {
  std::string name;     // the instance; the library for one not configured; the file name for a refused one
  std::string library;  // the connector library it runs
  std::string version;
  std::string abi;      // "1.0"
  std::string file;
  // configured | disabled | not configured | not installed | bad config | refused; for a configured one,
  // what the server last said: running | retrying | backpressure | paused | failed | stopped
  std::string state;
  std::string reason;   // why refused or what is wrong with the config
  std::optional<Instant> last_success;
  std::string last_error;
  std::int64_t backlog = 0;
  std::int64_t dead_letters = 0;
};

std::vector<PluginListing> list_plugins(const ConnectorRegistry& registry, const ConnectorFileConfig& config,
                                        Engine& engine);

}  // namespace salescore::plugins
