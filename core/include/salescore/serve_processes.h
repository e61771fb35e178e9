// The `salescore serve` processes of one database, seen through a heartbeat table
// (serve_processes, migration 26): how many share the database now, so that each takes
// its share of a limit meant for the whole deployment (the API rate limit of
// server/api/api_rate_limit.h). One write per process every few seconds, none per request.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "salescore/config.h"
#include "salescore/status.h"

namespace salescore {

class ServeProcesses {
 public:
  // A connection of its own to the database at `url` (sqlite:PATH or postgresql://...),
  // so that a heartbeat never waits behind the engine's writes in this process.
  static Result<std::unique_ptr<ServeProcesses>> open(const std::string& url, const Config& config);
  ~ServeProcesses();

  // Records `process` as alive at `now_ms`, forgets processes unseen for ten times
  // `live_ms`, and answers how many were seen within the last `live_ms` (this one
  // included, so at least 1).
  Result<int> beat(const std::string& process, std::int64_t now_ms, std::int64_t live_ms);
  // A process that stops cleanly leaves: the others take its share at their next beat.
  Status leave(const std::string& process);

 private:
  struct Impl;
  explicit ServeProcesses(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace salescore
