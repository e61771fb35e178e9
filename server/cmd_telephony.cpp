// salescore telephony import-cdr FILE: an Asterisk Master.csv recorded through the
// telephony connector's own CDR route, in-process, with the [connector.telephony] settings
// of --config (trunks, extensions, cdr_utc_offset): the same calls the AMI session records,
// each once, so importing a file again (or after the live session) changes nothing.
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "engine_open.h"
#include "host/config_file.h"
#include "host/connector_runtime.h"
#include "host/registry.h"

namespace salescore::cli {
namespace {

const CommandSpec kSpec{
    .name = "telephony",
    .summary = "import Asterisk CDR files (Master.csv) as calls",
    .positionals = "import-cdr FILE...",
    .min_positionals = 2,
    .max_positionals = 1000,
    .options = {db_option(), config_option()},
    .details =
        "import-cdr FILE...: reads each Master.csv (cdr_csv, any of its documented column\n"
        "layouts), groups its rows into calls by linkedid (or uniqueid and shared channels) and\n"
        "records each call on the client's timeline as the AMI session would, under the same key:\n"
        "a call already recorded is left as it is. The [connector.telephony] section of --config\n"
        "names the trunks, contexts and extensions (see docs/connectors/telephony.md). Prints\n"
        "what each file gave; rows that do not fit are named by line. Exit status 1 when a file\n"
        "could not be read or imported.",
};

int run(const Args& args) {
  const auto& pos = args.positionals();
  if (pos[0] != "import-cdr") return usage_error(kSpec.name, "unknown action '" + pos[0] + "' (import-cdr)");
  if (!args.has("config")) return usage_error(kSpec.name, "import-cdr needs --config FILE with [connector.telephony]");
  auto file = plugins::read_connector_config(args.get("config"));
  if (!file.ok()) return fail(kSpec.name, "cannot read the config", file.status());
  auto section = file->connectors.find("telephony");
  if (section == file->connectors.end())
    return usage_error(kSpec.name, "the config file has no [connector.telephony] section");
  plugins::LoaderOptions loader;
  loader.dirs = file->plugin_dirs;
  auto registry = plugins::ConnectorRegistry::load(loader);
  auto library = registry.find("telephony");
  if (!library) return fail(kSpec.name, "the telephony connector is not installed");
  std::unique_ptr<Engine> engine;
  if (int rc = open_engine(kSpec.name, args, {.read_only = false, .must_exist = true}, engine); rc != kExitOk)
    return rc;
  // The route only, in this process: no AMI session, a one-off token for the upload.
  plugins::Settings settings = section->second;
  settings["ami_enabled"] = "false";
  settings["cdr_token"] = "import-cdr-in-process";
  plugins::ConnectorRuntime runtime(*engine);
  if (Status st = runtime.add(library, settings); !st.is_ok()) return fail(kSpec.name, "cannot start telephony", st);
  int failures = 0;
  for (std::size_t i = 1; i < pos.size(); ++i) {
    std::ifstream in(pos[i], std::ios::binary);
    if (!in) {
      std::cerr << pos[i] << ": cannot be read\n";
      ++failures;
      continue;
    }
    std::stringstream body;
    body << in.rdbuf();
    plugins::RouteRequest request;
    request.method = "POST";
    request.path = "/telephony/cdr";
    request.headers = {{"Authorization", "Bearer import-cdr-in-process"}};
    request.body = body.str();
    auto answer = runtime.handle(request);
    if (!answer || answer->status != 200) {
      std::cerr << pos[i] << ": " << (answer ? std::to_string(answer->status) + " " + answer->body : "no route") << "\n";
      ++failures;
      continue;
    }
    std::cout << pos[i] << ": " << answer->body << "\n";
  }
  return failures ? kExitFailure : kExitOk;
}

}  // namespace

const Command& telephony_command() {
  static const Command command{kSpec, run};
  return command;
}

}  // namespace salescore::cli
