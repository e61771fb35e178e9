// salescore approvals waiting --as LOGIN: the requests a head (or their deputy) is asked
// to decide now, as GET /api/v1/approvals/waiting and Python's approvals.waiting().
#include <iostream>

#include "commands.h"
#include "engine_open.h"
#include "kpi_args.h"

namespace salescore::cli {
namespace {

const CommandSpec kSpec{
    .name = "approvals",
    .summary = "the approval requests waiting for a user's decision",
    .positionals = "waiting",
    .min_positionals = 1,
    .max_positionals = 1,
    .options = {db_option(),
                {"as", "LOGIN", "act as this user, with their access rights (a login or an id)", true, false},
                {"user", "LOGIN", "whose requests (a login or an id; default the --as user)", false, false},
                config_option(),
                set_option()},
    .details = "waiting: one line a pending request addressed to the user: id, subject, what the\n"
               "approval matrix found, the requester's reason and when it escalates. Decide them\n"
               "in the screens, over REST (POST /api/v1/approvals/{id}/approve|reject) or Python.",
};

int run(const Args& args) {
  if (args.positionals()[0] != "waiting")
    return usage_error(kSpec.name, "unknown action '" + args.positionals()[0] + "' (waiting)");
  std::unique_ptr<Engine> engine;
  if (int rc = open_engine(kSpec.name, args, {.read_only = true, .must_exist = true}, engine); rc != kExitOk) return rc;
  Actor actor;
  if (int rc = kpi_actor(kSpec.name, *engine, args, actor); rc != kExitOk) return rc;
  ApprovalQuery q;
  q.approver_id = actor.user_id;
  if (args.has("user")) {
    auto user = find_user(*engine, args.get("user"));
    if (!user.ok()) return fail(kSpec.name, "--user " + args.get("user"), user.status());
    q.approver_id = user->id;
  }
  q.status = ApprovalStatus::kPending;
  q.page.limit = 0;
  auto rows = engine->approvals().find(actor, q);
  if (!rows.ok()) return fail(kSpec.name, "cannot read the approvals", rows.status());
  if (rows->empty()) std::cout << "Nothing waits for a decision.\n";
  for (const Approval& a : *rows) {
    std::cout << "#" << a.id << "  " << approval_subject_name(a.subject) << " " << a.subject_id << "  " << a.summary
              << "  \"" << a.reason << "\"";
    if (a.due_at) std::cout << "  escalates " << format_iso8601(*a.due_at);
    std::cout << "\n";
  }
  return kExitOk;
}

}  // namespace

const Command& approvals_command() {
  static const Command command{kSpec, run};
  return command;
}

}  // namespace salescore::cli
