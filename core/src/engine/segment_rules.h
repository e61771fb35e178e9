// When clients move between segments: at once when an order is created or changed, and
// in Engine::run_due when time alone moves them on.
#pragma once

#include "engine/engine_state.h"

namespace salescore::detail {

// Re-classifies the client after one of its orders was created or changed (a new order
// makes them hot at once). A client never classified counts as new, so a first order
// is a move with its task.
Status segment_after_order(EngineState& s, Id client_id);

// Timer: records the segment of clients never classified (silently: that is not a
// move, and turning segmentation on must not flood the managers), and moves the
// clients whose segment ends at or before now.
Status move_segments(EngineState& s, DueReport& report);

}  // namespace salescore::detail
