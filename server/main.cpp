// salescore: the command-line entry point. Finds the command, parses its options from
// the command's own spec and runs it.
#include <malloc.h>
#include <sqlite3.h>

#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "commands.h"
#include "people_commands.h"
#include "salescore/engine.h"

namespace {

using salescore::cli::Command;

const std::vector<const Command*>& all_commands() {
  static const std::vector<const Command*> commands = {&salescore::cli::init_command(), &salescore::cli::demo_command(),
                                                       &salescore::cli::export_command(),
                                                       &salescore::cli::serve_command(),
                                                       &salescore::cli::kpi_command(),
                                                       &salescore::cli::report_command(),
                                                       &salescore::cli::market_command(),
                                                       &salescore::cli::plugins_command(),
                                                       &salescore::cli::deadletters_command(),
                                                       &salescore::cli::token_command(), &salescore::cli::user_command(),
                                                       &salescore::cli::doctor_command(),
                                                       &salescore::cli::telephony_command(),
                                                       &salescore::cli::emails_command(),
                                                       &salescore::cli::migrate_command(),
                                                       &salescore::cli::tasks_command(),
                                                       &salescore::cli::clients_command(),
                                                       &salescore::cli::approvals_command(),
                                                       &salescore::cli::users_command(),
                                                       &salescore::cli::absences_command()};
  return commands;
}

const Command* find_command(const std::string& name) {
  for (const Command* c : all_commands())
    if (c->spec.name == name) return c;
  return nullptr;
}

void print_overview(std::ostream& out) {
  out << "Usage: salescore COMMAND [OPTIONS]\n\n"
         "The sales department's engine: clients, deals, orders and KPIs.\n\n"
         "Commands:\n";
  for (const Command* c : all_commands()) {
    std::string name = c->spec.name;
    out << "  " << name << std::string(name.size() < 13 ? 13 - name.size() : 1, ' ') << c->spec.summary << "\n";
  }
  out << "\nRun 'salescore COMMAND --help' for the options of a command.\n";
}

int run_command(const Command& command, const std::vector<std::string>& argv) {
  auto args = salescore::cli::parse_args(command.spec, argv);
  if (!args.ok()) return salescore::cli::usage_error(command.spec.name, args.status().message());
  if (args->help_requested()) {
    std::cout << salescore::cli::help_text(command.spec);
    return salescore::cli::kExitOk;
  }
  return command.run(*args);
}

}  // namespace

#ifdef SALESCORE_WITH_JEMALLOC
constexpr const char* kAllocator = "jemalloc";
#else
constexpr const char* kAllocator = "glibc";
#endif

int main(int argc, char** argv) {
  using namespace salescore::cli;
#ifndef SALESCORE_WITH_JEMALLOC
  // glibc gives every thread that allocates its own arena (up to 8 per core) and keeps
  // what they free: a 1C import (upload, parser and batch threads) left ~60 MB of freed
  // but held memory that way. Two arenas serve the server's threads well enough.
  mallopt(M_ARENA_MAX, 2);
#endif
  // Every SQLite connection of this process is used by one thread at a time (the engine
  // hands each one out under its own locks), so SQLite's per-connection mutex, taken on
  // every bind, step and column call, is only cost: ~4% of a 1C import's writing thread.
  // Set here, in the executable, and not in the core: the Python module shares SQLite with
  // the interpreter's sqlite3 module, whose users may share a connection across threads.
  sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    print_overview(std::cerr);
    return kExitUsage;
  }
  const std::string& first = args[0];
  if (first == "--help" || first == "-h") {
    print_overview(std::cout);
    return kExitOk;
  }
  if (first == "--version") {
    std::cout << "salescore " << SALESCORE_VERSION << " (schema version " << salescore::Engine::latest_schema_version()
              << ", allocator " << kAllocator << ")\n";
    return kExitOk;
  }
  if (first == "help") {
    if (args.size() == 1) {
      print_overview(std::cout);
      return kExitOk;
    }
    const Command* command = find_command(args[1]);
    if (!command) return usage_error("help", "unknown command '" + args[1] + "'");
    std::cout << help_text(command->spec);
    return kExitOk;
  }
  const Command* command = find_command(first);
  if (!command) {
    std::cerr << "salescore: unknown command '" << first << "'\n"
              << "Run 'salescore --help' for the list of commands.\n";
    return kExitUsage;
  }
  try {
    return run_command(*command, std::vector<std::string>(args.begin() + 1, args.end()));
  } catch (const std::exception& e) {
    // The engine reports expected failures as Status; an exception here is a bug, but
    // the user still deserves a message and a failing exit code rather than an abort.
    return fail(first, std::string("unexpected error: ") + e.what());
  }
}
