// salescore export NAME: stream any entity out as CSV or JSON Lines, with the access
// scope of --as (the operator, who sees all, by default); the same entities and fields
// as GET /api/v1/exports/NAME and Python's engine.export (salescore/exports.h).
#include <Poco/Path.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>

#include "commands.h"
#include "engine_open.h"
#include "kpi_args.h"
#include "progress.h"
#include "record_writers.h"
#include "salescore/exports.h"

namespace salescore::cli {
namespace {

const CommandSpec kSpec{
    .name = "export",
    .summary = "write clients, orders, deals, leads, tasks, ... as CSV or JSON Lines",
    .positionals = "clients|orders|deals|leads|tasks|claims|payments|visits|interactions|calls|products|events|proposals|contracts|shipments|market",
    .min_positionals = 1,
    .max_positionals = 1,
    .options = {db_option(),
                {"format", "csv|jsonl", "csv: a header row, nested values as JSON text; jsonl: one object per line",
                 true, false},
                {"out", "FILE", "write to FILE instead of standard output", false, false},
                {"as", "LOGIN", "export what this user may see (default: the operator, who sees all)", false, false},
                config_option(),
                set_option()},
    .details =
        "Records are streamed in id order (events by seq), so an export of any size runs in\n"
        "little memory. The fields are the REST API's: money as decimal strings beside its\n"
        "currency, times as ISO 8601 UTC (2026-11-30T09:00:00.000Z). With --as a manager\n"
        "exports only what they may see. With --out the file appears only when the export\n"
        "is complete.",
};

// One exportable entity: its columns, its size when cheap to know (progress) and its
// stream, page by page through export_page.
struct ExportSource {
  std::string entity;
  FieldList columns;
  std::function<Result<std::int64_t>()> count;
  std::function<Status(const std::function<bool(const FieldList&)>&)> for_each;
};

ExportSource source_of(Engine& engine, const Actor& actor, const std::string& entity, FieldList columns) {
  std::function<Result<std::int64_t>()> count = [] { return Result<std::int64_t>(0); };
  if (entity == "clients") count = [&engine, actor] { return engine.clients().count(actor, {}); };
  if (entity == "orders") count = [&engine, actor] { return engine.orders().count(actor, {}); };
  return {entity, std::move(columns), count, [&engine, actor, entity](const auto& visit) -> Status {
            Page page{0, 1000};
            while (true) {
              SC_ASSIGN_OR_RETURN(ExportPage chunk, export_page(engine, actor, entity, page));
              for (const FieldList& row : chunk.rows)
                if (!visit(row)) return Status::ok();
              if (static_cast<int>(chunk.rows.size()) < page.limit) return Status::ok();
              page.after_id = chunk.last_key;
            }
          }};
}

// Writes every record and returns how many; fails when the output does (disk full,
// closed pipe).
Result<std::int64_t> write_all(const ExportSource& source, ExportFormat format, std::ostream& out) {
  auto writer = make_record_writer(format, out);
  writer->begin(source.columns);
  auto total = source.count();
  Progress progress(source.entity, total.ok() ? *total : 0);
  std::int64_t written = 0;
  Status st = source.for_each([&](const FieldList& record) {
    writer->write(record);
    progress.update(++written);
    return out.good();
  });
  progress.finish();
  if (!st.is_ok()) return st;
  out.flush();
  if (!out.good()) return Status::unavailable("writing the output failed");
  return written;
}

int run(const Args& args) {
  const std::string entity = args.positionals().at(0);
  auto format = parse_export_format(args.get("format"));
  if (!format.ok()) return usage_error(kSpec.name, "--format: " + format.status().message());
  auto columns = export_columns(entity);
  if (!columns.ok())
    return usage_error(kSpec.name, "cannot export '" + entity + "' (expected " + kSpec.positionals + ")");

  std::unique_ptr<Engine> engine;
  if (int rc = open_engine(kSpec.name, args, {.read_only = true, .must_exist = true}, engine); rc != kExitOk) return rc;
  Actor actor;
  if (int rc = kpi_actor(kSpec.name, *engine, args, actor); rc != kExitOk) return rc;
  const ExportSource source = source_of(*engine, actor, entity, *columns);

  const auto started = std::chrono::steady_clock::now();
  if (!args.has("out")) {
    std::ios::sync_with_stdio(false);
    errno = 0;
    auto written = write_all(source, *format, std::cout);
    // A reader that stops early (| head) is not an error worth a message.
    if (!written.ok() && errno == EPIPE) return kExitFailure;
    if (!written.ok()) return fail(kSpec.name, "export failed", written.status());
    return kExitOk;
  }

  // Written beside the target and renamed at the end, so a reader never sees half a file.
  const std::string target = args.get("out");
  const std::string partial = target + ".partial";
  Result<std::int64_t> written = Status::internal("not run");
  {
    std::ofstream file(partial, std::ios::binary | std::ios::trunc);
    if (!file) return fail(kSpec.name, "cannot create " + partial);
    written = write_all(source, *format, file);
  }
  if (!written.ok()) {
    std::remove(partial.c_str());
    return fail(kSpec.name, "export failed", written.status());
  }
  if (std::rename(partial.c_str(), target.c_str()) != 0) {
    std::remove(partial.c_str());
    return fail(kSpec.name, "cannot rename " + partial + " to " + target);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::fprintf(stderr, "Exported %lld %s to %s in %.1f s\n", static_cast<long long>(*written), entity.c_str(),
               Poco::Path(target).absolute().toString().c_str(), seconds);
  return kExitOk;
}

}  // namespace

const Command& export_command() {
  static const Command command{kSpec, run};
  return command;
}

}  // namespace salescore::cli
