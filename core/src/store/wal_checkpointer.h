// Checkpoints a writer's WAL on a thread and connection of its own, in place of SQLite's
// automatic checkpoint, which runs inside the COMMIT that crosses its threshold: after a
// 1C catalog import (one transaction of ~100 MB, bench/run onec) that COMMIT copied the
// whole WAL into the database and synced it before 1C got its answer, about a second.
// PASSIVE, like the automatic one: it copies what no reader still needs and never waits
// for readers or the writer, who go on meanwhile. A failed checkpoint is left for the
// next one, as SQLite does; the WAL is checkpointed in full when the last connection
// closes.
//
// PASSIVE alone let the WAL grow without end under a steady load (1.5 GB beside an
// 895 MB database in the 10-minute soak, 567 MB after 90 s of it; bench/RESULTS.md):
// SQLite starts the WAL over only when a write begins while every frame is copied AND no
// reader still reads from it, and with 64 connections some reader always did, while
// writers kept adding frames. So when the WAL has stayed kRestartPages long or longer
// for kRestartAfter (it was not started over meanwhile), the PASSIVE checkpoint is
// followed by a TRUNCATE: it holds new writes back while it copies the few frames the
// PASSIVE one left and waits, at most kRestartWaitMs, for the readers of older snapshots
// to end, then empties the WAL file, and the next write starts it from its beginning.
// Readers never wait; if one outlasts the wait it is a PASSIVE checkpoint after all, and
// the next try comes kRestartAfter later. One large transaction (a 1C catalog) is no
// steady load: the next write starts the log over by itself, and nothing waits.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace salescore::store {

class WalCheckpointer {
 public:
  // SQLite's own threshold (wal_autocheckpoint): a checkpoint once the WAL has this many
  // pages after a commit.
  static constexpr int kPages = 1000;
  // A WAL this long (32 MB of 8 KiB pages) for kRestartAfter is not being started over.
  static constexpr int kRestartPages = 4 * kPages;
  static constexpr std::chrono::milliseconds kRestartAfter{250};
  static constexpr int kRestartWaitMs = 100;

  // Hooks the commits of `writer` (a connection to the file at `path`).
  WalCheckpointer(sqlite3* writer, std::string path);
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

 private:
  static int committed(void* self, sqlite3*, const char*, int wal_pages);
  void run();
  bool open();
  static std::int64_t now_ms();

  const std::string path_;
  sqlite3* db_ = nullptr;  // the checkpointing thread's own
  std::mutex mutex_;
  std::condition_variable wake_;
  bool wanted_ = false;
  bool stop_ = false;
  // Since when (steady ms) every commit found the WAL kRestartPages long; 0: the last
  // one found it shorter. Written by the committing thread, read by the checkpointer.
  std::atomic<std::int64_t> long_since_ms_{0};
  std::int64_t last_truncate_ms_ = 0;  // the checkpointer thread's
  std::thread thread_;
};

}  // namespace salescore::store
