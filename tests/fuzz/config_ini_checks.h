// What must hold for any bytes given as salescore's INI configuration (`serve --config`,
// Python's open(config=)): the engine's part (salescore/config.h), the connectors' part
// (plugins/host/config_file.h) and the server's part (server/api/server_settings.h)
// each read the file or refuse it with a reason. config_ini_fuzz.cpp checks it on every
// input, FuzzCorpora on the checked-in seeds. The readers take a path, so the bytes go
// to a scratch file first.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "api/server_settings.h"
#include "host/config_file.h"
#include "salescore/config.h"

namespace salescore::fuzz {

// One scratch file per process, in TMPDIR (a fuzzer run writes it millions of times).
inline const std::string& scratch_ini() {
  static const std::string path = (std::filesystem::temp_directory_path() /
                                   ("salescore-fuzz-" + std::to_string(::getpid()) + ".ini")).string();
  return path;
}

inline std::string check_config_ini(std::string_view bytes) {
  const std::string& path = scratch_ini();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  auto config = Config::load(path);
  if (!config.ok() && config.status().message().empty()) return "the engine's config refused without a reason";
  if (config.ok()) {
    const SegmentConfig& s = config->segments;
    if (!(s.hot_days < s.warm_days && s.warm_days <= s.sleeping_days))
      return "a config whose segment thresholds are out of order was accepted";
    if (config->busy_timeout_ms < 0) return "a negative busy timeout was accepted";
  }
  auto connectors = plugins::read_connector_config(path);
  if (!connectors.ok() && connectors.status().message().empty()) return "the connectors' config refused without a reason";
  auto server = cli::read_server_settings(path);
  if (!server.ok() && server.status().message().empty()) return "the server's config refused without a reason";
  if (server.ok() && (server->threads < 1 || server->rate_limit < 0 || server->loops < 0))
    return "server settings out of range were accepted";
  std::remove(path.c_str());
  return {};
}

}  // namespace salescore::fuzz
