// salescore users find|get|add: the company's people, with the names of Python's
// engine.users (find, get, add) and through the same UserService and access rules as
// REST. Passwords and deactivation stay with `salescore user passwd|deactivate|activate`.
#include <iostream>

#include "engine_open.h"
#include "kpi_args.h"
#include "people_commands.h"
#include "salescore/record_fields.h"

namespace salescore::cli {
namespace {

const CommandSpec kSpec{
    .name = "users",
    .summary = "list, show and add the company's users",
    .positionals = "find|get|add [LOGIN|ID]",
    .min_positionals = 1,
    .max_positionals = 2,
    .options = {db_option(),
                as_option(),
                {"login", "LOGIN", "add: the new user's login", false, false},
                {"name", "NAME", "add: their full name", false, false},
                {"role", "ROLE", "add: manager, assistant, head, director or admin", false, false},
                {"head", "LOGIN|ID", "add: the head of department they report to", false, false},
                {"manager", "LOGIN|ID", "add: for an assistant, the manager they assist", false, false},
                {"format", "text|json", "text (default) or one JSON record per line", false, false},
                config_option(),
                set_option()},
    .details = "find lists the users (as --as LOGIN: what that user may see); get LOGIN|ID shows one;\n"
               "add records a user as the operator, or as --as LOGIN with that user's rights, e.g.\n"
               "  salescore users add --login petrova --name 'Петрова М. А.' --role manager --head orlova\n"
               "and prints it as JSON. Passwords: salescore user passwd LOGIN.",
};

void print(const User& u, bool json) {
  if (json) {
    std::cout << fields_of(u).to_json() << "\n";
    return;
  }
  std::cout << u.id << "  " << u.login << "  " << role_name(u.role) << "  " << u.name << (u.active ? "" : "  (inactive)")
            << "\n";
}

// --head / --manager: a login or an id of an existing user.
int person_option(Engine& engine, const Args& args, const char* name, Id& out) {
  if (!args.has(name)) return kExitOk;
  auto u = find_user(engine, args.get(name));
  if (!u.ok()) return fail(kSpec.name, std::string("--") + name, u.status());
  out = u->id;
  return kExitOk;
}

int add(Engine& engine, const Actor& actor, const Args& args) {
  User u;
  u.login = args.get("login");
  u.name = args.get("name");
  auto role = parse_role(args.get("role", "manager"));
  if (!role.ok()) return usage_error(kSpec.name, "--role: " + role.status().message());
  u.role = *role;
  if (int rc = person_option(engine, args, "head", u.head_id); rc != kExitOk) return rc;
  if (int rc = person_option(engine, args, "manager", u.manager_id); rc != kExitOk) return rc;
  auto added = engine.users().add(actor, u);
  if (!added.ok()) return fail(kSpec.name, "cannot add the user", added.status());
  std::cout << fields_of(*added).to_json() << "\n";
  return kExitOk;
}

int run(const Args& args) {
  const std::string action = args.positionals().at(0);
  if (action != "find" && action != "get" && action != "add")
    return usage_error(kSpec.name, "unknown action '" + action + "' (find, get or add)");
  if ((action == "get") != (args.positionals().size() == 2))
    return usage_error(kSpec.name, action == "get" ? "get: which user? (LOGIN or ID)" : action + " takes no LOGIN");
  std::unique_ptr<Engine> engine;
  if (int rc = open_engine(kSpec.name, args, {.read_only = action != "add", .must_exist = true}, engine);
      rc != kExitOk)
    return rc;
  Actor actor;
  if (int rc = kpi_actor(kSpec.name, *engine, args, actor); rc != kExitOk) return rc;
  const bool json = args.get("format", "text") == "json";
  if (action == "add") return add(*engine, actor, args);
  if (action == "get") {
    auto found = find_user(*engine, args.positionals()[1]);
    if (!found.ok()) return fail(kSpec.name, "cannot find the user", found.status());
    auto u = engine->users().get(actor, found->id);  // the access check, as REST's GET /users/{id}
    if (!u.ok()) return fail(kSpec.name, "cannot show the user", u.status());
    print(*u, json);
    return kExitOk;
  }
  auto all = engine->users().list(actor);
  if (!all.ok()) return fail(kSpec.name, "cannot list the users", all.status());
  for (const User& u : *all) print(u, json);
  return std::cout.good() ? kExitOk : kExitFailure;
}

}  // namespace

const Command& users_command() {
  static const Command command{kSpec, run};
  return command;
}

}  // namespace salescore::cli
