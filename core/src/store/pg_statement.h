// PostgreSQL behind the Statement interface (libpq directly; see docs/storage.md for why
// not Poco::Data::PostgreSQL).
//
// A statement is prepared on the server once per connection (PQprepare) and run with
// PQexecPrepared; parameters go as text and the server infers their types from the SQL,
// as SQLite's `?` do. The whole result comes back at once and step() walks it.
#pragma once

#include <libpq-fe.h>

#include <string>
#include <vector>

#include "store/sql.h"

namespace salescore::store {

// What a libpq error means for the caller (the same codes SQLite's errors map to).
Status pg_status(PGconn* conn, const PGresult* res, const std::string& what);

class PgConnection;

class PgStatement final : public Statement {
 public:
  // `adds_returning_id`: the SQL was an INSERT into a table with an auto id, and
  // " RETURNING id" was added so that last_insert_id() can answer; the caller still sees
  // no rows.
  // `appends_events`: an INSERT INTO events, which first takes the event log's lock
  // (PgConnection::lock_event_log).
  PgStatement(PgConnection& owner, std::string name, std::string sql, bool adds_returning_id, bool appends_events);
  ~PgStatement() override;

  void bind_int(int i, std::int64_t v) override;
  void bind_text(int i, std::string_view v) override;
  void bind_null(int i) override;
  void bind_borrowed_text(int i, std::string_view v) override { bind_text(i, v); }
  Result<bool> step() override;
  std::int64_t column_int(int c) override;
  std::string column_text(int c) override { return std::string(column_text_view(c)); }
  std::string_view column_text_view(int c) override;
  bool column_is_null(int c) override;
  void reset() override;

 private:
  Status execute();
  std::string* slot(int i);

  PgConnection& owner_;
  const std::string name_;
  const std::string sql_;
  const bool adds_returning_id_;
  const bool appends_events_;
  int prepared_generation_ = -1;  // the connection's generation it was prepared in
  bool returns_nothing_ = false;  // answered with no columns when it last ran: may be deferred
  std::vector<std::string> values_;
  std::vector<bool> null_;
  PGresult* result_ = nullptr;
  int row_ = -1;
  bool ran_ = false;
};

}  // namespace salescore::store
