// PostgreSQL behind the Connection interface: one libpq session, its prepared statements
// cached by SQL text as SqliteConnection's are.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/pg_statement.h"
#include "store/sql.h"

namespace salescore::store {

class PgConnection final : public Connection {
 public:
  PgConnection(PGconn* conn, OpenOptions options);
  ~PgConnection() override;

  const Dialect& dialect() const override { return dialect_; }
  Result<Statement*> prepare(const std::string& sql) override;
  Status exec(const std::string& sql) override;
  // BEGIN, then the database's writer lock (lock_writer), as SQLite's BEGIN IMMEDIATE.
  Status begin_write() override;
  // One snapshot for every statement of the read, as SQLite's read transaction gives.
  Status begin_read() override { return begin("BEGIN ISOLATION LEVEL REPEATABLE READ"); }
  Status commit() override;
  Status rollback() override;
  std::int64_t last_insert_id() override { return last_insert_id_; }
  bool read_only() const override { return options_.read_only; }

  // The session's settings (statement timeout, read-only readers), again after a reconnect.
  Status configure();

  // For PgStatement.
  PGconn* raw() { return conn_; }
  // Bumped by every reconnect: statements prepared before it are gone on the server.
  int generation() const { return generation_; }
  void note_insert_id(std::int64_t id) { last_insert_id_ = id; }
  // One write transaction at a time per database, across processes: a transaction-scoped
  // advisory lock, held to commit or rollback. The services are written for one writer
  // (read a record, check the rules, save it): under READ COMMITTED two processes could
  // both find an idempotency key free, both breach the same lead's SLA, both pass a
  // stock check. And events.seq comes from a sequence, taken when the INSERT runs, not at
  // commit: were two processes to take 101 and 102 and commit 102 first, a reader of
  // `events?after=` would move past 101 before it appeared and never see it. With the
  // lock, seq order is commit order. begin_write() takes it; an INSERT INTO events takes
  // it too (a no-op then), for a write that began otherwise.
  Status lock_writer();
  // Before an INSERT INTO events: the writer lock, and a NOTIFY at commit.
  Status lock_event_log() {
    events_appended_ = true;
    return lock_writer();
  }
  // After a failed call: if the session itself is lost, the next transaction reconnects.
  void note_failure() { broken_ = PQstatus(conn_) != CONNECTION_OK; }

  // Pipeline mode (libpq 14+). A write transaction is many statements, and most of them
  // (an order's lines, its event, the KPI upserts) return nothing the caller reads: their
  // only answer is "done" or an error. Each sent alone costs a round trip to the server.
  // Such a statement is sent without waiting (send_deferred) and its answer is read with
  // those of the statements after it at the next point that needs the server's answer
  // (settle): a statement whose rows the caller reads, exec(), commit(), rollback().
  // An error of a deferred statement is returned there: PostgreSQL has aborted the
  // transaction at that statement already, so it rolls back whole as it would have; the
  // caller learns of it a few statements later. Inside a savepoint (Engine::attempt)
  // nothing is deferred, since there an error is caught and the transaction goes on.
  bool can_defer() const { return pipeline_ && writing_ && savepoints_ == 0 && !broken_; }
  Status send_deferred(const std::string& name, int count, const char* const* params, const std::string& sql);
  // Reads the answers of every deferred statement and leaves pipeline mode: the first
  // error among them, or ok.
  Status settle() { return settle(nullptr); }
  bool pipelining() const { return !pending_.empty(); }
  // A statement whose rows the caller reads, sent after the deferred ones in the same
  // round trip (settling them costs no trip of its own): its result (the caller's to
  // PQclear), or the first error of the deferred statements.
  Result<PGresult*> run_after_deferred(const std::string& name, int count, const char* const* params,
                                       const std::string& sql);

 private:
  Status begin(const char* sql);
  // Sends a prepared statement into the pipeline (entering it first), its SQL noted for
  // the error of its answer.
  Status send(const std::string& name, int count, const char* const* params, const std::string& sql);
  // settle(); with `last`, the last statement sent is the caller's: its result is
  // handed over there instead of being checked.
  Status settle(PGresult** last);
  Status reconnect_if_lost();
  // Whether `sql` is an INSERT without RETURNING into a table whose id the database
  // assigns: then " RETURNING id" is added to give last_insert_id() its value.
  Result<bool> needs_returning_id(const std::string& sql);

  PGconn* conn_;
  const OpenOptions options_;
  PostgresDialect dialect_;
  std::unordered_map<std::string, std::unique_ptr<PgStatement>> cache_;
  std::unordered_map<std::string, bool> identity_tables_;  // table -> has an assigned id
  std::int64_t last_insert_id_ = 0;
  int generation_ = 0;
  int statements_named_ = 0;
  bool broken_ = false;
  bool writer_locked_ = false;  // in the transaction in progress
  bool events_appended_ = false;  // by the transaction in progress: NOTIFY before COMMIT
  const bool pipeline_;         // SALESCORE_PG_PIPELINE=off turns deferral off (measuring)
  bool writing_ = false;        // a write transaction (begin_write) is in progress
  int savepoints_ = 0;          // open savepoints of the transaction in progress
  std::vector<const std::string*> pending_;  // the SQL of each deferred statement, in order
};

Result<std::unique_ptr<Connection>> open_postgresql(const std::string& url, const OpenOptions& options);

}  // namespace salescore::store
