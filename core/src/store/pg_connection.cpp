#include "store/pg_connection.h"

#include <cctype>
#include <cstdlib>
#include <cstring>

#include "store/store_url.h"

namespace salescore::store {
namespace {

// One call that returns no rows, its error mapped as a statement's.
Status run_simple(PGconn* conn, const std::string& sql, PGresult** kept = nullptr) {
  PGresult* res = PQexec(conn, sql.c_str());
  ExecStatusType status = PQresultStatus(res);
  Status st = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK ? Status::ok() : pg_status(conn, res, "exec");
  if (kept && st.is_ok()) {
    *kept = res;
  } else {
    PQclear(res);
  }
  return st;
}

// The table an `INSERT INTO name ...` writes, or "" for any other statement.
std::string inserted_table(const std::string& sql) {
  std::size_t i = sql.find_first_not_of(" \t\r\n");
  if (i == std::string::npos || strncasecmp(sql.c_str() + i, "INSERT INTO ", 12) != 0) return "";
  i = sql.find_first_not_of(' ', i + 12);
  std::size_t end = i;
  while (end < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[end])) || sql[end] == '_')) ++end;
  return sql.substr(i, end - i);
}

bool starts_with_word(const std::string& sql, const char* word) {
  return strncasecmp(sql.c_str(), word, std::strlen(word)) == 0;
}

// Deferred statements answered together at most: their answers (a few dozen bytes each)
// wait in the socket buffers meanwhile, which must not fill up (libpq blocks then).
constexpr std::size_t kMostDeferred = 500;

bool pipeline_wanted() {
  const char* v = std::getenv("SALESCORE_PG_PIPELINE");
  return !(v && (std::strcmp(v, "off") == 0 || std::strcmp(v, "0") == 0));
}

bool mentions_returning(const std::string& sql) {
  for (std::size_t i = 0; i + 9 <= sql.size(); ++i)
    if (strncasecmp(sql.c_str() + i, "RETURNING", 9) == 0) return true;
  return false;
}

}  // namespace

PgConnection::PgConnection(PGconn* conn, OpenOptions options)
    : conn_(conn), options_(std::move(options)), pipeline_(pipeline_wanted()) {}

PgConnection::~PgConnection() {
  cache_.clear();
  PQfinish(conn_);
}

Status PgConnection::configure() {
  // Notices (e.g. "relation already exists, skipping") are for people at a console.
  SC_RETURN_IF_ERROR(run_simple(conn_, "SET client_min_messages = warning"));
  if (options_.statement_timeout_ms > 0)
    SC_RETURN_IF_ERROR(run_simple(conn_, "SET statement_timeout = " + std::to_string(options_.statement_timeout_ms)));
  // How long a writer waits for a row another process holds, as SQLite's busy timeout.
  SC_RETURN_IF_ERROR(run_simple(conn_, "SET lock_timeout = " + std::to_string(std::max(options_.busy_timeout_ms, 1))));
  if (options_.read_only || options_.reader)
    SC_RETURN_IF_ERROR(run_simple(conn_, "SET default_transaction_read_only = on"));
  return Status::ok();
}

Status PgConnection::reconnect_if_lost() {
  if (!broken_ && PQstatus(conn_) == CONNECTION_OK) return Status::ok();
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK)
    return Status::unavailable(std::string("the PostgreSQL server is not reachable (") + PQerrorMessage(conn_) +
                               "); retry later");
  broken_ = false;
  ++generation_;
  return configure();
}

Result<bool> PgConnection::needs_returning_id(const std::string& sql) {
  const std::string table = inserted_table(sql);
  if (table.empty() || mentions_returning(sql)) return false;
  if (auto known = identity_tables_.find(table); known != identity_tables_.end()) return known->second;
  SC_RETURN_IF_ERROR(settle());
  const char* params[] = {table.c_str()};
  PGresult* res = PQexecParams(conn_,
                               "SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'id' "
                               "AND attidentity <> ''",
                               1, nullptr, params, nullptr, nullptr, 0);
  if (PQresultStatus(res) != PGRES_TUPLES_OK) {
    Status st = pg_status(conn_, res, "look up table " + table);
    PQclear(res);
    note_failure();
    return st;
  }
  bool identity = PQntuples(res) > 0;
  PQclear(res);
  identity_tables_[table] = identity;
  return identity;
}

Result<Statement*> PgConnection::prepare(const std::string& portable_sql) {
  auto it = cache_.find(portable_sql);
  if (it != cache_.end()) return it->second.get();
  std::string sql = dialect_.placeholders(portable_sql);
  SC_ASSIGN_OR_RETURN(bool returning_id, needs_returning_id(sql));
  if (returning_id) sql += " RETURNING id";
  const bool events = inserted_table(sql) == "events";
  auto owned = std::make_unique<PgStatement>(*this, "s" + std::to_string(++statements_named_), std::move(sql),
                                             returning_id, events);
  Statement* raw = owned.get();
  cache_.emplace(portable_sql, std::move(owned));
  return raw;
}

Status PgConnection::exec(const std::string& sql) {
  SC_RETURN_IF_ERROR(settle());
  if (PQtransactionStatus(conn_) == PQTRANS_IDLE) SC_RETURN_IF_ERROR(reconnect_if_lost());
  Status st = run_simple(conn_, sql);
  if (!st.is_ok()) {
    note_failure();
    return st;
  }
  // Engine::attempt's savepoints: within one, nothing is deferred (can_defer).
  if (starts_with_word(sql, "SAVEPOINT ")) ++savepoints_;
  if (starts_with_word(sql, "RELEASE ") && savepoints_ > 0) --savepoints_;
  return st;
}

Status PgConnection::begin(const char* sql) {
  SC_RETURN_IF_ERROR(settle());
  SC_RETURN_IF_ERROR(reconnect_if_lost());
  // A transaction a failed call left open (aborted, or never ended) would make this BEGIN
  // fail, and every one after it: it is over, whatever it held is not wanted.
  if (PQtransactionStatus(conn_) == PQTRANS_INERROR || PQtransactionStatus(conn_) == PQTRANS_INTRANS)
    SC_RETURN_IF_ERROR(rollback());
  writer_locked_ = false;
  events_appended_ = false;
  writing_ = false;
  savepoints_ = 0;
  return exec(sql);
}

Status PgConnection::send(const std::string& name, int count, const char* const* params, const std::string& sql) {
  if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF && !PQenterPipelineMode(conn_)) {
    note_failure();
    return pg_status(conn_, nullptr, "enter pipeline mode");
  }
  if (!PQsendQueryPrepared(conn_, name.c_str(), count, params, nullptr, nullptr, 0)) {
    Status st = pg_status(conn_, nullptr, "send '" + sql + "'");
    (void)settle();
    note_failure();
    return st;
  }
  pending_.push_back(&sql);
  return Status::ok();
}

Status PgConnection::send_deferred(const std::string& name, int count, const char* const* params,
                                   const std::string& sql) {
  SC_RETURN_IF_ERROR(send(name, count, params, sql));
  return pending_.size() >= kMostDeferred ? settle() : Status::ok();
}

Result<PGresult*> PgConnection::run_after_deferred(const std::string& name, int count, const char* const* params,
                                                   const std::string& sql) {
  SC_RETURN_IF_ERROR(send(name, count, params, sql));
  PGresult* result = nullptr;
  Status st = settle(&result);
  if (!st.is_ok()) {
    PQclear(result);
    return st;
  }
  return result;
}

Status PgConnection::settle(PGresult** last) {
  if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF) return Status::ok();
  Status first = Status::ok();
  auto keep_first = [&](Status st) {
    if (first.is_ok()) first = std::move(st);
  };
  if (!PQpipelineSync(conn_)) {
    keep_first(pg_status(conn_, nullptr, "pipeline sync"));
  } else {
    // Each statement's answer ends with a null result; after an error the rest of the
    // pipeline answers PGRES_PIPELINE_ABORTED, which is not an error of its own.
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      const std::string* sql = pending_[i];
      const bool callers = last && i + 1 == pending_.size();
      while (PGresult* r = PQgetResult(conn_)) {
        if (callers && !*last) {
          *last = r;  // checked by the caller, as a result of PQexecPrepared is
          continue;
        }
        const ExecStatusType st = PQresultStatus(r);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_PIPELINE_ABORTED)
          keep_first(pg_status(conn_, r, "run '" + *sql + "'"));
        PQclear(r);
      }
    }
    PGresult* sync = PQgetResult(conn_);
    if (PQresultStatus(sync) != PGRES_PIPELINE_SYNC) keep_first(pg_status(conn_, sync, "pipeline sync"));
    PQclear(sync);
  }
  pending_.clear();
  if (!PQexitPipelineMode(conn_)) {
    // Answers left unread: the session is in no state to go on; the next transaction
    // starts on a fresh one.
    keep_first(Status::unavailable(std::string("the PostgreSQL session was left mid-pipeline (") +
                                   PQerrorMessage(conn_) + "); retry later"));
    broken_ = true;
    return first;
  }
  if (!first.is_ok()) note_failure();
  return first;
}

// The writer lock of one salescore database: "SCEV" and the schema, so that two
// databases kept as schemas of one PostgreSQL database do not wait for each other.
constexpr const char* kWriterLock = "SELECT pg_advisory_xact_lock(1396917590, hashtext(current_schema()))";

constexpr const char* kNotifyEvents = "SELECT pg_notify('salescore_events', current_schema())";

Status PgConnection::begin_write() {
  SC_RETURN_IF_ERROR(begin("BEGIN"));
  if (Status locked = lock_writer(); !locked.is_ok()) {
    // Another writer held the lock past lock_timeout (`unavailable`, retry later): the
    // failed statement aborted the transaction, which must end here. Left open, it would
    // refuse every later BEGIN on this session ("current transaction is aborted"), and
    // the process could write no more.
    (void)rollback();
    return locked;
  }
  writing_ = true;
  return Status::ok();
}

Status PgConnection::lock_writer() {
  // Statements in the pipeline: the transaction is in progress and the lock was taken.
  if (writer_locked_ && (!pending_.empty() || PQtransactionStatus(conn_) == PQTRANS_INTRANS)) return Status::ok();
  SC_RETURN_IF_ERROR(settle());
  Status st = run_simple(conn_, kWriterLock);
  if (!st.is_ok()) {
    note_failure();
    return st;
  }
  writer_locked_ = PQtransactionStatus(conn_) == PQTRANS_INTRANS;
  return Status::ok();
}

Status PgConnection::commit() {
  writing_ = false;
  // A deferred statement failed: the transaction is aborted; the caller rolls back.
  SC_RETURN_IF_ERROR(settle());
  // Long polls of every process wake when this commits (store/event_signal.h); one
  // notice per transaction, and PostgreSQL folds equal notices of one transaction.
  if (events_appended_ && PQtransactionStatus(conn_) == PQTRANS_INTRANS) {
    events_appended_ = false;
    if (Status st = run_simple(conn_, kNotifyEvents); !st.is_ok()) {
      note_failure();
      return st;
    }
  }
  PGresult* res = nullptr;
  Status st = run_simple(conn_, "COMMIT", &res);
  if (!st.is_ok()) {
    note_failure();
    return st;
  }
  // COMMIT of a transaction a failed statement aborted answers "ROLLBACK", not an error.
  const bool rolled_back = std::strcmp(PQcmdStatus(res), "ROLLBACK") == 0;
  PQclear(res);
  if (rolled_back) return Status::internal("the transaction was rolled back: one of its statements had failed");
  return Status::ok();
}

Status PgConnection::rollback() {
  writing_ = false;
  (void)settle();  // what the deferred statements answered no longer matters
  if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return Status::ok();
  Status st = run_simple(conn_, "ROLLBACK");
  if (!st.is_ok()) note_failure();
  return st;
}

Result<std::unique_ptr<Connection>> open_postgresql(const std::string& url, const OpenOptions& options) {
  // Settings from [storage] go first: parameters written in the URL itself win.
  std::vector<const char*> keys, values;
  const std::string application = options.application_name.empty() ? "salescore" : options.application_name;
  keys.push_back("application_name");
  values.push_back(application.c_str());
  if (!options.sslmode.empty()) {
    keys.push_back("sslmode");
    values.push_back(options.sslmode.c_str());
  }
  keys.push_back("dbname");
  values.push_back(url.c_str());
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(), 1);
  if (!conn) return Status(Code::kResourceExhausted, "out of memory connecting to PostgreSQL");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = PQerrorMessage(conn);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    PQfinish(conn);
    return Status::unavailable("cannot connect to PostgreSQL at " + redacted_url(url) + ": " + why);
  }
  auto owned = std::make_unique<PgConnection>(conn, options);
  SC_RETURN_IF_ERROR(owned->configure());
  return std::unique_ptr<Connection>(std::move(owned));
}

}  // namespace salescore::store
