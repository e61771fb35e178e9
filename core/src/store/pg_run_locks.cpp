// PostgreSQL run locks (run_locks.h): pg_try_advisory_lock on a session that does
// nothing else, so no transaction of the engine's ever holds or waits for it.
#include <mutex>
#include <set>

#include "store/run_locks.h"
#include "store/pg_connection.h"
#include "store/store_url.h"

namespace salescore::store {
namespace {

// Keyed by "SCRL" and the name within the schema, so that two databases kept as schemas
// of one PostgreSQL database, and the writer lock (pg_connection.cpp), never collide.
constexpr const char* kTry = "SELECT pg_try_advisory_lock(1396919372, hashtext(current_schema() || ':' || ?))";
constexpr const char* kRelease = "SELECT pg_advisory_unlock(1396919372, hashtext(current_schema() || ':' || ?))";

class PgRunLocks final : public RunLocks {
 public:
  PgRunLocks(std::string url, OpenOptions options) : url_(std::move(url)), options_(std::move(options)) {}

  Result<bool> hold(const std::string& name) override {
    std::lock_guard lock(mutex_);
    SC_RETURN_IF_ERROR(check_session());
    if (held_.count(name)) return true;
    SC_ASSIGN_OR_RETURN(bool taken, run(kTry, name));
    if (taken) held_.insert(name);
    return taken;
  }

  void release(const std::string& name) override {
    std::lock_guard lock(mutex_);
    if (!held_.erase(name) || !conn_) return;
    (void)run(kRelease, name);
  }

 private:
  // Connects on first use; after a lost connection every lock is gone with it, and the
  // next hold() of each name asks for it anew (another process may have it by then).
  Status check_session() {
    // A session the server ended took its locks with it: a new one asks anew.
    if (conn_ && PQstatus(conn_->raw()) != CONNECTION_OK) {
      conn_.reset();
      held_.clear();
    }
    if (!conn_) {
      OpenOptions options = options_;
      options.reader = false;
      options.read_only = false;
      SC_ASSIGN_OR_RETURN(auto conn, open_postgresql(url_, options));
      conn_.reset(static_cast<PgConnection*>(conn.release()));
      return Status::ok();
    }
    // Asked at every step while a lock is held (one round trip): a lock lost with its
    // session must stop the work here before another process starts it.
    if (held_.empty()) return Status::ok();
    Status alive = conn_->exec("SELECT 1");
    if (!alive.is_ok()) {
      held_.clear();
      conn_.reset();
    }
    return alive;
  }

  Result<bool> run(const char* sql, const std::string& name) {
    SC_ASSIGN_OR_RETURN(Statement * s, conn_->prepare(sql));
    StatementUse use(*s);
    s->bind_all(name);
    auto row = s->step();
    if (!row.ok()) {
      held_.clear();
      conn_.reset();
      return row.status();
    }
    return *row && s->column_int(0) == 1;
  }

  std::mutex mutex_;
  const std::string url_;
  const OpenOptions options_;
  std::unique_ptr<PgConnection> conn_;
  std::set<std::string> held_;
};

// One process writes a SQLite file: it runs everything.
class SoleProcessLocks final : public RunLocks {
 public:
  Result<bool> hold(const std::string&) override { return true; }
  void release(const std::string&) override {}
  bool sole_process() const override { return true; }
};

}  // namespace

std::unique_ptr<RunLocks> make_run_locks(const std::string& url, const OpenOptions& options) {
  if (is_postgresql_url(url)) return std::make_unique<PgRunLocks>(url, options);
  return std::make_unique<SoleProcessLocks>();
}

}  // namespace salescore::store
