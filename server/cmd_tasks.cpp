// salescore tasks today: a user's day at the terminal, the same list as
// GET /api/v1/tasks/today and engine.tasks.today() (TaskService::today, its access rule).
#include <iostream>

#include "commands.h"
#include "engine_open.h"
#include "kpi_args.h"
#include "record_writers.h"

namespace salescore::cli {
namespace {

const CommandSpec kSpec{
    .name = "tasks",
    .summary = "a user's tasks today: overdue, due today, reminders",
    .positionals = "today",
    .min_positionals = 1,
    .max_positionals = 1,
    .options = {db_option(),
                {"as", "LOGIN", "act as this user, with their access rights (a login or an id)", true, false},
                {"user", "LOGIN", "whose day (a login or an id; default the --as user)", false, false},
                {"format", "text|json", "text (default): one line a task; json: as GET /api/v1/tasks/today", false,
                 false},
                config_option(),
                set_option()},
    .details =
        "today: the open tasks of the day in the company time zone, overdue first (oldest\n"
        "first), then due later today, then installment reminders due on a later day. The\n"
        "user themself, their head, an assistant of theirs, their deputy, a director or an\n"
        "admin may ask:\n"
        "  salescore tasks today --as petrova.ma --db sqlite:crm.db",
};

void print_text(const std::vector<TodayItem>& items) {
  if (items.empty()) {
    std::cout << "Nothing for today.\n";
    return;
  }
  for (const TodayItem& item : items) {
    std::cout << today_section_name(item.section) << "  #" << item.task.id << "  "
              << (item.task.due_at ? format_iso8601(*item.task.due_at) : std::string("no due date")) << "  "
              << item.task.title;
    if (!item.client_name.empty()) std::cout << "  (" << item.client_name << ")";
    std::cout << "  [" << item.reason << "]\n";
  }
}

int run(const Args& args) {
  if (args.positionals()[0] != "today")
    return usage_error(kSpec.name, "unknown action '" + args.positionals()[0] + "' (today)");
  const std::string format = args.get("format", "text");
  if (format != "text" && format != "json") return usage_error(kSpec.name, "--format: expected text or json");
  std::unique_ptr<Engine> engine;
  if (int rc = open_engine(kSpec.name, args, {.read_only = true, .must_exist = true}, engine); rc != kExitOk) return rc;
  Actor actor;
  if (int rc = kpi_actor(kSpec.name, *engine, args, actor); rc != kExitOk) return rc;
  Id user_id = actor.user_id;
  if (args.has("user")) {
    auto user = find_user(*engine, args.get("user"));
    if (!user.ok()) return fail(kSpec.name, "--user " + args.get("user"), user.status());
    user_id = user->id;
  }
  auto items = engine->tasks().today(actor, user_id);
  if (!items.ok()) return fail(kSpec.name, "cannot read the tasks of today", items.status());
  if (format == "json") std::cout << today_json(user_id, *items) << "\n";
  else print_text(*items);
  return kExitOk;
}

}  // namespace

const Command& tasks_command() {
  static const Command command{kSpec, run};
  return command;
}

}  // namespace salescore::cli
