// JSON members of TEXT columns, per database (the Dialect's part for the few rebuilds that
// read event payloads in SQL: SQLite's json_extract, PostgreSQL's ->>).
#pragma once

#include <string>

#include "store/dialect.h"

namespace salescore::store {

// A top-level member of a JSON object kept in a TEXT column: as text, and as an integer.
std::string json_text(const Dialect& d, const std::string& column, const std::string& key);
std::string json_int(const Dialect& d, const std::string& column, const std::string& key);

}  // namespace salescore::store
