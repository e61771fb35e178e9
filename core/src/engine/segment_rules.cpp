#include "engine/segment_rules.h"

#include <algorithm>

#include "engine/people_texts.h"
#include "engine/record_writes.h"
#include "engine/rule_tasks.h"
#include "kpi/kpi_hook.h"
#include "model/json_text.h"
#include "store/segment_rows.h"

namespace salescore::detail {
namespace {

// The contact task of each segment's cadence; none for new clients, whom leads and
// deals already put in front of a manager.
std::optional<Task> cadence_task(const SegmentConfig& cfg, const std::string& lang, const store::SegmentCandidate& c, Segment to,
                                 std::int64_t days_since_order, Instant now) {
  Task t;
  int due_days = 0;
  switch (to) {
    case Segment::kNew:
      return std::nullopt;
    case Segment::kHot:
      t.title = people_text(lang, "segment.hot", {c.client_name});
      due_days = cfg.hot_contact_days;
      break;
    case Segment::kWarm:
      t.title = people_text(lang, "segment.warm", {c.client_name});
      due_days = cfg.warm_contact_days;
      break;
    case Segment::kCooling:
      t.title = people_text(lang, "segment.cooling", {c.client_name, std::to_string(days_since_order)});
      due_days = cfg.cooling_contact_days;
      break;
    case Segment::kSleeping:
      t.title = people_text(lang, "segment.sleeping", {c.client_name});
      due_days = cfg.sleeping_contact_days;
      break;
  }
  t.assignee_id = c.owner_id;
  t.client_id = c.client_id;
  t.due_at = Instant{now.ms + due_days * kDayMs};
  return t;
}

// Applies the rule to one client at now. `first_is_move`: a client with no recorded
// segment counts as new, so reaching another segment is a move.
Status apply_segment(EngineState& s, const store::SegmentCandidate& c, bool first_is_move, DueReport* report) {
  const Instant now = s.now();
  const SegmentVerdict v = classify_segment(s.config.segments, c.created_at, c.last_order_at, now);
  ClientSegment seg{c.client_id, v.segment, c.last_order_at, v.since, v.next_change_at};
  Segment from = Segment::kNew;
  if (c.recorded) {
    from = c.recorded->segment;
    const ClientSegment& r = *c.recorded;
    if (from == v.segment) {
      // Still in it (a later order moved its end on): keep since when, note the new end.
      seg.since = r.since;
      if (r.last_order_at != seg.last_order_at || r.next_change_at != seg.next_change_at)
        return store::save_client_segment(*s.conn, seg);
      return Status::ok();
    }
  }
  SC_RETURN_IF_ERROR(store::save_client_segment(*s.conn, seg));
  if (!c.recorded && (!first_is_move || v.segment == Segment::kNew)) return Status::ok();

  const Actor system = Actor::system();
  SC_RETURN_IF_ERROR(append_event(
      s, system, "client.segment_changed", "client", c.client_id,
      std::string("{\"from\":\"") + segment_name(from) + "\",\"to\":\"" + segment_name(v.segment) +
          "\",\"last_order_at\":" + (c.last_order_at ? json_string(format_iso8601(*c.last_order_at)) : "null") +
          ",\"since\":" + json_string(format_iso8601(v.since)) + ",\"owner_id\":" + std::to_string(c.owner_id) +
          "}"));
  // The event is what a KPI rebuild reads back (kpi_rows.cpp), owner included.
  SC_RETURN_IF_ERROR(kpi_segment_moved(s, c.owner_id, now, segment_name(from), segment_name(v.segment)));
  // The previous segment's contact task is moot once the client has moved on.
  SC_RETURN_IF_ERROR(close_rule_tasks(s, system, "client", c.client_id, "segment.", TaskStatus::kCancelled));
  const std::int64_t days = c.last_order_at ? (now.ms - c.last_order_at->ms) / kDayMs : 0;
  auto task = cadence_task(s.config.segments, s.config.language, c, v.segment, days, now);
  if (task && c.owner_id)
    SC_RETURN_IF_ERROR(
        give_rule_task(s, system, *task, std::string("segment.") + segment_name(v.segment), "client", c.client_id)
            .status());
  if (report) {
    report->segment_moves++;
    report->actions.push_back("client " + std::to_string(c.client_id) + " moved from " + segment_name(from) + " to " +
                              segment_name(v.segment));
  }
  return Status::ok();
}

}  // namespace

Status segment_after_order(EngineState& s, const Order& order, bool created) {
  if (created) {
    // The ingest path: one lookup, no write, unless the order moves the client. A later
    // order only makes a client hotter and time only colder, so if the recorded last
    // order or this one, whichever is later, leaves the client where they are, the true
    // last order does too. The row's end of the segment may then be early, which
    // run_due corrects without a move.
    if (order.status == OrderStatus::kCancelled) return Status::ok();
    SC_ASSIGN_OR_RETURN(auto recorded, store::load_client_segment(*s.conn, order.client_id));
    if (recorded) {
      const Instant last = std::max(recorded->last_order_at.value_or(order.ordered_at), order.ordered_at);
      if (classify_segment(s.config.segments, Instant{}, last, s.now()).segment == recorded->segment)
        return Status::ok();
    }
  }
  SC_ASSIGN_OR_RETURN(auto candidate, store::segment_candidate(*s.conn, order.client_id));
  if (!candidate) return Status::ok();
  return apply_segment(s, *candidate, true, nullptr);
}

Status move_segments(EngineState& s, DueReport& report) {
  SC_ASSIGN_OR_RETURN(auto due, store::clients_due_to_move(*s.conn, s.now()));
  for (const auto& c : due) SC_RETURN_IF_ERROR(apply_segment(s, c, false, &report));
  SC_ASSIGN_OR_RETURN(auto fresh, store::unclassified_clients(*s.conn));
  for (const auto& c : fresh) SC_RETURN_IF_ERROR(apply_segment(s, c, false, &report));
  return Status::ok();
}

ClientSegment segment_view(const EngineState& s, const store::SegmentCandidate& c) {
  const Instant now = s.now();
  const SegmentVerdict v = classify_segment(s.config.segments, c.created_at, c.last_order_at, now);
  if (!c.recorded) return ClientSegment{c.client_id, v.segment, c.last_order_at, v.since, v.next_change_at};
  const ClientSegment& r = *c.recorded;
  return ClientSegment{c.client_id, r.segment, c.last_order_at, r.since,
                       r.segment == v.segment ? v.next_change_at : std::optional<Instant>(now)};
}

}  // namespace salescore::detail
