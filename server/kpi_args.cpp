#include "kpi_args.h"

#include "commands.h"

namespace salescore::cli {

Result<User> find_user(Engine& engine, const std::string& text) {
  const bool digits = !text.empty() && text.size() < 19 && text.find_first_not_of("0123456789") == std::string::npos;
  if (digits) return engine.users().get(Actor::system(), std::stoll(text));
  return engine.users().by_login(Actor::system(), text);
}

OptionSpec user_option() { return {"user", "LOGIN", "one user's figures (a login or a user id)", false, false}; }
OptionSpec team_option() {
  return {"team", "HEAD", "the figures of a head's department (the head's login or id)", false, false};
}
OptionSpec as_option() {
  return {"as", "LOGIN", "read as this user, with their access rights (default: the operator, who sees all)", false,
          false};
}

int kpi_target(std::string_view command, Engine& engine, const Args& args, KpiTarget& out) {
  if (args.has("user") && args.has("team")) return usage_error(command, "give --user or --team, not both");
  out = KpiTarget{KpiScope::kCompany, 0};
  for (const char* option : {"user", "team"}) {
    if (!args.has(option)) continue;
    auto user = find_user(engine, args.get(option));
    if (!user.ok()) return fail(command, std::string("--") + option + " " + args.get(option), user.status());
    out = KpiTarget{std::string(option) == "user" ? KpiScope::kUser : KpiScope::kTeam, user->id};
  }
  return kExitOk;
}

int kpi_actor(std::string_view command, Engine& engine, const Args& args, Actor& out) {
  out = Actor::system();
  if (!args.has("as")) return kExitOk;
  auto user = find_user(engine, args.get("as"));
  if (!user.ok()) return fail(command, "--as " + args.get("as"), user.status());
  out = Actor{user->id, user->role};
  return kExitOk;
}

}  // namespace salescore::cli
