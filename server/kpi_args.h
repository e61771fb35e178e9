// What `salescore kpi` and `salescore report` share: whose figures (--user, --team) and
// as whom the command reads them (--as).
#pragma once

#include <string_view>

#include "cli_args.h"
#include "salescore/engine.h"

namespace salescore::cli {

// A user by login, or by id when the text is all digits (every command's --user, --as).
Result<User> find_user(Engine& engine, const std::string& text);

OptionSpec user_option();
OptionSpec team_option();
OptionSpec as_option();

// --user U (a login or an id), --team T (the head's login or id), or the company.
// A mistake is printed and its exit code returned; kExitOk on success.
int kpi_target(std::string_view command, Engine& engine, const Args& args, KpiTarget& out);
// --as LOGIN: read as that user, with their access rights; the operator (everything) when absent.
int kpi_actor(std::string_view command, Engine& engine, const Args& args, Actor& out);

}  // namespace salescore::cli
