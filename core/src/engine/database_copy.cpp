// copy_database (salescore/database_copy.h): SQLite file -> PostgreSQL, one transaction,
// then counts and a KPI rebuild on the target compared with the aggregates copied.
#include "salescore/database_copy.h"

#include "salescore/engine.h"
#include "store/bulk_rows.h"
#include "store/kpi_rows.h"
#include "store/pg_catalog.h"
#include "store/sqlite_catalog.h"
#include "store/store_url.h"

namespace salescore {
namespace {

constexpr std::int64_t kProgressEvery = 2000;  // rows between progress reports

Result<std::int64_t> count_rows(store::Connection& c, const std::string& table) {
  SC_ASSIGN_OR_RETURN(store::Statement * s, c.prepare("SELECT COUNT(*) FROM \"" + table + "\""));
  store::StatementUse use(*s);
  SC_ASSIGN_OR_RETURN(bool row, s->step());
  return row ? s->column_int(0) : 0;
}

// One table's rows, as text (PostgreSQL casts each to its column's type) or NULL.
Status copy_table(store::Connection& from, store::Connection& to, const store::CatalogTable& table,
                  std::int64_t total, const DatabaseCopyOptions& options) {
  SC_ASSIGN_OR_RETURN(store::Statement * read, from.prepare(store::sqlite_copy_select(table)));
  std::vector<std::string> cols;
  for (const std::string& c : table.columns) cols.push_back("\"" + c + "\"");
  // One COPY per table (store/bulk_rows.h): a row's error names the table, and the
  // transaction undoes the whole copy.
  SC_ASSIGN_OR_RETURN(auto write, store::RowCopy::start(to, "\"" + table.name + "\"", cols));
  if (!write) return Status::internal("the target of a copy must be PostgreSQL");
  store::StatementUse reading(*read);
  std::int64_t done = 0;
  auto failed = [&](const Status& st) {
    return Status(st.code(), "table " + table.name + ": " + st.message());
  };
  while (true) {
    SC_ASSIGN_OR_RETURN(bool row, read->step());
    if (!row) break;
    for (int i = 0; i < static_cast<int>(table.columns.size()); ++i) {
      if (read->column_is_null(i)) write->bind_null(i + 1);
      else write->bind_text(i + 1, read->column_text_view(i));
    }
    if (Status st = write->end_row(); !st.is_ok()) return failed(st);
    if (++done % kProgressEvery == 0 && options.progress) options.progress(table.name, done, total);
  }
  if (Status st = write->finish(); !st.is_ok()) return failed(st);
  if (options.progress) options.progress(table.name, done, total);
  return Status::ok();
}

Result<std::vector<std::string>> kpi_rows(store::Connection& c) {
  std::vector<std::string> rows;
  for (const char* col : {"day", "month"}) {
    SC_ASSIGN_OR_RETURN(auto r, store::kpi_table_rows(c, col));
    rows.insert(rows.end(), r.begin(), r.end());
  }
  return rows;
}

}  // namespace

bool DatabaseCopyReport::verified() const {
  for (const TableCopy& t : tables)
    if (t.source_rows != t.target_rows) return false;
  return kpi_equal;
}

Result<DatabaseCopyReport> copy_database(const std::string& from, const std::string& to,
                                         const DatabaseCopyOptions& options) {
  if (!from.starts_with("sqlite:") || from == "sqlite::memory:")
    return Status::invalid("--from must name a SQLite database file (sqlite:PATH), not '" + store::redacted_url(from) + "'",
                           {{"from", "sqlite:PATH"}});
  if (!store::is_postgresql_url(to))
    return Status::invalid("--to must be a PostgreSQL URL (postgresql://...), not '" + store::redacted_url(to) + "'",
                           {{"to", "postgresql://user:password@host:port/db"}});
  // Both at this build's schema: the same numbered migrations make the same tables.
  EngineOptions engine_options;
  engine_options.config = options.config;
  {
    SC_ASSIGN_OR_RETURN(auto source, Engine::open(from, engine_options));
    SC_ASSIGN_OR_RETURN(auto target, Engine::open(to, engine_options));
  }
  store::OpenOptions open_options;
  open_options.busy_timeout_ms = options.config.busy_timeout_ms;
  open_options.read_only = true;
  SC_ASSIGN_OR_RETURN(auto source, store::open_connection(from, open_options));
  open_options.read_only = false;
  SC_ASSIGN_OR_RETURN(auto target, store::open_connection(to, open_options));

  SC_ASSIGN_OR_RETURN(auto held, store::pg_nonempty_tables(*target));
  if (!held.empty() && !options.force) {
    std::string what;
    for (const auto& [table, rows] : held) what += (what.empty() ? "" : ", ") + std::to_string(rows) + " in " + table;
    return Status(Code::kFailedPrecondition, "the target database holds data already (" + what +
                                                 "): give --force to empty it and copy anyway");
  }

  DatabaseCopyReport report;
  SC_ASSIGN_OR_RETURN(auto tables, store::sqlite_tables(*source));
  SC_RETURN_IF_ERROR(source->begin_read());  // one snapshot of the source
  SC_RETURN_IF_ERROR(target->begin_write());
  Status copied = [&]() -> Status {
    if (!held.empty()) SC_RETURN_IF_ERROR(store::pg_empty_tables(*target));
    for (const store::CatalogTable& table : tables) {
      SC_ASSIGN_OR_RETURN(std::int64_t rows, count_rows(*source, table.name));
      SC_RETURN_IF_ERROR(copy_table(*source, *target, table, rows, options));
      report.tables.push_back({table.name, rows, 0});
      report.rows += rows;
    }
    return store::pg_continue_sequences(*target);
  }();
  (void)source->rollback();
  if (!copied.is_ok()) {
    (void)target->rollback();
    return copied;
  }
  SC_RETURN_IF_ERROR(target->commit());

  // Verification: what is in the target now, counted afresh.
  for (TableCopy& t : report.tables) {
    SC_ASSIGN_OR_RETURN(t.target_rows, count_rows(*target, t.table));
  }
  SC_ASSIGN_OR_RETURN(auto copied_kpi, kpi_rows(*target));
  report.kpi_rows = static_cast<std::int64_t>(copied_kpi.size());
  {
    SC_ASSIGN_OR_RETURN(auto engine, Engine::open(to, engine_options));
    SC_RETURN_IF_ERROR(engine->kpi().rebuild(Actor::system()));
  }
  SC_ASSIGN_OR_RETURN(auto rebuilt, kpi_rows(*target));
  report.kpi_equal = rebuilt == copied_kpi;
  return report;
}

}  // namespace salescore
