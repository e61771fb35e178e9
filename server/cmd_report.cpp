// salescore report: the daily, weekly or monthly sales report, generated from the KPI
// aggregates in the reader's language.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "commands.h"
#include "engine_open.h"
#include "kpi_args.h"
#include "report_render.h"

namespace salescore::cli {
namespace {

const CommandSpec kSpec{
    .name = "report",
    .summary = "the daily, weekly or monthly sales report",
    .positionals = "daily|weekly|monthly",
    .min_positionals = 1,
    .max_positionals = 1,
    .options = {db_option(),
                {"date", "YYYY-MM-DD", "a day of the period: the day, its ISO week or its month", true, false},
                user_option(),
                team_option(),
                as_option(),
                {"format", "text|json|csv|html", "text (default), json, csv, or one self-contained HTML page", false,
                 false},
                {"lang", "ru|en|zh|bg", "labels, numbers and dates in this language (default: [company] language)",
                 false, false},
                {"out", "FILE", "write to FILE instead of standard output", false, false},
                config_option(),
                set_option()},
    .details = "One line per manager of the company, of a head's department (--team) or one user (--user),\n"
               "with calls, meetings, orders, revenue, plan progress, overdue tasks and receivables;\n"
               "weekly and monthly reports compare with the previous period. docs/kpi.md has the details.",
};

int run(const Args& args) {
  auto kind = parse_report_kind(args.positionals().at(0));
  if (!kind.ok()) return usage_error(kSpec.name, kind.status().message());
  auto date = parse_day(args.get("date"));
  if (!date.ok()) return usage_error(kSpec.name, "--date: expected YYYY-MM-DD, not '" + args.get("date") + "'");
  auto format = parse_report_format(args.get("format", "text"));
  if (!format.ok()) return usage_error(kSpec.name, "--format: " + format.status().message());

  std::unique_ptr<Engine> engine;
  if (int rc = open_engine(kSpec.name, args, {.read_only = true, .must_exist = true}, engine); rc != kExitOk) return rc;
  auto lang = parse_lang(args.get("lang", engine->config().language));
  if (!lang.ok()) return usage_error(kSpec.name, "--lang: " + lang.status().message());
  Actor actor;
  if (int rc = kpi_actor(kSpec.name, *engine, args, actor); rc != kExitOk) return rc;
  KpiTarget target;
  if (int rc = kpi_target(kSpec.name, *engine, args, target); rc != kExitOk) return rc;

  auto report = engine->kpi().report(actor, *kind, *date, target);
  if (!report.ok()) return fail(kSpec.name, "cannot build the report", report.status());
  if (!args.has("out")) {
    render_report(*report, *format, *lang, std::cout);
    return std::cout.good() ? kExitOk : kExitFailure;
  }
  // Written beside the target and renamed, so a reader never sees half a report.
  const std::string target_file = args.get("out");
  const std::string partial = target_file + ".partial";
  {
    std::ofstream file(partial, std::ios::binary | std::ios::trunc);
    if (!file) return fail(kSpec.name, "cannot create " + partial);
    render_report(*report, *format, *lang, file);
    if (!file.good()) {
      std::remove(partial.c_str());
      return fail(kSpec.name, "writing " + partial + " failed");
    }
  }
  if (std::rename(partial.c_str(), target_file.c_str()) != 0) {
    std::remove(partial.c_str());
    return fail(kSpec.name, "cannot rename " + partial + " to " + target_file);
  }
  return kExitOk;
}

}  // namespace

const Command& report_command() {
  static const Command command{kSpec, run};
  return command;
}

}  // namespace salescore::cli
