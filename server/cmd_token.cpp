// salescore token create|revoke|list: the API tokens `salescore serve` accepts.
#include <iostream>

#include "commands.h"
#include "engine_open.h"

namespace salescore::cli {
namespace {

const CommandSpec kSpec{
    .name = "token",
    .summary = "create, list or revoke the API tokens of a user",
    .positionals = "create | list | revoke ID",
    .min_positionals = 1,
    .max_positionals = 2,
    .options = {db_option(),
                {"user", "LOGIN", "the user the token acts as (create, list)", false, false},
                {"name", "TEXT", "what the token is for, shown by list (create)", false, false},
                config_option(),
                set_option()},
    .details =
        "create: prints the new token's secret on stdout, once; only its SHA-256 is stored,\n"
        "so a lost secret cannot be shown again: revoke it and create another. A request\n"
        "sends it as 'Authorization: Bearer <secret>' and acts with the user's rights.\n"
        "list: one line per token of the user: id, prefix, name, created, revoked.\n"
        "revoke ID: the token stops working at once.",
};

Result<User> user_of(const Args& args, Engine& engine) {
  if (!args.has("user")) return Status::invalid("--user LOGIN is required");
  return engine.users().by_login(Actor::system(), args.get("user"));
}

int create(const Args& args, Engine& engine) {
  auto user = user_of(args, engine);
  if (!user.ok()) return user.status().is_invalid() ? usage_error(kSpec.name, user.status().message())
                                                    : fail(kSpec.name, "cannot find the user", user.status());
  auto issued = engine.tokens().create(Actor::system(), user->id, args.get("name"));
  if (!issued.ok()) return fail(kSpec.name, "cannot create the token", issued.status());
  // The secret alone on stdout, so that `TOKEN=$(salescore token create ...)` works.
  std::cout << issued->secret << "\n";
  std::cerr << "Token " << issued->token.id << " for " << user->login
            << " created. Store it now: it is not shown again.\n";
  return kExitOk;
}

int list(const Args& args, Engine& engine) {
  auto user = user_of(args, engine);
  if (!user.ok()) return user.status().is_invalid() ? usage_error(kSpec.name, user.status().message())
                                                    : fail(kSpec.name, "cannot find the user", user.status());
  auto tokens = engine.tokens().list(Actor::system(), user->id);
  if (!tokens.ok()) return fail(kSpec.name, "cannot list the tokens", tokens.status());
  if (tokens->empty()) std::cout << "No tokens for " << user->login << ".\n";
  for (const ApiToken& t : *tokens) {
    std::cout << t.id << "  " << t.prefix << "...  " << (t.name.empty() ? "-" : t.name) << "  created "
              << format_iso8601(t.created_at);
    if (t.revoked_at) std::cout << "  revoked " << format_iso8601(*t.revoked_at);
    std::cout << "\n";
  }
  return kExitOk;
}

int revoke(const Args& args, Engine& engine) {
  if (args.positionals().size() != 2) return usage_error(kSpec.name, "revoke needs the token's id");
  const std::string& text = args.positionals()[1];
  Id id = 0;
  try {
    std::size_t used = 0;
    id = std::stoll(text, &used);
    if (used != text.size() || id <= 0) throw std::invalid_argument(text);
  } catch (...) {
    return usage_error(kSpec.name, "'" + text + "' is not a token id");
  }
  auto token = engine.tokens().revoke(Actor::system(), id);
  if (!token.ok()) return fail(kSpec.name, "cannot revoke token " + text, token.status());
  std::cout << "Token " << id << " revoked.\n";
  return kExitOk;
}

int run(const Args& args) {
  const std::string& action = args.positionals()[0];
  if (action != "create" && action != "list" && action != "revoke")
    return usage_error(kSpec.name, "unknown action '" + action + "' (create, list or revoke)");
  if (action != "revoke" && args.positionals().size() != 1)
    return usage_error(kSpec.name, action + " takes no further argument");
  std::unique_ptr<Engine> engine;
  if (int rc = open_engine(kSpec.name, args, {.read_only = false, .must_exist = true}, engine); rc != kExitOk)
    return rc;
  if (action == "create") return create(args, *engine);
  if (action == "list") return list(args, *engine);
  return revoke(args, *engine);
}

}  // namespace

const Command& token_command() {
  static const Command command{kSpec, run};
  return command;
}

}  // namespace salescore::cli
