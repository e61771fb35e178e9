// Progress of long work on stderr.
//
// On a terminal one line is redrawn in place ("orders  45% 13500/30000"); when stderr
// is a file or a pipe a line is written every few seconds instead, so logs stay
// readable. Short work prints nothing: the first report waits until the work has run
// for a moment. Not thread-safe: one Progress per loop.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace salescore::cli {

class Progress {
 public:
  // `total` 0: unknown, only the count is shown.
  Progress(std::string label, std::int64_t total);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void set_total(std::int64_t total) { total_ = total; }
  void update(std::int64_t done);
  void advance(std::int64_t n = 1) { update(done_ + n); }
  // Writes the final figure if anything was shown; called by the destructor otherwise.
  void finish();

 private:
  using Clock = std::chrono::steady_clock;
  std::string line() const;
  void draw(bool final_line);

  std::string label_;
  std::int64_t total_;
  std::int64_t done_ = 0;
  bool terminal_;
  bool shown_ = false;
  bool finished_ = false;
  Clock::time_point started_;
  Clock::time_point last_drawn_;
};

}  // namespace salescore::cli
