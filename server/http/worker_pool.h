// Threads that run the requests an event loop hands off (event_server.h): a queue and
// a fixed number of threads taking from it.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace salescore::http {

class WorkerPool {
 public:
  explicit WorkerPool(int threads);
  // Runs every job already submitted, then joins the threads.
  ~WorkerPool();
  void submit(std::function<void()> job);
  // Jobs submitted and not yet started.
  std::size_t queued();

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace salescore::http
