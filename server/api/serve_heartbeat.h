// The heartbeat of a `salescore serve` process: every few seconds it records itself in the
// database's serve_processes table (salescore/serve_processes.h) and gives the API rate
// limiter the number of live processes, so each admits its share of the deployment's
// limit. A heartbeat that fails (the database away) keeps the last share.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "salescore/config.h"
#include "salescore/serve_processes.h"

namespace salescore::cli {

class ServeHeartbeat {
 public:
  // Beats once before returning (so a process starts with its share), then on a thread.
  // Nothing for a private in-memory database: no other process can share it.
  ServeHeartbeat(const std::string& url, const Config& config);
  // Leaves the table: the other processes take this one's share at their next beat.
  ~ServeHeartbeat();

 private:
  void beat();

  std::unique_ptr<ServeProcesses> processes_;
  std::string name_;  // host:pid
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool warned_ = false;
  std::thread thread_;
};

}  // namespace salescore::cli
