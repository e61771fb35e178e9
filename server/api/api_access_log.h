// The access log: one JSON line per request on stderr, written in batches.
//
// A line per write(2) cost each request a system call on its worker; lines now collect
// in memory and a writer thread flushes them every 200 ms (or at once past 64 KB), and on
// shutdown. A crash can lose the last 200 ms of the log, never a request.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace salescore::cli {

class AccessLog {
 public:
  static AccessLog& instance();
  // Queues one line (without its newline).
  void write(std::string line);
  // Writes out everything queued; called on shutdown.
  void flush();
  ~AccessLog();

 private:
  AccessLog();
  void run();
  void write_out(std::string& lines);

  std::mutex mutex_;
  std::condition_variable wake_;
  std::string pending_;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace salescore::cli
