// Rows of client segments, and the facts the segmentation rule reads: when each client
// was created and when it last ordered.
#pragma once
#include <optional>
#include <vector>

#include "salescore/engine.h"
#include "store/sql.h"

namespace salescore::store {

// A client with what classifying it needs and its recorded segment, if any.
struct SegmentCandidate {
  Id client_id = 0;
  std::string client_name;
  Id owner_id = 0;
  Instant created_at;
  std::optional<Instant> last_order_at;  // last order not cancelled
  std::optional<ClientSegment> recorded;
};

// Clients never classified yet (added since run_due last ran, or before segments existed).
Result<std::vector<SegmentCandidate>> unclassified_clients(Connection& c);
// Classified clients whose segment ends at or before `now` (next_change_at <= now).
Result<std::vector<SegmentCandidate>> clients_due_to_move(Connection& c, Instant now);
Result<std::optional<SegmentCandidate>> segment_candidate(Connection& c, Id client_id);
// The recorded row alone (the order ingest path's one lookup).
Result<std::optional<ClientSegment>> load_client_segment(Connection& c, Id client_id);
// Creates or replaces the client's row. Its next_change_at may be earlier than the
// rule's (a later order moved the end on): run_due then re-checks and finds no move.
Status save_client_segment(Connection& c, const ClientSegment& s);
// Classified clients the query picks, by client id. `visible` is a condition over the
// client's columns, aliased `c`.
Result<std::vector<SegmentCandidate>> find_client_segments(Connection& c, const SegmentQuery& q,
                                                           const std::string& visible);

}  // namespace salescore::store
