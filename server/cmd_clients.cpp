// salescore clients list: the clients a user may see, filtered as on the other surfaces
// (GET /api/v1/clients, engine.clients.find): "my sleeping clients" is
//   salescore clients list --as petrova.ma --segment sleeping --db sqlite:crm.db
#include <iostream>

#include "commands.h"
#include "engine_open.h"
#include "kpi_args.h"
#include "record_writers.h"

namespace salescore::cli {
namespace {

const CommandSpec kSpec{
    .name = "clients",
    .summary = "list the clients a user may see, by segment, owner or tier",
    .positionals = "list",
    .min_positionals = 1,
    .max_positionals = 1,
    .options = {db_option(),
                {"as", "LOGIN", "act as this user, with their access rights (default: the operator, who sees all)",
                 false, false},
                {"segment", "NAME", "new, hot, warm, cooling or sleeping (the recorded segment)", false, false},
                {"owner", "LOGIN", "only the clients of this manager (a login or an id)", false, false},
                {"tier", "regular|vip", "only this tier", false, false},
                {"format", "text|csv|jsonl", "text (default): id, name, segment, owner; csv/jsonl: every field",
                 false, false},
                {"limit", "N", "at most N clients (default 1000, 0: all)", false, false},
                config_option(),
                set_option()},
    .details = "Clients in id order. The segment is the one the rule last recorded (run_due\n"
               "classifies a client added since); the access scope is the --as user's.",
};

int run(const Args& args) {
  if (args.positionals()[0] != "list")
    return usage_error(kSpec.name, "unknown action '" + args.positionals()[0] + "' (list)");
  const std::string format = args.get("format", "text");
  if (format != "text" && format != "csv" && format != "jsonl")
    return usage_error(kSpec.name, "--format: expected text, csv or jsonl");
  auto limit = args.get_int("limit", 1000, 0, INT32_MAX);
  if (!limit.ok()) return usage_error(kSpec.name, limit.status().message());
  std::unique_ptr<Engine> engine;
  if (int rc = open_engine(kSpec.name, args, {.read_only = true, .must_exist = true}, engine); rc != kExitOk) return rc;
  Actor actor;
  if (int rc = kpi_actor(kSpec.name, *engine, args, actor); rc != kExitOk) return rc;
  ClientQuery q;
  if (args.has("segment")) q.segment = args.get("segment");
  if (args.has("tier")) {
    auto tier = parse_tier(args.get("tier"));
    if (!tier.ok()) return usage_error(kSpec.name, "--tier: " + tier.status().message());
    q.tier = *tier;
  }
  if (args.has("owner")) {
    auto owner = find_user(*engine, args.get("owner"));
    if (!owner.ok()) return fail(kSpec.name, "--owner " + args.get("owner"), owner.status());
    q.owner_id = owner->id;
  }
  std::unique_ptr<RecordWriter> writer;
  if (format != "text") {
    writer = make_record_writer(format == "csv" ? ExportFormat::kCsv : ExportFormat::kJsonl, std::cout);
    writer->begin(fields_of(Client{}));
  }
  std::int64_t shown = 0;
  q.page.limit = 500;
  while (*limit == 0 || shown < *limit) {
    auto page = engine->clients().find(actor, q);
    if (!page.ok()) return fail(kSpec.name, "cannot list the clients", page.status());
    for (const Client& c : *page) {
      if (*limit != 0 && shown >= *limit) break;
      ++shown;
      if (writer) writer->write(fields_of(c));
      else std::cout << c.id << "  " << c.name << "  " << (c.segment.empty() ? "-" : c.segment) << "  owner "
                     << c.owner_id << "\n";
    }
    if (page->size() < 500) break;
    q.page.after_id = page->back().id;
  }
  if (!writer && shown == 0) std::cout << "No clients.\n";
  return kExitOk;
}

}  // namespace

const Command& clients_command() {
  static const Command command{kSpec, run};
  return command;
}

}  // namespace salescore::cli
