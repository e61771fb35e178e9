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
  Status begin_write() override { return begin("BEGIN"); }
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
  // Before a transaction's first event: events.seq comes from a sequence, taken when the
  // INSERT runs, not at commit. Were two processes to take 101 and 102 and commit 102
  // first, a reader of `events?after=` would move past 101 before it appeared, and never
  // see it. This lock, held to commit, lets one transaction at a time append events, so
  // seq order is commit order. Writes that append no event do not wait for it.
  Status lock_event_log();
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
  bool event_log_locked_ = false;  // in the transaction in progress
};

Result<std::unique_ptr<Connection>> open_postgresql(const std::string& url, const OpenOptions& options);

}  // namespace salescore::store
