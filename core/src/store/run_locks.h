// Run locks: work that must run in one process of several sharing a database (a
// connector's polls, session and deliveries). On PostgreSQL a session-level advisory lock
// on a connection of its own (pg_run_locks.cpp): the server drops it when the process
// dies or its connection is lost, so another process takes the work over. A SQLite
// database is written by one process, which always holds every lock.
#pragma once

#include <memory>
#include <string>

#include "store/sql.h"

namespace salescore::store {

class RunLocks {
 public:
  virtual ~RunLocks() = default;
  // True while this process holds the lock named `name`: taken when free, kept while
  // the connection that holds it lives. False when another process holds it, or when
  // this process has just lost it (its connection dropped): the caller stops the work.
  virtual Result<bool> hold(const std::string& name) = 0;
  virtual void release(const std::string& name) = 0;
  // True when only this process can write the database (SQLite): every lock is this
  // process's, and whatever another process left claimed, it left by dying.
  virtual bool sole_process() const { return false; }
};

// For a store URL (the same as open_connection's); nothing connects before the first hold().
std::unique_ptr<RunLocks> make_run_locks(const std::string& url, const OpenOptions& options);

}  // namespace salescore::store
