// Who gets an inbound lead: the configured rule (round robin among managers on duty,
// the least loaded one, or the owner of the matched client), with absences respected.
#pragma once

#include <vector>

#include "engine/engine_state.h"

namespace salescore::detail {

// Active managers who are not absent at the engine's now, in id order.
Result<std::vector<Id>> managers_on_duty(EngineState& s);

// Whoever acts for `user_id` now: their deputy while they are absent, else themself.
Result<Id> acting_for(EngineState& s, Id user_id);

// Picks the assignee for `lead`, never `exclude` when anyone else is on duty.
// `owner_of_client` is the matched client's owner (0 if none). Returns 0 when nobody
// is on duty: the lead then waits in the head's queue.
Result<Id> pick_assignee(EngineState& s, Id owner_of_client, Id exclude);

}  // namespace salescore::detail
