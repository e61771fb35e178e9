// salescore deadletters list|replay: what the connectors gave up on, and sending it
// through again once the cause is fixed.
#include <iostream>

#include "commands.h"
#include "engine_open.h"
#include "host/dead_letter_replay.h"

namespace salescore::cli {
namespace {

const CommandSpec kSpec{
    .name = "deadletters",
    .summary = "list records and deliveries the connectors gave up on, or replay them",
    .positionals = "list | replay ID...",
    .min_positionals = 1,
    .max_positionals = 1000,
    .options = {db_option(),
                {"connector", "NAME", "only this connector's (list)", false, false},
                {"all", "", "include the ones already replayed (list)", false, false},
                {"limit", "N", "at most N letters (list; default 100, 0: all)", false, false},
                config_option(),
                set_option()},
    .details =
        "list: one line per dead letter: id, connector, direction, what it was (the event\n"
        "type for an event), attempts, when it failed and why, then one line per replay.\n"
        "replay ID...: applies an inbound record again (as its connector's user) or queues\n"
        "an outbound item again; a letter keeps its reason, and a replay that fails is\n"
        "recorded on it. An automation's letter, or one already replayed or queued, is\n"
        "refused and left as it is. Exit status 1 when any replay failed or was refused.",
};

int list(const Args& args, Engine& engine) {
  auto limit = args.get_int("limit", 100, 0, 1'000'000);
  if (!limit.ok()) return usage_error(kSpec.name, limit.status().message());
  DeadLetterQuery q;
  if (args.has("connector")) q.connector = args.get("connector");
  q.include_replayed = args.has("all");
  q.limit = static_cast<int>(*limit);
  auto letters = engine.connectors().dead_letters(q);
  if (!letters.ok()) return fail(kSpec.name, "cannot read the dead letters", letters.status());
  if (letters->empty()) {
    std::cout << "No dead letters" << (q.connector ? " for " + *q.connector : std::string()) << ".\n";
    return kExitOk;
  }
  for (const DeadLetter& d : *letters) {
    // A delivery of an event says which event; a record or an action, what it was.
    std::cout << d.id << "  " << d.connector << "  " << dead_letter_direction_name(d.direction) << "  "
              << (d.event_type.empty() ? d.kind : d.event_type);
    if (!d.external_id.empty()) std::cout << " " << d.source << "/" << d.external_id;
    std::cout << "  attempts " << d.attempts << "  failed " << format_iso8601(d.failed_at);
    if (d.replayed_at) std::cout << "  replayed " << format_iso8601(*d.replayed_at);
    std::cout << "\n    " << code_name(d.code) << ": " << d.reason << "\n";
    for (const ReplayAttempt& a : d.replays) {
      std::cout << "    replay " << format_iso8601(a.at) << ": " << a.outcome;
      if (a.code != Code::kOk) std::cout << " (" << code_name(a.code) << ": " << a.reason << ")";
      std::cout << "\n";
    }
  }
  return kExitOk;
}

int replay(const Args& args, Engine& engine) {
  const auto& pos = args.positionals();
  if (pos.size() < 2) return usage_error(kSpec.name, "replay needs the id of at least one dead letter");
  int failures = 0;
  for (std::size_t i = 1; i < pos.size(); ++i) {
    Id id = 0;
    try {
      std::size_t used = 0;
      id = std::stoll(pos[i], &used);
      if (used != pos[i].size() || id <= 0) throw std::invalid_argument(pos[i]);
    } catch (...) {
      return usage_error(kSpec.name, "'" + pos[i] + "' is not a dead letter id");
    }
    auto outcome = plugins::replay_dead_letter(engine, id);
    if (outcome.ok()) {
      std::cout << id << ": " << plugins::replay_outcome_name(*outcome) << "\n";
    } else {
      ++failures;
      std::cerr << id << ": " << outcome.status().message() << "\n";
    }
  }
  return failures ? kExitFailure : kExitOk;
}

int run(const Args& args) {
  const std::string& action = args.positionals()[0];
  if (action != "list" && action != "replay") return usage_error(kSpec.name, "unknown action '" + action + "' (list or replay)");
  if (action == "list" && args.positionals().size() != 1) return usage_error(kSpec.name, "list takes no further argument");
  std::unique_ptr<Engine> engine;
  if (int rc = open_engine(kSpec.name, args, {.read_only = false, .must_exist = true}, engine); rc != kExitOk) return rc;
  return action == "list" ? list(args, *engine) : replay(args, *engine);
}

}  // namespace

const Command& deadletters_command() {
  static const Command command{kSpec, run};
  return command;
}

}  // namespace salescore::cli
