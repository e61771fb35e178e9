// Moving a sales department from its SQLite file to PostgreSQL (`salescore migrate`):
// every row of every table, ids and sequences as they were, then a verification.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "salescore/config.h"
#include "salescore/status.h"

namespace salescore {

struct TableCopy {
  std::string table;
  std::int64_t source_rows = 0;
  std::int64_t target_rows = 0;  // counted again after the commit
};

struct DatabaseCopyReport {
  std::vector<TableCopy> tables;  // in the order copied (referenced tables first)
  std::int64_t rows = 0;
  // The copied KPI aggregates against a rebuild of them from the copied records.
  std::int64_t kpi_rows = 0;
  bool kpi_equal = false;
  bool verified() const;  // every count equal and the KPI rebuild equal
};

struct DatabaseCopyOptions {
  // A target that holds data already is refused, unless this is set: then it is emptied
  // first (every table, ids starting again).
  bool force = false;
  // The configuration the target will run with: the KPI rebuild cuts days in its zone.
  Config config;
  // Called as rows are copied: the table, rows of it done, its total.
  std::function<void(const std::string& table, std::int64_t done, std::int64_t total)> progress;
};

// Copies the SQLite database `from` ("sqlite:PATH") into the PostgreSQL database `to`
// ("postgresql://..."): both are brought to this build's schema first, the rows go in one
// transaction (all or nothing), each identity sequence continues after the highest id
// copied, and the report holds the counts and the KPI check. kFailedPrecondition for a
// non-empty target without `force`, kInvalidArgument for URLs of the wrong kinds.
Result<DatabaseCopyReport> copy_database(const std::string& from, const std::string& to,
                                         const DatabaseCopyOptions& options);

}  // namespace salescore
