#include "api/api_access_log.h"

#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace salescore::cli {
namespace {
constexpr std::size_t kFlushBytes = 64 * 1024;
constexpr auto kFlushEvery = std::chrono::milliseconds(200);
}  // namespace

AccessLog& AccessLog::instance() {
  static AccessLog log;
  return log;
}

AccessLog::AccessLog() : writer_([this] { run(); }) {}

AccessLog::~AccessLog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  writer_.join();
}

void AccessLog::write(std::string line) {
  bool full;
  {
    std::lock_guard lock(mutex_);
    pending_ += line;
    pending_ += '\n';
    full = pending_.size() >= kFlushBytes;
  }
  if (full) wake_.notify_one();
}

void AccessLog::flush() {
  std::string lines;
  {
    std::lock_guard lock(mutex_);
    lines.swap(pending_);
  }
  write_out(lines);
}

void AccessLog::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, kFlushEvery, [&] { return stopping_ || pending_.size() >= kFlushBytes; });
    std::string lines;
    lines.swap(pending_);
    lock.unlock();
    write_out(lines);
    lock.lock();
  }
  std::string rest;
  rest.swap(pending_);
  lock.unlock();
  write_out(rest);
}

void AccessLog::write_out(std::string& lines) {
  // Straight to the descriptor: these are whole lines, and stderr's own buffering and
  // lock would only add copies. A full pipe blocks the writer thread, not the requests.
  std::size_t done = 0;
  while (done < lines.size()) {
    ssize_t n = ::write(STDERR_FILENO, lines.data() + done, lines.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // stderr closed: nothing else to tell
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace salescore::cli
