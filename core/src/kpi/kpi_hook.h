// The one place writes tell the KPI aggregates what changed. Called with the record as
// it was (null when created) and as it is (null when removed) inside the write's own
// transaction, so a KPI is never behind the data it sums. log_created and
// save_if_changed (engine/record_writes.h) call it for every aggregate; records that
// move no KPI take the no-op template.
#pragma once

#include "engine/engine_state.h"

namespace salescore::detail {

Status kpi_changed(EngineState& s, const Order* before, const Order* after);
Status kpi_changed(EngineState& s, const Deal* before, const Deal* after);
Status kpi_changed(EngineState& s, const Lead* before, const Lead* after);
Status kpi_changed(EngineState& s, const Interaction* before, const Interaction* after);
Status kpi_changed(EngineState& s, const Claim* before, const Claim* after);
Status kpi_changed(EngineState& s, const Visit* before, const Visit* after);

template <class T>
Status kpi_changed(EngineState&, const T*, const T*) {
  return Status::ok();
}

// Payments are never changed once received; they are credited to the order's owner.
Status kpi_payment_received(EngineState& s, const Payment& p, Id order_owner);
// A refund of `order` was recorded (salescore/refunds.h).
Status kpi_refunded(EngineState& s, const Order& order, Instant refunded_at, std::int64_t amount_minor);
// A lead's first response was missed by `user_id` at `at` (lead_breaches).
Status kpi_lead_breached(EngineState& s, Id user_id, Instant at);
// A client moved between segments (run_due or an order): counted for its owner at `at`.
Status kpi_segment_moved(EngineState& s, Id owner_id, Instant at, const std::string& from, const std::string& to);

}  // namespace salescore::detail
