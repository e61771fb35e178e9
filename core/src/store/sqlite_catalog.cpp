#include "store/sqlite_catalog.h"

#include <functional>
#include <map>
#include <set>

namespace salescore::store {
namespace {

Result<std::vector<std::string>> column_values(Connection& c, const std::string& sql, int col) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(sql));
  StatementUse use(*s);
  std::vector<std::string> out;
  while (true) {
    SC_ASSIGN_OR_RETURN(bool row, s->step());
    if (!row) return out;
    out.push_back(s->column_text(col));
  }
}

// The names come from the database's own catalog, never from a caller: quoted anyway.
std::string quoted(const std::string& name) { return "\"" + name + "\""; }

}  // namespace

Result<std::vector<CatalogTable>> sqlite_tables(Connection& sqlite) {
  SC_ASSIGN_OR_RETURN(auto names, column_values(sqlite,
                                                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                                                "LIKE 'sqlite_%' AND name <> 'schema_version' ORDER BY name",
                                                0));
  std::map<std::string, CatalogTable> tables;
  std::map<std::string, std::set<std::string>> references;
  for (const std::string& name : names) {
    CatalogTable t{name, {}};
    SC_ASSIGN_OR_RETURN(t.columns, column_values(sqlite, "PRAGMA table_info(" + quoted(name) + ")", 1));
    SC_ASSIGN_OR_RETURN(auto refs, column_values(sqlite, "PRAGMA foreign_key_list(" + quoted(name) + ")", 2));
    for (const std::string& r : refs)
      if (r != name) references[name].insert(r);  // a table's rows referencing each other go in id order
    tables.emplace(name, std::move(t));
  }
  // Referenced tables first (depth first; the schema has no cycles between tables).
  std::vector<CatalogTable> ordered;
  std::set<std::string> placed, visiting;
  std::function<void(const std::string&)> place = [&](const std::string& name) {
    if (placed.count(name) || visiting.count(name) || !tables.count(name)) return;
    visiting.insert(name);
    for (const std::string& r : references[name]) place(r);
    placed.insert(name);
    ordered.push_back(tables.at(name));
  };
  for (const std::string& name : names) place(name);
  return ordered;
}

std::string sqlite_copy_select(const CatalogTable& table) {
  std::string cols;
  for (const std::string& c : table.columns) {
    if (!cols.empty()) cols += ", ";
    cols += table.name == "connector_inbox" && c == "claim_seq" ? std::string("rowid") : quoted(c);
  }
  return "SELECT " + cols + " FROM " + quoted(table.name) + (table.name == "connector_inbox" ? " ORDER BY rowid" : "");
}

}  // namespace salescore::store
