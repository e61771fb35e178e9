// Which connection a service's statement runs on.
//
// The engine writes through one connection (SQLite allows one writer at a time, and the
// engine's write transactions bundle a change with its events). Reads do not have to
// wait for it: on a database file in WAL mode, each reader connection sees the last
// committed state while the writer works. So reads borrow a connection from a small pool
// of readers, and `salescore serve`'s workers stop queueing behind one mutex for GETs.
//
// Services keep writing `*s.conn` / `s.conn->`: the slot resolves to the reader this
// thread borrowed for the read in progress, and to the writer everywhere else (inside a
// write transaction — reads there must see the transaction's own uncommitted changes —
// and on an in-memory database, which has no second connection to share it).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/sql.h"

namespace salescore::detail {

// Read-only connections to the same database file, opened on demand up to a cap and
// reused. Each keeps its own prepared statements.
class ReaderPool {
 public:
  ReaderPool(std::string url, store::OpenOptions options, int max_readers);
  // A reader, waiting for one to come back when all `max_readers` are out.
  Result<std::unique_ptr<store::Connection>> take();
  void give_back(std::unique_ptr<store::Connection> reader);
  // Whether take() would answer now without waiting (a moment later it may not).
  bool available();
  // Closes a reader left in a state it cannot be reused in; the next take opens another.
  void discard(std::unique_ptr<store::Connection> reader);

 private:
  const std::string url_;
  const store::OpenOptions options_;
  const int max_readers_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<store::Connection>> idle_;
  int opened_ = 0;
};

class ConnectionSlot {
 public:
  store::Connection& operator*() const { return current(); }
  store::Connection* operator->() const { return &current(); }

  void set_writer(std::unique_ptr<store::Connection> writer) { writer_ = std::move(writer); }
  store::Connection& writer() const { return *writer_; }

  // Readers for this database, or none (in-memory database): then reads use the writer.
  void set_readers(std::unique_ptr<ReaderPool> readers) { readers_ = std::move(readers); }
  ReaderPool* readers() const { return readers_.get(); }

  // True while this thread runs a write transaction on this slot.
  bool writing_here() const { return t_writing == this; }
  // True while this thread holds one of this slot's readers.
  bool reading_here() const { return t_reading == this; }

  // Marks this thread as writing through the slot until destroyed (nests).
  class WritingScope {
   public:
    explicit WritingScope(const ConnectionSlot& slot) : saved_(t_writing) { t_writing = &slot; }
    ~WritingScope() { t_writing = saved_; }
    WritingScope(const WritingScope&) = delete;
    WritingScope& operator=(const WritingScope&) = delete;

   private:
    const ConnectionSlot* saved_;
  };

  // Routes this thread's statements on the slot to `reader` until destroyed.
  class ReadingScope {
   public:
    ReadingScope(const ConnectionSlot& slot, store::Connection& reader)
        : saved_slot_(t_reading), saved_reader_(t_reader) {
      t_reading = &slot;
      t_reader = &reader;
    }
    ~ReadingScope() {
      t_reading = saved_slot_;
      t_reader = saved_reader_;
    }
    ReadingScope(const ReadingScope&) = delete;
    ReadingScope& operator=(const ReadingScope&) = delete;

   private:
    const ConnectionSlot* saved_slot_;
    store::Connection* saved_reader_;
  };

 private:
  store::Connection& current() const {
    if (t_reading == this && t_writing != this) return *t_reader;
    return *writer_;
  }

  std::unique_ptr<store::Connection> writer_;
  std::unique_ptr<ReaderPool> readers_;
  // Per thread, so that one engine's worker threads each route to their own reader and
  // several engines in one process (tests, tools) do not see each other's.
  static thread_local const ConnectionSlot* t_writing;
  static thread_local const ConnectionSlot* t_reading;
  static thread_local store::Connection* t_reader;
};

}  // namespace salescore::detail
