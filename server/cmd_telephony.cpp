// salescore telephony import-cdr FILE: an Asterisk Master.csv recorded through the
// telephony connector's own CDR route, in-process, with the [connector.telephony] settings
// of --config (trunks, extensions, cdr_utc_offset): the same calls the AMI session records,
// each once, so importing a file again (or after the live session) changes nothing.
#include <fstream>
#include <limits>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "engine_open.h"
#include "host/config_file.h"
#include "host/connector_runtime.h"
#include "host/registry.h"
#include "salescore/calls.h"

namespace salescore::cli {
namespace {

const CommandSpec kSpec{
    .name = "telephony",
    .summary = "import Asterisk CDR files (Master.csv) as calls; place a click-to-call",
    .positionals = "import-cdr FILE... | dial",
    .min_positionals = 1,
    .max_positionals = 1000,
    .options = {db_option(),
                config_option(),
                {"user", "LOGIN", "dial: the caller, whose phone rings first", false, false},
                {"client", "ID", "dial: the client to call", false, false},
                {"contact", "ID", "dial: the contact to call (their client's access applies)", false, false},
                {"phone", "NUMBER", "dial: which of their numbers (default: the contact's, else the client's first)",
                 false, false}},
    .details =
        "import-cdr FILE...: reads each Master.csv (cdr_csv, any of its documented column\n"
        "layouts), groups its rows into calls by linkedid (or uniqueid and shared channels) and\n"
        "records each call on the client's timeline as the AMI session would, under the same key:\n"
        "a call already recorded is left as it is. The [connector.telephony] section of --config\n"
        "names the trunks, contexts and extensions (see docs/connectors/telephony.md). Prints\n"
        "what each file gave; rows that do not fit are named by line. Exit status 1 when a file\n"
        "could not be read or imported.\n"
        "dial --user LOGIN --client ID | --contact ID [--phone N]: queues a click-to-call for the\n"
        "running salescore serve's telephony connector (AMI Originate from the user's extension),\n"
        "with the user's access: a client they may not see is refused.",
};

int dial_action(const Args& args) {
  if (!args.has("user")) return usage_error(kSpec.name, "dial needs --user LOGIN (whose phone rings first)");
  std::unique_ptr<Engine> engine;
  if (int rc = open_engine(kSpec.name, args, {.read_only = false, .must_exist = true}, engine); rc != kExitOk)
    return rc;
  auto user = engine->users().by_login(Actor::system(), args.get("user"));
  if (!user.ok()) return fail(kSpec.name, "no user " + args.get("user"), user.status());
  DialRequest r;
  for (const auto& [option, target] : {std::pair{"client", &r.client_id}, std::pair{"contact", &r.contact_id}}) {
    if (!args.has(option)) continue;
    auto id = args.get_int(option, 0, 1, std::numeric_limits<std::int64_t>::max());
    if (!id.ok()) return usage_error(kSpec.name, id.status().message());
    *target = *id;
  }
  if (args.has("phone")) r.phone = args.get("phone");
  auto dialled = dial(*engine, Actor{user->id, user->role}, r);
  if (!dialled.ok()) return fail(kSpec.name, "cannot place the call", dialled.status());
  std::cout << (dialled->outbox_id ? "Queued a call to " : "Already queued: a call to ") << dialled->phone
            << "; the running salescore serve's telephony connector places it.\n";
  return kExitOk;
}

int run(const Args& args) {
  const auto& pos = args.positionals();
  if (pos[0] == "dial") {
    if (pos.size() != 1) return usage_error(kSpec.name, "dial takes options, not arguments");
    return dial_action(args);
  }
  if (pos[0] != "import-cdr") return usage_error(kSpec.name, "unknown action '" + pos[0] + "' (import-cdr, dial)");
  if (pos.size() < 2) return usage_error(kSpec.name, "import-cdr needs at least one FILE");
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
