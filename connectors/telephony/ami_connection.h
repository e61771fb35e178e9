// One TCP connection to the Asterisk Manager Interface. A reader thread of its own frames
// what arrives and queues it, so the socket is read at once whatever the session does
// with the events (a database write, a burst of thousands of events per second): the
// reader never waits on the consumer. Thread-safe: send() from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ami_frame.h"

namespace salescore::telephony {

struct ReceivedFrame {
  AmiFrame frame;
  std::int64_t received_ms = 0;  // system clock when read
};

class AmiConnection {
 public:
  AmiConnection() = default;
  ~AmiConnection();
  AmiConnection(const AmiConnection&) = delete;
  AmiConnection& operator=(const AmiConnection&) = delete;

  // Connects within `timeout_ms` and starts the reader; "" or the reason it could not.
  std::string open(const std::string& host, int port, int timeout_ms);
  // Writes one action ("Action: Ping\r\nActionID: 7\r\n\r\n"); false once the connection is gone.
  bool send(const std::string& message);
  // Moves the queued frames to `out`, waiting up to `wait_ms` for the first one.
  void take(std::vector<ReceivedFrame>& out, int wait_ms);
  // False once the peer closed the connection or it failed (queued frames stay readable).
  bool alive() const { return alive_; }
  std::string why_closed() const;
  // Closes the socket; the reader ends. Safe from any thread, more than once.
  void close();
  std::size_t malformed_lines() const { return malformed_; }
  std::size_t queued() const;

 private:
  void read_loop();

  int fd_ = -1;
  std::thread reader_;
  std::atomic<bool> alive_{false};
  std::atomic<std::size_t> malformed_{0};
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<ReceivedFrame> queue_;
  std::string why_;
  std::mutex send_mutex_;
};

// An action as the wire wants it: "Key: Value" lines and a blank line. Values with a CR or
// LF are refused (""): they would smuggle a second action into the stream.
std::string ami_action(const std::vector<std::pair<std::string, std::string>>& headers);

}  // namespace salescore::telephony
