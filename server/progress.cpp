#include "progress.h"

#include <unistd.h>

#include <cstdio>

namespace salescore::cli {
namespace {

// A terminal shows a redraw almost at once; a log gets a line only now and then.
constexpr auto kTerminalFirst = std::chrono::milliseconds(300);
constexpr auto kTerminalEvery = std::chrono::milliseconds(100);
constexpr auto kLogEvery = std::chrono::seconds(5);

}  // namespace

Progress::Progress(std::string label, std::int64_t total)
    : label_(std::move(label)), total_(total), terminal_(isatty(STDERR_FILENO) == 1), started_(Clock::now()) {
  last_drawn_ = started_;
}

Progress::~Progress() { finish(); }

std::string Progress::line() const {
  char buf[160];
  if (total_ > 0) {
    int percent = static_cast<int>(done_ * 100 / total_);
    std::snprintf(buf, sizeof buf, "%-14s %3d%% %lld/%lld", label_.c_str(), percent, static_cast<long long>(done_),
                  static_cast<long long>(total_));
  } else {
    std::snprintf(buf, sizeof buf, "%-14s %lld", label_.c_str(), static_cast<long long>(done_));
  }
  return buf;
}

void Progress::draw(bool final_line) {
  std::string text = line();
  if (final_line) {
    double seconds = std::chrono::duration<double>(Clock::now() - started_).count();
    char buf[48];
    std::snprintf(buf, sizeof buf, " in %.1f s", seconds);
    text += buf;
  }
  if (terminal_)
    std::fprintf(stderr, "\r\033[K%s%s", text.c_str(), final_line ? "\n" : "");
  else
    std::fprintf(stderr, "%s\n", text.c_str());
  std::fflush(stderr);
  shown_ = true;
  last_drawn_ = Clock::now();
}

void Progress::update(std::int64_t done) {
  done_ = done;
  if (finished_) return;
  auto now = Clock::now();
  if (terminal_) {
    if (now - started_ >= kTerminalFirst && now - last_drawn_ >= kTerminalEvery) draw(false);
  } else if (now - last_drawn_ >= kLogEvery) {
    draw(false);
  }
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  if (shown_) draw(true);
}

}  // namespace salescore::cli
