// What every service shares: the connection, the configuration, the clock, and the
// transaction helpers that give every write one transaction with its events.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "engine/connection_slot.h"
#include "store/run_locks.h"
#include "salescore/engine.h"
#include "store/sql.h"

namespace salescore::store {
class EventSignal;  // store/event_signal.h
}  // namespace salescore::store

namespace salescore::detail {

// A refused access waiting to be written to the audit trail. Kept aside because the
// refused operation's own transaction rolls back; written once no transaction is open.
struct PendingAudit {
  Id actor_id = 0;
  std::string entity;
  Id entity_id = 0;
  std::string payload;
};

// A private database standing in for `sqlite::memory:` (store_url.h), handed back when
// the engine is gone: declared before the connections, so it outlives them.
struct PrivateStore {
  std::string url;
  PrivateStore() = default;
  PrivateStore(const PrivateStore&) = delete;
  PrivateStore& operator=(const PrivateStore&) = delete;
  ~PrivateStore();
};

struct EngineState {
  PrivateStore private_store;
  // The writer, or this thread's reader during a read (connection_slot.h).
  ConnectionSlot conn;
  // Which connectors this process runs when several share the database (run_locks.h).
  std::unique_ptr<store::RunLocks> run_locks;
  // Wakes long polls when the event log moves (EventService::wait_for_more).
  std::shared_ptr<store::EventSignal> event_signal;
  Config config;
  std::shared_ptr<Clock> clock;
  int schema_version = 0;
  // One writer, so one writing caller at a time (and every read when there are no
  // readers). Recursive because batch() holds it while the services it calls take it again.
  std::recursive_mutex mutex;
  int tx_depth = 0;
  // Refusals can happen in reads on several threads at once, hence their own lock.
  std::mutex audit_mutex;
  std::vector<PendingAudit> pending_audit;

  Instant now() const { return clock->now(); }
};

// Runs `work` inside a write transaction, joining the caller's if one is open. On any
// failure the outermost transaction is rolled back, so a change is applied whole or
// not at all.
Status in_write_tx(EngineState& s, const std::function<Status()>& work);

template <class T, class F>
Result<T> write(EngineState& s, F&& work) {
  std::optional<Result<T>> out;
  Status st = in_write_tx(s, [&]() -> Status {
    out.emplace(work());
    return out->ok() ? Status::ok() : out->status();
  });
  if (!st.is_ok()) return st;
  return std::move(*out);
}

// Writes the pending "access.denied" events in a transaction of their own.
void flush_audit(EngineState& s);

// True when a refused access waits to be written to the audit trail.
bool audit_pending(EngineState& s);

// Runs `work` with this thread's statements routed to a pooled reader connection
// (connection_slot.h), then writes any refusal it recorded to the audit trail. Falls
// back to the writer when no reader can be had.
Status on_reader(EngineState& s, const std::function<Status()>& work);

// Reads without a transaction (single statements see committed data). On a reader when
// the database has readers and this thread is not inside a write; otherwise under the
// engine lock on the writer, so a read inside a write sees the write's own changes.
template <class T, class F>
Result<T> read(EngineState& s, F&& work) {
  if (s.conn.reading_here() && !s.conn.writing_here()) return work();  // nested read
  if (s.conn.readers() && !s.conn.writing_here()) {
    std::optional<Result<T>> out;
    Status st = on_reader(s, [&]() -> Status {
      out.emplace(work());
      return Status::ok();
    });
    if (!out) return st;
    return std::move(*out);
  }
  std::lock_guard lock(s.mutex);
  Result<T> out = work();
  if (s.tx_depth == 0 && audit_pending(s)) flush_audit(s);
  return out;
}

// Appends one event to the log inside the current transaction.
Status append_event(EngineState& s, const Actor& actor, const std::string& type, const std::string& entity,
                    Id entity_id, const std::string& payload);

class FieldErrors;
// Adds to `errors` every configured mandatory field of `entity` that is not filled, so
// one refusal names them together with the record's other problems.
void check_mandatory(const EngineState& s, FieldErrors& errors, const std::string& entity,
                     const std::function<bool(const std::string& field)>& is_filled);

// The user must exist when a record references one (owner, assignee...).
Status check_user_exists(EngineState& s, Id user_id, const std::string& field);

}  // namespace salescore::detail
