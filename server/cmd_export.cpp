// salescore export: stream clients, orders or calls out as CSV or JSON Lines.
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
#include "progress.h"
#include "record_writers.h"

namespace salescore::cli {
namespace {

const CommandSpec kSpec{
    .name = "export",
    .summary = "write clients, orders or calls as CSV or JSON Lines",
    .positionals = "clients|orders|calls",
    .min_positionals = 1,
    .max_positionals = 1,
    .options = {db_option(),
                {"format", "csv|jsonl", "csv: a header row, nested values as JSON text; jsonl: one object per line",
                 true, false},
                {"out", "FILE", "write to FILE instead of standard output", false, false},
                config_option(),
                set_option()},
    .details =
        "Records are streamed in id order, so an export of any size runs in little memory.\n"
        "With --out the file appears only when the export is complete.",
};

// One exportable aggregate: its columns, its size (for progress) and its stream.
struct ExportSource {
  std::string entity;
  FieldList columns;
  std::function<Result<std::int64_t>()> count;
  std::function<Status(const std::function<bool(const FieldList&)>&)> for_each;
};

ExportSource clients_source(Engine& engine) {
  return {"clients", fields_of(Client{}), [&engine] { return engine.clients().count(Actor::system(), {}); },
          [&engine](const auto& visit) {
            return engine.clients().for_each(Actor::system(), [&](const Client& c) { return visit(fields_of(c)); });
          }};
}

ExportSource orders_source(Engine& engine) {
  return {"orders", fields_of(Order{}), [&engine] { return engine.orders().count(Actor::system(), {}); },
          [&engine](const auto& visit) {
            return engine.orders().for_each(Actor::system(), [&](const Order& o) { return visit(fields_of(o)); });
          }};
}

// Calls (interactions of kind call) with what the PBX said of each: caller, callee,
// manager, ring and talk time, disposition, hangup cause, recording, the PBX's id.
ExportSource calls_source(Engine& engine) {
  Interaction columns;
  columns.kind = InteractionKind::kCall;
  InteractionQuery all;
  all.kind = InteractionKind::kCall;
  return {"calls", fields_of(columns), [&engine, all] { return engine.interactions().count(Actor::system(), all); },
          [&engine, all](const auto& visit) -> Status {
            InteractionQuery q = all;
            q.page.limit = 1000;
            while (true) {  // page by page, so an export of any size runs in little memory
              SC_ASSIGN_OR_RETURN(auto page, engine.interactions().find(Actor::system(), q));
              for (const Interaction& i : page)
                if (!visit(fields_of(i))) return Status::ok();
              if (page.size() < static_cast<std::size_t>(q.page.limit)) return Status::ok();
              q.page.after_id = page.back().id;
            }
          }};
}

// What can be exported, by the name the command line uses.
const std::map<std::string, ExportSource (*)(Engine&)> kSources = {
    {"clients", clients_source}, {"orders", orders_source}, {"calls", calls_source}};

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
  const auto make_source = kSources.find(entity);
  if (make_source == kSources.end())
    return usage_error(kSpec.name, "cannot export '" + entity + "' (expected " + kSpec.positionals + ")");

  std::unique_ptr<Engine> engine;
  if (int rc = open_engine(kSpec.name, args, {.read_only = true, .must_exist = true}, engine); rc != kExitOk) return rc;
  const ExportSource source = make_source->second(*engine);

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
