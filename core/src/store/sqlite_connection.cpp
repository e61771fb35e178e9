// SQLite behind the Connection interface.
//
// The session is opened through Poco::Data (the project's database layer), and the
// engine's statements then run on the session's own sqlite3 handle with cached
// prepared statements: Poco::Data builds a new statement object per execution, which
// the ingest benchmark showed to cost more than the insert itself.
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <Poco/Exception.h>
#include <sqlite3.h>

#include <filesystem>
#include <mutex>
#include <unordered_map>

#include "store/pg_connection.h"
#include "store/sql.h"
#include "store/store_url.h"
#include "store/wal_checkpointer.h"

namespace salescore::store {
namespace {

Status sqlite_status(sqlite3* db, int rc, const std::string& what) {
  std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::unavailable("the database is locked by another writer (" + detail +
                                 "); retry later");
    case SQLITE_READONLY:
      return Status(Code::kFailedPrecondition, "the database is read-only (" + detail + "): check the file's permissions",
                    {}, "read_only");
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return Status::already_exists("duplicate key: " + detail);
      if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        return Status::invalid("a referenced record does not exist (" + detail + ")");
      return Status::invalid("constraint violated: " + detail);
    case SQLITE_FULL:
      // Unavailable (retry later, as connectors do with backoff), not resource_exhausted,
      // which the API answers 429 "slow down": the client can do nothing but wait for
      // space. The reason lets the API answer 507 (found by the full-disk fault test).
      return Status(Code::kUnavailable, "the disk is full: " + detail + "; retry once space is freed", {},
                    "disk_full");
    case SQLITE_CANTOPEN:
      return Status::failed_precondition("cannot open the database file: " + detail);
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return Status::failed_precondition("the file is not a salescore database or is damaged: " + detail);
    default:
      return Status::internal(what + ": " + detail);
  }
}

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }

  void bind_int(int i, std::int64_t v) override { sqlite3_bind_int64(stmt_, i, v); }
  void bind_text(int i, std::string_view v) override {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void bind_null(int i) override { sqlite3_bind_null(stmt_, i); }
  void bind_borrowed_text(int i, std::string_view v) override {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  Result<bool> step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    // sqlite3_step returns the extended code only via sqlite3_extended_errcode.
    return sqlite_status(db_, sqlite3_extended_errcode(db_), "step");
  }
  std::int64_t column_int(int c) override { return sqlite3_column_int64(stmt_, c); }
  std::string column_text(int c) override {
    const unsigned char* t = sqlite3_column_text(stmt_, c);
    return t ? std::string(reinterpret_cast<const char*>(t), sqlite3_column_bytes(stmt_, c)) : std::string();
  }
  std::string_view column_text_view(int c) override {
    const unsigned char* t = sqlite3_column_text(stmt_, c);
    return t ? std::string_view(reinterpret_cast<const char*>(t), sqlite3_column_bytes(stmt_, c)) : std::string_view();
  }
  bool column_is_null(int c) override { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
  void reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(std::unique_ptr<Poco::Data::Session> session, bool read_only)
      : session_(std::move(session)), db_(Poco::Data::SQLite::Utility::dbHandle(*session_)), read_only_(read_only) {}
  ~SqliteConnection() override {
    checkpointer_.reset();  // its thread may be checkpointing
    cache_.clear();  // finalize statements before the session closes the handle
  }

  // Checkpoints off the committing call from now on (WalCheckpointer).
  void checkpoint_in_background(const std::string& path) { checkpointer_ = std::make_unique<WalCheckpointer>(db_, path); }

  const Dialect& dialect() const override { return dialect_; }

  Result<Statement*> prepare(const std::string& sql) override {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return it->second.get();
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                &stmt, nullptr);
    if (rc != SQLITE_OK) return sqlite_status(db_, rc, "prepare '" + sql + "'");
    auto owned = std::make_unique<SqliteStatement>(db_, stmt);
    Statement* raw = owned.get();
    cache_.emplace(sql, std::move(owned));
    return raw;
  }

  Status exec(const std::string& sql) override {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    if (err) sqlite3_free(err);
    if (rc != SQLITE_OK) return sqlite_status(db_, sqlite3_extended_errcode(db_), "exec");
    return Status::ok();
  }

  // Prepared once: every API read opens and ends a transaction, and sqlite3_exec would
  // parse the text each time.
  Status begin_write() override { return run_cached("BEGIN IMMEDIATE"); }
  Status begin_read() override { return run_cached("BEGIN DEFERRED"); }
  Status commit() override { return run_cached("COMMIT"); }
  Status rollback() override {
    if (sqlite3_get_autocommit(db_)) return Status::ok();  // SQLite already rolled back
    return exec("ROLLBACK");
  }
  std::int64_t last_insert_id() override { return sqlite3_last_insert_rowid(db_); }
  bool read_only() const override { return read_only_; }

 private:
  Status run_cached(const std::string& sql) {
    SC_ASSIGN_OR_RETURN(Statement * s, prepare(sql));
    StatementUse use(*s);
    return s->run();
  }

  std::unique_ptr<Poco::Data::Session> session_;
  sqlite3* db_;
  bool read_only_;
  SqliteDialect dialect_;
  std::unordered_map<std::string, std::unique_ptr<SqliteStatement>> cache_;
  std::unique_ptr<WalCheckpointer> checkpointer_;
};

Result<std::unique_ptr<Connection>> open_sqlite(const std::string& path, const OpenOptions& options) {
  static std::once_flag registered;
  std::call_once(registered, [] {
    // Without the allocation statistics SQLite's malloc takes no process-wide mutex: the
    // server's reader threads were queueing on it (bench/run api). Only possible before
    // SQLite initializes; if something initialized it already, it stays as it was.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    Poco::Data::SQLite::Connector::registerConnector();
  });
  if (path.empty()) return Status::invalid("the store URL 'sqlite:' names no file (use sqlite:PATH or sqlite::memory:)");
  if (path != ":memory:") {
    // Poco's session retries a failed open until its login timeout (a minute); a missing
    // directory will not appear by waiting, so say so at once.
    std::filesystem::path dir = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!dir.empty() && !std::filesystem::is_directory(dir, ec))
      return Status::failed_precondition("cannot open SQLite database '" + path + "': the directory '" +
                                         dir.string() + "' does not exist");
  }
  std::unique_ptr<Poco::Data::Session> session;
  try {
    // Read-only opens ask SQLite itself for read-only mode, so even a write that slipped
    // past the engine's own check would be refused by the database.
    const bool ro_uri = options.read_only && path != ":memory:";
    session = std::make_unique<Poco::Data::Session>("SQLite", ro_uri ? "file:" + path + "?mode=ro" : path);
  } catch (const Poco::Exception& e) {
    return Status::failed_precondition("cannot open SQLite database '" + path + "': " + e.displayText());
  }
  sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(*session);
  bool read_only = options.read_only || sqlite3_db_readonly(db, "main") == 1;
  auto conn = std::make_unique<SqliteConnection>(std::move(session), read_only);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  // Reading the schema catches "not a database" before we try to change anything.
  SC_RETURN_IF_ERROR(conn->exec("SELECT count(*) FROM sqlite_master"));
  SC_RETURN_IF_ERROR(conn->exec("PRAGMA foreign_keys = ON"));
  if (!read_only && !options.reader && path != ":memory:") {
    // 8 KiB pages for a database this open creates (an existing file keeps its own: the
    // size is fixed once the file is in WAL mode). A 1C catalog import writes ~140 MB of
    // rows and index pages in two transactions; with SQLite's 4 KiB pages it took ~10%
    // longer (deeper B-trees, twice the page writes at commit). 16 KiB pages were no faster
    // for the import than 8, but every small commit writes its dirty pages whole to the
    // WAL: REST POSTs fell from ~2,500/s to ~1,500/s with 16 KiB (bench/run onec, api).
    SC_RETURN_IF_ERROR(conn->exec("PRAGMA page_size = 8192"));
    Status wal = conn->exec("PRAGMA journal_mode = WAL");
    if (!wal.is_ok()) return wal;
    conn->checkpoint_in_background(path);
  }
  SC_RETURN_IF_ERROR(conn->exec(options.durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL"));
  // A 64 MB page cache on the writer: exports and reports read the whole file, and the
  // default 2 MB cache made them re-read it from the kernel page by page. Memory-mapped
  // reads only on connections that cannot write: every page of the file a writer touches
  // through the map stays counted in the process's memory (a 100,000-product 1C import
  // mapped the whole 115 MB database into `salescore serve`, bench/run onec), while the
  // writer's pages go through the page cache above anyway; reads were no slower without
  // it. Readers (the API's GETs, exports) read through the shared mapping and keep a
  // small cache of their own: 8 MB each.
  const bool writes = !read_only && !options.reader;
  SC_RETURN_IF_ERROR(conn->exec(options.reader ? "PRAGMA cache_size = -8192" : "PRAGMA cache_size = -65536"));
  SC_RETURN_IF_ERROR(conn->exec(writes ? "PRAGMA mmap_size = 0" : "PRAGMA mmap_size = 268435456"));
  if (options.reader) SC_RETURN_IF_ERROR(conn->exec("PRAGMA query_only = 1"));
  return std::unique_ptr<Connection>(std::move(conn));
}

}  // namespace

Result<std::unique_ptr<Connection>> open_connection(const std::string& url, const OpenOptions& options) {
  if (url == "sqlite::memory:") return open_sqlite(":memory:", options);
  if (url.starts_with("sqlite:")) return open_sqlite(url.substr(7), options);
  if (is_postgresql_url(url)) return open_postgresql(url, options);
  return Status::invalid("unknown store URL '" + url + "' (expected sqlite:PATH, sqlite::memory: or postgresql://...)");
}

}  // namespace salescore::store
