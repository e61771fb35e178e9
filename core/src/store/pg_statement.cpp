#include "store/pg_statement.h"

#include <charconv>
#include <cstring>

#include "store/pg_connection.h"

namespace salescore::store {

Status pg_status(PGconn* conn, const PGresult* res, const std::string& what) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string detail = res ? PQresultErrorMessage(res) : "";
  if (detail.empty() && conn) detail = PQerrorMessage(conn);
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
  const std::string code = state ? state : "";
  // Class 08 (connection), 57P (server shutting down) and a connection that is gone:
  // the server is away for now; the caller answers 503 and the next call reconnects.
  if (!state || code.starts_with("08") || code.starts_with("57P") || (conn && PQstatus(conn) != CONNECTION_OK))
    return Status::unavailable("the PostgreSQL server is not reachable (" + detail + "); retry later");
  if (code == "23505") return Status::already_exists("duplicate key: " + detail);
  if (code == "23503") return Status::invalid("a referenced record does not exist (" + detail + ")");
  if (code.starts_with("23")) return Status::invalid("constraint violated: " + detail);
  // Serialization failure, deadlock, lock or statement timeout: another writer won.
  if (code == "40001" || code == "40P01" || code == "55P03" || code == "57014")
    return Status::unavailable("the database is busy with another writer (" + detail + "); retry later");
  if (code == "25006") return Status(Code::kFailedPrecondition, "the database is read-only (" + detail + ")", {}, "read_only");
  if (code == "53100") return Status(Code::kResourceExhausted, "the database server's disk is full: " + detail);
  return Status::internal(what + ": " + detail);
}

PgStatement::PgStatement(PgConnection& owner, std::string name, std::string sql, bool adds_returning_id,
                         bool appends_events)
    : owner_(owner),
      name_(std::move(name)),
      sql_(std::move(sql)),
      adds_returning_id_(adds_returning_id),
      appends_events_(appends_events) {}

PgStatement::~PgStatement() { PQclear(result_); }

std::string* PgStatement::slot(int i) {
  if (static_cast<int>(values_.size()) < i) {
    values_.resize(i);
    null_.resize(i, true);
  }
  null_[i - 1] = false;
  return &values_[i - 1];
}

void PgStatement::bind_int(int i, std::int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  slot(i)->assign(buf, end);
}

void PgStatement::bind_text(int i, std::string_view v) { slot(i)->assign(v); }

void PgStatement::bind_null(int i) {
  slot(i);
  null_[i - 1] = true;
}

Status PgStatement::execute() {
  PGconn* conn = owner_.raw();
  // Prepared on this connection's current session: a reconnect forgets every statement.
  if (prepared_generation_ != owner_.generation()) {
    SC_RETURN_IF_ERROR(owner_.settle());
    PGresult* prepared = PQprepare(conn, name_.c_str(), sql_.c_str(), 0, nullptr);
    const bool ok = PQresultStatus(prepared) == PGRES_COMMAND_OK;
    Status st = ok ? Status::ok() : pg_status(conn, prepared, "prepare '" + sql_ + "'");
    PQclear(prepared);
    if (!ok) {
      owner_.note_failure();
      return st;
    }
    prepared_generation_ = owner_.generation();
  }
  if (appends_events_) SC_RETURN_IF_ERROR(owner_.lock_event_log());
  std::vector<const char*> params(values_.size());
  for (std::size_t i = 0; i < values_.size(); ++i) params[i] = null_[i] ? nullptr : values_[i].c_str();
  // A statement that has answered with no columns before (an INSERT, UPDATE or DELETE
  // without RETURNING) goes into the write transaction's pipeline (PgConnection::can_defer).
  if (returns_nothing_ && owner_.can_defer())
    return owner_.send_deferred(name_, static_cast<int>(params.size()), params.data(), sql_);
  if (owner_.pipelining()) {
    SC_ASSIGN_OR_RETURN(result_,
                        owner_.run_after_deferred(name_, static_cast<int>(params.size()), params.data(), sql_));
  } else {
    result_ = PQexecPrepared(conn, name_.c_str(), static_cast<int>(params.size()), params.data(), nullptr, nullptr, 0);
  }
  ExecStatusType status = PQresultStatus(result_);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    Status st = pg_status(conn, result_, "run '" + sql_ + "'");
    owner_.note_failure();
    return st;
  }
  returns_nothing_ = status == PGRES_COMMAND_OK && !adds_returning_id_;
  if (adds_returning_id_) {
    const int n = PQntuples(result_);
    if (n > 0) owner_.note_insert_id(std::strtoll(PQgetvalue(result_, n - 1, 0), nullptr, 10));
  }
  return Status::ok();
}

Result<bool> PgStatement::step() {
  if (!ran_) {
    ran_ = true;
    SC_RETURN_IF_ERROR(execute());
    if (adds_returning_id_ || !result_) return false;  // no rows asked for, or deferred
    row_ = 0;
  } else {
    if (!result_ || adds_returning_id_) return false;
    ++row_;
  }
  return row_ < PQntuples(result_);
}

std::int64_t PgStatement::column_int(int c) {
  const char* v = PQgetvalue(result_, row_, c);
  // Booleans (comparisons, EXISTS) read as 1 and 0, as SQLite gives them.
  if (v[0] == 't' && v[1] == 0) return 1;
  if (v[0] == 'f' && v[1] == 0) return 0;
  return std::strtoll(v, nullptr, 10);
}

std::string_view PgStatement::column_text_view(int c) {
  return std::string_view(PQgetvalue(result_, row_, c), PQgetlength(result_, row_, c));
}

bool PgStatement::column_is_null(int c) { return PQgetisnull(result_, row_, c) == 1; }

void PgStatement::reset() {
  PQclear(result_);
  result_ = nullptr;
  row_ = -1;
  ran_ = false;
  values_.clear();
  null_.clear();
}

}  // namespace salescore::store
