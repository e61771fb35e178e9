// What a SQLite database holds, read from its own catalog: the source side of
// copy_database (salescore/database_copy.h).
#pragma once

#include <string>
#include <vector>

#include "store/sql.h"

namespace salescore::store {

struct CatalogTable {
  std::string name;
  std::vector<std::string> columns;
};

// Every table of salescore's schema but schema_version, each after the tables its
// foreign keys reference, so that rows can go in that order.
Result<std::vector<CatalogTable>> sqlite_tables(Connection& sqlite);

// The SELECT that reads a table's rows for a copy: its columns in order; a column the
// target numbers in insertion order (connector_inbox.claim_seq, empty on SQLite) is read
// as the rowid, which is that order.
std::string sqlite_copy_select(const CatalogTable& table);

}  // namespace salescore::store
