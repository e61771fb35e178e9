// The tasks a lead puts on its assignee, shared by the lead service and the SLA timer.
#pragma once

#include "engine/engine_state.h"

namespace salescore::detail {
Status give_answer_task(EngineState& s, const Actor& actor, const Lead& lead);
Status close_lead_tasks(EngineState& s, const Actor& actor, Id lead_id, TaskStatus how);
}  // namespace salescore::detail
