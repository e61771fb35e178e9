// When clients move between segments: at once when an order is created or changed, and
// in Engine::run_due when time alone moves them on.
#pragma once

#include "engine/engine_state.h"
#include "store/segment_rows.h"

namespace salescore::detail {

// Re-classifies the client of an order that was just created (`created`) or whose
// status, date or client changed. A new order of a client already hot changes nothing
// and costs one lookup (the ingest path); otherwise the client is classified at once
// (a new order makes them hot), and a client never classified counts as new, so a
// first order is a move with its task.
Status segment_after_order(EngineState& s, const Order& order, bool created);

// Timer: records the segment of clients never classified (silently: that is not a
// move, and turning segmentation on must not flood the managers), and moves the
// clients whose segment ends at or before now.
Status move_segments(EngineState& s, DueReport& report);

// The client's segment as callers see it: the recorded segment and since when, the
// actual last order, and when the rule moves them on (now when run_due is due to).
ClientSegment segment_view(const EngineState& s, const store::SegmentCandidate& c);

}  // namespace salescore::detail
