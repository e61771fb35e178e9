#include "engine/connection_slot.h"

namespace salescore::detail {

thread_local const ConnectionSlot* ConnectionSlot::t_writing = nullptr;
thread_local const ConnectionSlot* ConnectionSlot::t_reading = nullptr;
thread_local store::Connection* ConnectionSlot::t_reader = nullptr;

ReaderPool::ReaderPool(std::string url, store::OpenOptions options, int max_readers)
    : url_(std::move(url)), options_(options), max_readers_(max_readers < 1 ? 1 : max_readers) {}

Result<std::unique_ptr<store::Connection>> ReaderPool::take() {
  std::unique_lock lock(mutex_);
  returned_.wait(lock, [&] { return !idle_.empty() || opened_ < max_readers_; });
  if (!idle_.empty()) {
    auto reader = std::move(idle_.back());
    idle_.pop_back();
    return reader;
  }
  ++opened_;
  lock.unlock();
  // Opened outside the lock: it reads the schema, and the others need not wait for that.
  auto opened = store::open_connection(url_, options_);
  if (!opened.ok()) {
    lock.lock();
    --opened_;
    returned_.notify_one();
  }
  return opened;
}

bool ReaderPool::available() {
  std::lock_guard lock(mutex_);
  return !idle_.empty() || opened_ < max_readers_;
}

void ReaderPool::give_back(std::unique_ptr<store::Connection> reader) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(reader));
  }
  returned_.notify_one();
}

void ReaderPool::discard(std::unique_ptr<store::Connection> reader) {
  reader.reset();
  {
    std::lock_guard lock(mutex_);
    --opened_;
  }
  returned_.notify_one();
}

}  // namespace salescore::detail
