#include "store/pg_catalog.h"

namespace salescore::store {
namespace {

// (table, column) of every identity column of the current schema.
Result<std::vector<std::pair<std::string, std::string>>> identity_columns(Connection& pg) {
  SC_ASSIGN_OR_RETURN(Statement * s, pg.prepare("SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON "
                                                "c.oid = a.attrelid WHERE c.relnamespace = current_schema()::regnamespace "
                                                "AND c.relkind = 'r' AND a.attidentity <> '' ORDER BY 1, 2"));
  StatementUse use(*s);
  std::vector<std::pair<std::string, std::string>> out;
  while (true) {
    SC_ASSIGN_OR_RETURN(bool row, s->step());
    if (!row) return out;
    out.emplace_back(s->column_text(0), s->column_text(1));
  }
}

Result<std::vector<std::string>> tables(Connection& pg) {
  SC_ASSIGN_OR_RETURN(Statement * s, pg.prepare("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                                                "AND tablename <> 'schema_version' ORDER BY 1"));
  StatementUse use(*s);
  std::vector<std::string> out;
  while (true) {
    SC_ASSIGN_OR_RETURN(bool row, s->step());
    if (!row) return out;
    out.push_back(s->column_text(0));
  }
}

std::string quoted(const std::string& name) { return "\"" + name + "\""; }

}  // namespace

Result<std::vector<std::pair<std::string, std::int64_t>>> pg_nonempty_tables(Connection& pg) {
  SC_ASSIGN_OR_RETURN(auto names, tables(pg));
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (const std::string& t : names) {
    SC_ASSIGN_OR_RETURN(Statement * s, pg.prepare("SELECT COUNT(*) FROM " + quoted(t)));
    StatementUse use(*s);
    SC_ASSIGN_OR_RETURN(bool row, s->step());
    if (row && s->column_int(0) > 0) out.emplace_back(t, s->column_int(0));
  }
  return out;
}

Status pg_empty_tables(Connection& pg) {
  SC_ASSIGN_OR_RETURN(auto names, tables(pg));
  if (names.empty()) return Status::ok();
  std::string list;
  for (const std::string& t : names) list += (list.empty() ? "" : ", ") + quoted(t);
  return pg.exec("TRUNCATE " + list + " RESTART IDENTITY CASCADE");
}

Status pg_continue_sequences(Connection& pg) {
  SC_ASSIGN_OR_RETURN(auto columns, identity_columns(pg));
  for (const auto& [table, column] : columns) {
    // setval(..., false) on an empty table: the first row still gets 1.
    SC_RETURN_IF_ERROR(pg.exec("SELECT setval(pg_get_serial_sequence('" + quoted(table) + "', '" + column +
                               "'), COALESCE(MAX(" + quoted(column) + "), 1), MAX(" + quoted(column) +
                               ") IS NOT NULL) FROM " + quoted(table)));
  }
  return Status::ok();
}

}  // namespace salescore::store
