// The narrow SQL interface the engine's row mappers use. One implementation per
// database: SQLite (sqlite_connection.cpp) and PostgreSQL (pg_connection.cpp).
//
// Statements are prepared once per connection and cached by their SQL text, because
// preparing costs more than executing a small insert. A Statement is reset by
// StatementUse when it goes out of scope, so the cache can hand it out again.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "salescore/status.h"
#include "store/dialect.h"

namespace salescore::store {

// Text bound without a copy (Statement::bind_borrowed_text): for bulk inserts whose
// rows outlive the statement's run.
struct Borrowed {
  std::string_view text;
};

class Statement {
 public:
  virtual ~Statement() = default;
  // Parameters are numbered from 1, as the SQL text's placeholders are.
  virtual void bind_int(int index, std::int64_t value) = 0;
  virtual void bind_text(int index, std::string_view value) = 0;
  virtual void bind_null(int index) = 0;
  // Like bind_text, but the text is not copied: it must stay as it is until the
  // statement has run and been reset.
  virtual void bind_borrowed_text(int index, std::string_view value) = 0;
  // Advances to the next row: true when there is one, false when done.
  virtual Result<bool> step() = 0;
  virtual std::int64_t column_int(int col) = 0;
  virtual std::string column_text(int col) = 0;
  // The text without a copy, valid until the next step or reset.
  virtual std::string_view column_text_view(int col) = 0;
  virtual bool column_is_null(int col) = 0;
  virtual void reset() = 0;

  // Binds in order starting at 1: integers, strings, and std::nullopt for NULL.
  template <class... Args>
  void bind_all(const Args&... args) {
    bind_from(1, args...);
  }
  // The same from position `first` on (one row of a multi-row INSERT).
  template <class... Args>
  void bind_from(int first, const Args&... args) {
    int i = first - 1;
    (bind_one(++i, args), ...);
  }
  // Runs a statement that returns no rows.
  Status run() {
    auto r = step();
    return r.ok() ? Status::ok() : r.status();
  }

 private:
  void bind_one(int i, std::int64_t v) { bind_int(i, v); }
  void bind_one(int i, int v) { bind_int(i, v); }
  void bind_one(int i, bool v) { bind_int(i, v ? 1 : 0); }
  void bind_one(int i, std::string_view v) { bind_text(i, v); }
  void bind_one(int i, const std::string& v) { bind_text(i, v); }
  void bind_one(int i, const char* v) { bind_text(i, v); }
  void bind_one(int i, std::nullopt_t) { bind_null(i); }
  void bind_one(int i, Borrowed v) { bind_borrowed_text(i, v.text); }
  template <class T>
  void bind_one(int i, const std::optional<T>& v) {
    v ? bind_one(i, *v) : bind_null(i);
  }
};

// Resets a cached statement when the caller is done with it.
class StatementUse {
 public:
  explicit StatementUse(Statement& s) : s_(&s) {}
  ~StatementUse() { s_->reset(); }
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;
  Statement* operator->() { return s_; }
  Statement& operator*() { return *s_; }

 private:
  Statement* s_;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual const Dialect& dialect() const = 0;
  // A cached prepared statement for `sql`; the text is written with `?` placeholders and
  // translated by the dialect. Errors (bad SQL) are bugs and come back as kInternal.
  virtual Result<Statement*> prepare(const std::string& sql) = 0;
  // Runs one or more statements without parameters (DDL, PRAGMA).
  virtual Status exec(const std::string& sql) = 0;
  virtual Status begin_write() = 0;  // BEGIN IMMEDIATE: take the write lock up front
  virtual Status begin_read() = 0;   // a consistent snapshot for multi-statement reads
  virtual Status commit() = 0;
  virtual Status rollback() = 0;
  virtual std::int64_t last_insert_id() = 0;
  virtual bool read_only() const = 0;

  // The cached statement of one call site (`site`: the address of a static there), its
  // SQL built by `build` and translated by the dialect only the first time this
  // connection asks. For the per-request lookups (the API's GETs), where building the
  // text and hashing it to find the cached statement cost as much as running it.
  template <class Build>
  Result<Statement*> prepare_once(const void* site, Build&& build) {
    if (auto it = sites_.find(site); it != sites_.end()) return it->second;
    SC_ASSIGN_OR_RETURN(Statement * s, prepare(dialect().placeholders(build())));
    sites_.emplace(site, s);
    return s;
  }

 private:
  // Statements are owned by the implementation's cache and never evicted, so the
  // pointers stay valid for the connection's life.
  std::unordered_map<const void*, Statement*> sites_;
};

struct OpenOptions {
  bool durable = false;
  int busy_timeout_ms = 5000;
  bool read_only = false;
  // A second connection to a database another one writes (engine/connection_slot.h):
  // refuses changes, leaves journal mode to the writer, keeps a small page cache.
  bool reader = false;
  // PostgreSQL ([storage] in the configuration; docs/storage.md). 0 / empty: the server's
  // or libpq's default. A setting written in the URL itself wins over these.
  int statement_timeout_ms = 0;
  std::string sslmode;
  std::string application_name;
};

// Opens a connection for a store URL: "sqlite:PATH", "sqlite::memory:" or
// "postgresql://user:password@host:port/db" (also "postgres://").
Result<std::unique_ptr<Connection>> open_connection(const std::string& url, const OpenOptions& options);

}  // namespace salescore::store
