#include "store/wal_checkpointer.h"

namespace salescore::store {

WalCheckpointer::WalCheckpointer(sqlite3* writer, std::string path) : path_(std::move(path)) {
  // Replaces the automatic checkpoint: SQLite calls this after each commit instead.
  sqlite3_wal_hook(writer, &WalCheckpointer::committed, this);
  thread_ = std::thread([this] { run(); });
}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
  if (db_) sqlite3_close_v2(db_);
}

std::int64_t WalCheckpointer::now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int WalCheckpointer::committed(void* self, sqlite3*, const char*, int wal_pages) {
  auto* me = static_cast<WalCheckpointer*>(self);
  if (wal_pages < kRestartPages)
    me->long_since_ms_.store(0, std::memory_order_relaxed);  // started over since
  else if (me->long_since_ms_.load(std::memory_order_relaxed) == 0)
    me->long_since_ms_.store(now_ms(), std::memory_order_relaxed);
  if (wal_pages >= kPages) {
    {
      std::lock_guard lock(me->mutex_);
      me->wanted_ = true;
    }
    me->wake_.notify_one();
  }
  return SQLITE_OK;
}

bool WalCheckpointer::open() {
  if (db_) return true;
  // A connection that has not read the database yet does not know it is in WAL mode,
  // and its checkpoint does nothing: the pragma reads the header.
  if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK ||
      sqlite3_exec(db_, "PRAGMA journal_mode", nullptr, nullptr, nullptr) != SQLITE_OK) {
    sqlite3_close_v2(db_);  // a handle comes back even when the open fails
    db_ = nullptr;
    return false;
  }
  // How long a TRUNCATE waits for the writer and for the readers (PASSIVE never waits).
  sqlite3_busy_timeout(db_, kRestartWaitMs);
  return true;
}

void WalCheckpointer::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stop_ || wanted_; });
    if (stop_) return;
    wanted_ = false;
    lock.unlock();
    if (open()) {
      sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      const std::int64_t since = long_since_ms_.load(std::memory_order_relaxed), now = now_ms();
      if (since != 0 && now - since >= kRestartAfter.count() && now - last_truncate_ms_ >= kRestartAfter.count()) {
        last_truncate_ms_ = now;
        sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
      }
    }
    lock.lock();
  }
}

}  // namespace salescore::store
