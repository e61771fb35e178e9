// PostgreSQL behind the Connection interface: one libpq session, its prepared statements
// cached by SQL text as SqliteConnection's are.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <unordered_map>

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

 private:
  Status begin(const char* sql);
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
};

Result<std::unique_ptr<Connection>> open_postgresql(const std::string& url, const OpenOptions& options);

}  // namespace salescore::store
