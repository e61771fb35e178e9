#include "api/serve_heartbeat.h"

#include <unistd.h>

#include <chrono>
#include <iostream>

#include "api/api_rate_limit.h"

namespace salescore::cli {
namespace {

// A process unseen for three beats is taken for gone: its share goes to the others.
constexpr auto kBeatEvery = std::chrono::seconds(2);
constexpr std::int64_t kLiveMs = 6000;

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string host_and_pid() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = 0;
  return std::string(host) + ":" + std::to_string(getpid());
}

}  // namespace

ServeHeartbeat::ServeHeartbeat(const std::string& url, const Config& config) : name_(host_and_pid()) {
  if (url == "sqlite::memory:") return;
  auto opened = ServeProcesses::open(url, config);
  if (!opened.ok()) {
    std::cerr << "serve: no heartbeat, the rate limit counts for this process alone: " << opened.status().to_string()
              << std::endl;
    return;
  }
  processes_ = std::move(opened).value();
  beat();
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, kBeatEvery, [this] { return stopping_; })) {
      lock.unlock();
      beat();
      lock.lock();
    }
  });
}

ServeHeartbeat::~ServeHeartbeat() {
  if (!processes_) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  (void)processes_->leave(name_);
}

void ServeHeartbeat::beat() {
  auto live = processes_->beat(name_, now_ms(), kLiveMs);
  if (live.ok()) {
    RateLimiter::instance().share_among(*live);
    warned_ = false;
  } else if (!warned_) {  // once per outage, not every two seconds
    std::cerr << "serve: heartbeat failed, keeping the rate limit's last share: " << live.status().to_string()
              << std::endl;
    warned_ = true;
  }
}

}  // namespace salescore::cli
