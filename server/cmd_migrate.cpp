// salescore migrate --from sqlite:crm.db --to postgresql://...: moves a department from
// its SQLite file to PostgreSQL, with progress, and verifies the copy.
#include <filesystem>
#include <iostream>
#include <memory>

#include "commands.h"
#include "engine_open.h"
#include "progress.h"
#include "salescore/database_copy.h"

namespace salescore::cli {
namespace {

const CommandSpec kSpec{
    .name = "migrate",
    .summary = "copy a SQLite database into PostgreSQL, then verify the copy",
    .options = {{"from", "URL", "the SQLite database to copy: sqlite:PATH", true, false},
                {"to", "URL", "the PostgreSQL database to fill: postgresql://user:password@host:port/db", true, false},
                {"force", "", "empty a target that holds data already, then copy", false, false},
                config_option(),
                set_option()},
    .details =
        "Every table is copied with its ids (events, KPI aggregates, connector inbox keys and\n"
        "outbox, API tokens, passwords and sessions included) in one transaction: all or\n"
        "nothing. Each id sequence then continues after the highest id copied. Both databases\n"
        "are brought to this build's schema first. A target holding any row is refused unless\n"
        "--force is given. Stop the salescore processes that write the source first.\n"
        "The verification counts the rows of every table on both sides and rebuilds the KPI\n"
        "aggregates on the target from the copied records (in the zone of --config), which\n"
        "must equal the aggregates copied. Exit code 1 when anything differs.",
};

int run(const Args& args) {
  DatabaseCopyOptions options;
  if (int rc = load_config(kSpec.name, args, options.config); rc != kExitOk) return rc;
  options.force = args.has("force");
  const std::string from = args.get("from");
  const std::string to = args.get("to");
  if (from.starts_with("sqlite:") && from != "sqlite::memory:" &&
      !std::filesystem::exists(from.substr(std::string_view("sqlite:").size())))
    return fail(kSpec.name, "there is no database at " + database_location(from));
  std::unique_ptr<Progress> progress;
  std::string current;
  options.progress = [&](const std::string& table, std::int64_t done, std::int64_t total) {
    if (table != current) {
      progress = std::make_unique<Progress>(table, total);
      current = table;
    }
    progress->update(done);
  };
  auto report = copy_database(from, to, options);
  progress.reset();
  if (!report.ok()) {
    if (report.status().code() == Code::kInvalidArgument) return usage_error(kSpec.name, report.status().message());
    return fail(kSpec.name, "cannot copy " + database_location(from) + " to " + database_location(to),
                report.status());
  }
  std::cout << "table                         source    target\n";
  for (const TableCopy& t : report->tables) {
    char line[128];
    std::snprintf(line, sizeof line, "%-28s %8lld  %8lld%s\n", t.table.c_str(), static_cast<long long>(t.source_rows),
                  static_cast<long long>(t.target_rows), t.source_rows == t.target_rows ? "" : "  DIFFERS");
    std::cout << line;
  }
  std::cout << "KPI aggregates: " << report->kpi_rows << " rows copied, "
            << (report->kpi_equal ? "equal to a rebuild on the target" : "NOT equal to a rebuild on the target")
            << "\n";
  if (!report->verified()) {
    std::cerr << "salescore migrate: the copy differs from its source (see above)\n";
    return kExitFailure;
  }
  std::cout << "Copied " << report->rows << " rows of " << report->tables.size() << " tables from "
            << database_location(from) << " to " << database_location(to) << ": verified.\n";
  return kExitOk;
}

}  // namespace

const Command& migrate_command() {
  static const Command command{kSpec, run};
  return command;
}

}  // namespace salescore::cli
