// salescore init: create the database or bring its schema up to date.
#include <iostream>

#include "commands.h"
#include "engine_open.h"

namespace salescore::cli {
namespace {

const CommandSpec kSpec{
    .name = "init",
    .summary = "create the database or migrate it to the current schema",
    .options = {db_option(), config_option(), set_option()},
    .details = "Safe to run again: an up-to-date database is left as it is.",
};

int run(const Args& args) {
  std::unique_ptr<Engine> engine;
  if (int rc = open_engine(kSpec.name, args, {}, engine); rc != kExitOk) return rc;
  std::cout << "Database " << database_location(args.get("db")) << " is ready: schema version "
            << engine->schema_version() << "\n";
  return kExitOk;
}

}  // namespace

const Command& init_command() {
  static const Command command{kSpec, run};
  return command;
}

}  // namespace salescore::cli
