// salescore kpi: recompute the KPI aggregates, or read KPIs for a user, team or the company.
#include <iostream>

#include "commands.h"
#include "engine_open.h"
#include "kpi_args.h"
#include "kpi_json.h"
#include "salescore/record_fields.h"

namespace salescore::cli {
namespace {

const CommandSpec kSpec{
    .name = "kpi",
    .summary = "rebuild the KPI aggregates, or read KPIs",
    .positionals = "rebuild | get ID[,ID...]|all",
    .min_positionals = 1,
    .max_positionals = 2,
    .options = {db_option(),
                {"period", "P", "2026-10, 2026-W44, 2026-10-05, 2026-Q4 or 2026-10-01..2026-10-15 (get)", false, false},
                user_option(),
                team_option(),
                as_option(),
                {"by", "user|month", "one row per manager of the target, or per month of the period (get)", false, false},
                {"format", "text|json", "how to print the figures (default text)", false, false},
                config_option(),
                set_option()},
    .details = "kpi rebuild recomputes every aggregate from the base tables; the engine keeps them\n"
               "current on every write, so this is for repairs and imports that bypassed it.\n"
               "kpi get ID prints one KPI (docs/kpi.md lists the ids), kpi get A,B some, kpi get all\n"
               "every one; --by user adds them per manager, --by month per month of the period.\n"
               "Money is in minor units of the company currency; bp is a percent times 100.",
};

void print_text(const KpiValue& v) {
  std::cout << v.id << " = " << (v.defined ? std::to_string(v.value) : std::string("undefined")) << " "
            << kpi_unit_name(v.unit);
  if (!v.breakdown.empty()) {
    std::cout << " (";
    for (std::size_t i = 0; i < v.breakdown.size(); ++i)
      std::cout << (i ? ", " : "") << v.breakdown[i].first << ": " << v.breakdown[i].second;
    std::cout << ")";
  }
  std::cout << "\n";
}

int rebuild(Engine& engine, const Actor& actor) {
  Status st = engine.kpi().rebuild(actor);
  if (!st.is_ok()) return fail(kSpec.name, "rebuild failed", st);
  std::cout << "KPI aggregates rebuilt\n";
  return kExitOk;
}

int get(Engine& engine, const Actor& actor, const Args& args, const std::string& id) {
  if (!args.has("period")) return usage_error(kSpec.name, "kpi get needs --period");
  auto period = parse_period(args.get("period"));
  if (!period.ok()) return usage_error(kSpec.name, "--period: " + period.status().message());
  const std::string format = args.get("format", "text");
  if (format != "text" && format != "json") return usage_error(kSpec.name, "--format: expected text or json");
  KpiSplit split = KpiSplit::kNone;
  if (args.has("by")) {
    auto by = parse_kpi_split(args.get("by"));
    if (!by.ok()) return usage_error(kSpec.name, "--by: " + by.status().message());
    split = *by;
  }
  KpiTarget target;
  if (int rc = kpi_target(kSpec.name, engine, args, target); rc != kExitOk) return rc;
  const std::vector<std::string> ids = id == "all" ? std::vector<std::string>{} : kpi_id_list(id);
  auto table = engine.kpi().table(actor, ids, target, *period, split);
  if (!table.ok()) return fail(kSpec.name, "cannot read " + id, table.status());
  if (format == "json") {
    std::cout << kpi_table_json(*period, target, *table, split) << "\n";
    return kExitOk;
  }
  for (const auto& v : table->total) print_text(v);
  for (const auto& row : table->rows) {
    std::cout << "\n" << row.label << (row.user_id ? " (#" + std::to_string(row.user_id) + ")" : "") << "\n";
    for (const auto& v : row.values) print_text(v);
  }
  return kExitOk;
}

int run(const Args& args) {
  const std::string action = args.positionals().at(0);
  if (action != "rebuild" && action != "get")
    return usage_error(kSpec.name, "unknown action '" + action + "' (expected rebuild or get)");
  if (action == "get" && args.positionals().size() != 2) return usage_error(kSpec.name, "kpi get needs an ID or all");
  if (action == "rebuild" && args.positionals().size() != 1) return usage_error(kSpec.name, "kpi rebuild takes no ID");
  std::unique_ptr<Engine> engine;
  const OpenMode mode{.read_only = action == "get", .must_exist = true};
  if (int rc = open_engine(kSpec.name, args, mode, engine); rc != kExitOk) return rc;
  Actor actor;
  if (int rc = kpi_actor(kSpec.name, *engine, args, actor); rc != kExitOk) return rc;
  if (action == "rebuild") return rebuild(*engine, actor);
  return get(*engine, actor, args, args.positionals().at(1));
}

}  // namespace

const Command& kpi_command() {
  static const Command command{kSpec, run};
  return command;
}

}  // namespace salescore::cli
