// Numbered schema migrations, applied in order at open and recorded in schema_version.
#pragma once

#include "store/sql.h"

namespace salescore::store {

// The highest migration number this build knows.
int latest_schema_version();

// Applies every migration newer than the database's version, each in its own
// transaction. Refuses a database whose version is newer than this build's, and a
// read-only database that still needs migrations. Returns the resulting version.
Result<int> migrate(Connection& conn);

}  // namespace salescore::store
