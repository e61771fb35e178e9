#pragma once

#include "engine/engine_state.h"

namespace salescore::detail {
// Logs "task.overdue_while_away" for each task of an absent user that is past due and
// not yet reported during that absence.
Status report_overdue_tasks_of_absent_users(EngineState& s, DueReport& report);
}  // namespace salescore::detail
