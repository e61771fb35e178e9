// salescore absences add|get|cancel|find|count: who is away and who deputizes, with the
// names of Python's engine.absences and through the same AbsenceService (the absent
// user themself, their head, a director or an admin records one) as REST.
#include <iostream>

#include "engine_open.h"
#include "kpi_args.h"
#include "people_commands.h"
#include "salescore/record_fields.h"

namespace salescore::cli {
namespace {

const CommandSpec kSpec{
    .name = "absences",
    .summary = "record, cancel and list absences and their deputies",
    .positionals = "add|get|cancel|find|count [ID]",
    .min_positionals = 1,
    .max_positionals = 2,
    .options = {db_option(),
                as_option(),
                {"user", "LOGIN|ID", "add: who is away; find/count: only theirs", false, false},
                {"deputy", "LOGIN|ID", "add: who acts for them; find/count: only where they deputize", false, false},
                {"starts-at", "ISO8601", "add: when the absence starts", false, false},
                {"ends-at", "ISO8601", "add: when it ends", false, false},
                {"reason", "REASON", "add: trip, leave (default), sickness or other", false, false},
                {"note", "TEXT", "add: a note", false, false},
                {"active-at", "ISO8601", "find/count: only absences covering this instant", false, false},
                {"include-cancelled", "", "find/count: cancelled ones too", false, false},
                {"format", "text|json", "text (default) or one JSON record per line", false, false},
                config_option(),
                set_option()},
    .details = "add records an absence, e.g.\n"
               "  salescore absences add --as orlova --user petrova --deputy ivanov \\\n"
               "      --starts-at 2026-12-14T00:00:00+03:00 --ends-at 2026-12-21T00:00:00+03:00 --reason leave\n"
               "While it lasts the deputy acts with the absent user's rights over their clients.\n"
               "cancel ID ends one early (or withdraws a future one). docs/rules.md, \"Absences\".",
};

void print(const Absence& a, bool json) {
  if (json) {
    std::cout << fields_of(a).to_json() << "\n";
    return;
  }
  std::cout << a.id << "  user " << a.user_id << "  deputy " << a.deputy_id << "  " << format_iso8601(a.starts_at)
            << " .. " << format_iso8601(a.ends_at) << "  " << absence_reason_name(a.reason)
            << (a.cancelled ? "  (cancelled)" : "") << (a.note.empty() ? "" : "  " + a.note) << "\n";
}

// A person option (login or id) or an instant option; a mistake is printed and its exit code returned.
int person(Engine& engine, const Args& args, const char* name, std::optional<Id>& out) {
  if (!args.has(name)) return kExitOk;
  auto u = find_user(engine, args.get(name));
  if (!u.ok()) return fail(kSpec.name, std::string("--") + name, u.status());
  out = u->id;
  return kExitOk;
}

int instant(const Args& args, const char* name, std::optional<Instant>& out) {
  if (!args.has(name)) return kExitOk;
  auto at = parse_iso8601(args.get(name));
  if (!at.ok()) return usage_error(kSpec.name, std::string("--") + name + ": expected ISO 8601 with an offset, not '" +
                                                   args.get(name) + "'");
  out = *at;
  return kExitOk;
}

int add(Engine& engine, const Actor& actor, const Args& args) {
  std::optional<Id> user, deputy;
  std::optional<Instant> starts, ends;
  for (int rc : {person(engine, args, "user", user), person(engine, args, "deputy", deputy),
                 instant(args, "starts-at", starts), instant(args, "ends-at", ends)})
    if (rc != kExitOk) return rc;
  auto reason = parse_absence_reason(args.get("reason", "leave"));
  if (!reason.ok()) return usage_error(kSpec.name, "--reason: " + reason.status().message());
  Absence a;
  a.user_id = user.value_or(0);
  a.deputy_id = deputy.value_or(0);
  a.starts_at = starts.value_or(Instant{});
  a.ends_at = ends.value_or(Instant{});
  a.reason = *reason;
  a.note = args.get("note");
  auto added = engine.absences().add(actor, a);
  if (!added.ok()) return fail(kSpec.name, "cannot record the absence", added.status());
  print(*added, true);
  return kExitOk;
}

int find(Engine& engine, const Actor& actor, const Args& args, bool count_only) {
  AbsenceQuery q;
  for (int rc : {person(engine, args, "user", q.user_id), person(engine, args, "deputy", q.deputy_id),
                 instant(args, "active-at", q.active_at)})
    if (rc != kExitOk) return rc;
  q.include_cancelled = args.has("include-cancelled");
  if (count_only) {
    auto n = engine.absences().count(actor, q);
    if (!n.ok()) return fail(kSpec.name, "cannot count the absences", n.status());
    std::cout << *n << "\n";
    return kExitOk;
  }
  const bool json = args.get("format", "text") == "json";
  for (Id after = 0;;) {
    q.page = Page{after, 500};
    auto page = engine.absences().find(actor, q);
    if (!page.ok()) return fail(kSpec.name, "cannot list the absences", page.status());
    for (const Absence& a : *page) print(a, json);
    if (page->size() < 500) break;
    after = page->back().id;
  }
  return std::cout.good() ? kExitOk : kExitFailure;
}

int run(const Args& args) {
  const std::string action = args.positionals().at(0);
  const bool one = action == "get" || action == "cancel";
  if (!one && action != "add" && action != "find" && action != "count")
    return usage_error(kSpec.name, "unknown action '" + action + "' (add, get, cancel, find or count)");
  if (one != (args.positionals().size() == 2))
    return usage_error(kSpec.name, one ? action + ": which absence? (its ID)" : action + " takes no ID");
  Id id = 0;
  if (one) {
    const std::string& text = args.positionals()[1];
    if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
      return usage_error(kSpec.name, action + ": expected an absence id, not '" + text + "'");
    id = std::stoll(text);
  }
  std::unique_ptr<Engine> engine;
  const bool writes = action == "add" || action == "cancel";
  if (int rc = open_engine(kSpec.name, args, {.read_only = !writes, .must_exist = true}, engine); rc != kExitOk)
    return rc;
  Actor actor;
  if (int rc = kpi_actor(kSpec.name, *engine, args, actor); rc != kExitOk) return rc;
  if (action == "add") return add(*engine, actor, args);
  if (action == "find" || action == "count") return find(*engine, actor, args, action == "count");
  auto a = action == "get" ? engine->absences().get(actor, id) : engine->absences().cancel(actor, id);
  if (!a.ok()) return fail(kSpec.name, "cannot " + action + " absence " + std::to_string(id), a.status());
  print(*a, args.get("format", action == "cancel" ? "json" : "text") == "json");
  return kExitOk;
}

}  // namespace

const Command& absences_command() {
  static const Command command{kSpec, run};
  return command;
}

}  // namespace salescore::cli
