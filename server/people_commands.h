// salescore users and salescore absences: the people of the company from a terminal.
// A header of its own (not commands.h, which every command includes) so adding them
// recompiled only main.cpp.
#pragma once

#include "commands.h"

namespace salescore::cli {
const Command& users_command();
const Command& absences_command();
}  // namespace salescore::cli
