// The commands of the salescore executable and what they share: exit codes and the way
// a command reports a failure.
#pragma once

#include <string>
#include <string_view>

#include "cli_args.h"
#include "salescore/status.h"

namespace salescore::cli {

// Exit codes: scripts tell "you called it wrong" from "it tried and failed".
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

struct Command {
  const CommandSpec& spec;
  int (*run)(const Args& args);
};

const Command& init_command();
const Command& demo_command();
const Command& export_command();
const Command& serve_command();
const Command& kpi_command();
const Command& report_command();
const Command& market_command();
const Command& plugins_command();
const Command& deadletters_command();
const Command& token_command();
const Command& user_command();
const Command& doctor_command();
const Command& telephony_command();
const Command& emails_command();
const Command& migrate_command();
const Command& tasks_command();
const Command& clients_command();
const Command& approvals_command();

// Prints "salescore CMD: WHAT: STATUS MESSAGE" to stderr and returns kExitFailure.
int fail(std::string_view command, std::string_view what, const Status& status);
int fail(std::string_view command, std::string_view message);
// Prints the mistake and a pointer to --help to stderr and returns kExitUsage.
int usage_error(std::string_view command, std::string_view message);

}  // namespace salescore::cli
