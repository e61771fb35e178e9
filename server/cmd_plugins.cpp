// salescore plugins list|describe|pause|resume: what connectors this installation has and
// what the running server says they are doing, read without running any of them; and an
// operator's pause or resume, left in the database for the running server to carry out.
#include <iomanip>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "engine_open.h"
#include "host/config_file.h"
#include "host/connector_config.h"
#include "host/plugin_listing.h"
#include "host/registry.h"

namespace salescore::cli {
namespace {

const CommandSpec kSpec{
    .name = "plugins",
    .summary = "list the installed connectors, describe one's settings, pause or resume one",
    .positionals = "list | describe NAME | pause NAME | resume NAME",
    .min_positionals = 1,
    .max_positionals = 2,
    .options = {{"db", "URL", "the database: last success, backlog, dead letters (list); the request (pause, resume)",
                 false, false},
                config_option()},
    .details =
        "Connectors are found beside the salescore executable, in the install prefix's\n"
        "lib/salescore/connectors, and in the directories of [plugins] dirs in the config file.\n"
        "list: name, version, ABI, state, last success, outbox backlog and dead letters. The\n"
        "state is what `salescore serve` last said (running, retrying, backpressure, paused,\n"
        "failed, stopped), with when; without one, what the config file says.\n"
        "Each [connector.NAME] section is an instance; `library = webshop` runs a library under\n"
        "another name (one instance per web shop), listed and paused by that name.\n"
        "describe NAME: the settings of its [connector.NAME] section, as documentation.\n"
        "pause NAME | resume NAME: asks the `salescore serve` running on --db to stop the\n"
        "connector's polls, session and deliveries (its routes refuse records meanwhile), or to\n"
        "start them again; resume also restarts a connector that failed. Carried out within a\n"
        "second; `plugins list` shows it done.",
};

Result<plugins::ConnectorFileConfig> file_config(const Args& args) {
  if (!args.has("config")) return plugins::ConnectorFileConfig{};
  return plugins::read_connector_config(args.get("config"));
}

std::string cell(const std::string& text, std::size_t width) {
  return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

int list(const Args& args, const plugins::ConnectorRegistry& registry, const plugins::ConnectorFileConfig& config) {
  if (!args.has("db")) return usage_error(kSpec.name, "list needs --db URL (the figures come from the database)");
  std::unique_ptr<Engine> engine;
  if (int rc = open_engine(kSpec.name, args, {.read_only = false, .must_exist = true}, engine); rc != kExitOk)
    return rc;
  auto listing = plugins::list_plugins(registry, config, *engine);
  if (listing.empty()) {
    std::cout << "No connectors installed.\n";
    return kExitOk;
  }
  std::cout << cell("NAME", 14) << cell("VERSION", 9) << cell("ABI", 5) << cell("STATE", 16)
            << cell("LAST SUCCESS", 26) << cell("BACKLOG", 9) << "DEAD LETTERS\n";
  for (const auto& p : listing) {
    std::cout << cell(p.name, 14) << cell(p.version.empty() ? "-" : p.version, 9) << cell(p.abi.empty() ? "-" : p.abi, 5)
              << cell(p.state, 16) << cell(p.last_success ? format_iso8601(*p.last_success) : "never", 26)
              << cell(std::to_string(p.backlog), 9) << p.dead_letters << "\n";
    if (!p.library.empty() && p.library != p.name) std::cout << "    an instance of " << p.library << "\n";
    if (!p.reason.empty()) std::cout << "    " << p.reason << "\n";
    if (!p.last_error.empty()) std::cout << "    last error: " << p.last_error << "\n";
  }
  return kExitOk;
}

int request(const Args& args, const std::string& action,
            const std::string& name) {
  if (!args.has("db")) return usage_error(kSpec.name, action + " needs --db URL (the running server reads it there)");
  std::unique_ptr<Engine> engine;
  if (int rc = open_engine(kSpec.name, args, {.read_only = false, .must_exist = true}, engine); rc != kExitOk)
    return rc;
  Status st = engine->connectors().request_operator(name, action);
  if (!st.is_ok()) return fail(kSpec.name, "cannot ask " + name + " to " + action, st);
  std::cout << "Asked " << name << " to " << action
            << "; the running salescore serve carries it out within a second (salescore plugins list shows it).\n";
  return kExitOk;
}

int run(const Args& args) {
  const auto& pos = args.positionals();
  const std::string& action = pos[0];
  if (action != "list" && action != "describe" && action != "pause" && action != "resume")
    return usage_error(kSpec.name, "unknown action '" + action + "' (list, describe, pause or resume)");
  if (action != "list" && pos.size() != 2) return usage_error(kSpec.name, action + " needs the connector's NAME");
  if (action == "list" && pos.size() != 1) return usage_error(kSpec.name, "list takes no further argument");
  auto config = file_config(args);
  if (!config.ok()) return fail(kSpec.name, "cannot read the configuration", config.status());
  plugins::LoaderOptions loader;
  loader.dirs = config->plugin_dirs;
  auto registry = plugins::ConnectorRegistry::load(loader);
  if (action == "list") return list(args, registry, *config);
  // An instance's name (a section running a library under another name) or a library's.
  auto section = config->connectors.find(pos[1]);
  auto library = registry.find(section == config->connectors.end() ? pos[1] : plugins::library_of(pos[1], section->second));
  if (!library) {
    std::ostringstream known;
    for (const auto& c : registry.connectors()) known << (known.tellp() ? ", " : "") << c->descriptor().name;
    return fail(kSpec.name, "no connector named '" + pos[1] + "' is installed" +
                                (known.tellp() ? " (installed: " + known.str() + ")" : ""));
  }
  if (action != "describe") return request(args, action, pos[1]);
  std::cout << plugins::describe_connector(library->descriptor());
  return kExitOk;
}

}  // namespace

const Command& plugins_command() {
  static const Command command{kSpec, run};
  return command;
}

}  // namespace salescore::cli
