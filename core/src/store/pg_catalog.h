// The target side of copy_database (salescore/database_copy.h) on PostgreSQL: emptying
// the tables, and moving each identity sequence past the ids copied in.
#pragma once

#include <string>
#include <vector>

#include "store/sql.h"

namespace salescore::store {

// Rows in the tables of the current schema, but schema_version: (table, rows) of each
// table that holds any.
Result<std::vector<std::pair<std::string, std::int64_t>>> pg_nonempty_tables(Connection& pg);
// TRUNCATE of those tables, identities starting again from 1.
Status pg_empty_tables(Connection& pg);
// Each identity column's sequence continues after the highest value in its table, so
// the next row written gets the next id rather than one the copy already used.
Status pg_continue_sequences(Connection& pg);

}  // namespace salescore::store
