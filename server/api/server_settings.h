// The [server] section of the config file, which `salescore serve --config FILE` reads
// besides the engine's sections and the connectors':
//
//   [server]
//   rate_limit = 100     ; API requests per second per token, bursts of twice that, shared by the serve processes of the database (0: off)
//   threads = 16         ; worker threads for writes, lists, reports, connector routes
//   loops = 0            ; event loops owning the connections (0: two per core)
//
// Command-line options (--rate-limit, --threads, --loops) override the file.
#pragma once

#include <cstdint>
#include <string>

#include "salescore/status.h"

namespace salescore::cli {

struct ServerSettings {
  std::int64_t rate_limit = 100;
  std::int64_t threads = 16;
  std::int64_t loops = 0;
  bool secure_cookies = false;  // the session cookie marked Secure (behind a TLS front end)
};

// The settings of `path` (empty: the defaults). kInvalidArgument naming the key when a
// value is not a number in range or the file cannot be read.
Result<ServerSettings> read_server_settings(const std::string& path);

}  // namespace salescore::cli
