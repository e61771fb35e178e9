// Applies a record's change to the aggregates as "facts of after minus facts of before",
// netted per cell so an edit that moves nothing writes nothing. Payments and the time
// spent in deal stages are credited to the owner of their order or deal, so handing
// one over moves them too.
#include "kpi/kpi_hook.h"

#include <algorithm>

#include "kpi/kpi_facts.h"
#include "store/deal_rows.h"
#include "store/kpi_rows.h"
#include "store/payment_rows.h"
#include "store/refund_rows.h"

namespace salescore::detail {
namespace {

// Facts taken away (sign -1) and added (+1), netted per cell.
class FactChange {
 public:
  explicit FactChange(const TimeZone& tz) : tz_(tz) {}
  const TimeZone& tz() const { return tz_; }
  Facts before, after;

  Status apply(EngineState& s) {
    std::vector<store::FactDelta> deltas;
    auto merge = [&](const Fact& f, int sign) {
      auto it = std::find_if(deltas.begin(), deltas.end(), [&](const store::FactDelta& d) {
        return d.day == f.day && d.user_id == f.user_id && d.fact == f.name && d.dim == f.dim;
      });
      if (it == deltas.end()) {
        deltas.push_back(store::FactDelta{f.name, f.day, month_key(f.day), f.user_id, f.dim, 0, 0});
        it = deltas.end() - 1;
      }
      it->value += sign * f.value;
      it->n += sign * f.n;
    };
    for (const auto& f : before) merge(f, -1);
    for (const auto& f : after) merge(f, +1);
    std::erase_if(deltas, [](const store::FactDelta& d) { return d.value == 0 && d.n == 0; });
    if (deltas.empty()) return Status::ok();
    return store::add_fact_deltas(*s.conn, deltas);
  }

 private:
  const TimeZone& tz_;
};

template <class T>
Status record_change(EngineState& s, const T* before, const T* after) {
  FactChange change(company_zone(s));
  if (before) facts_of(change.tz(), *before, change.before);
  if (after) facts_of(change.tz(), *after, change.after);
  return change.apply(s);
}

}  // namespace

Status kpi_changed(EngineState& s, const Order* before, const Order* after) {
  FactChange change(company_zone(s));
  if (before) facts_of(change.tz(), *before, change.before);
  if (after) facts_of(change.tz(), *after, change.after);
  if (before && after && before->owner_id != after->owner_id) {
    SC_ASSIGN_OR_RETURN(auto payments, store::payments_of_order(*s.conn, after->id));
    for (const auto& p : payments) {
      facts_of(change.tz(), p, before->owner_id, change.before);
      facts_of(change.tz(), p, after->owner_id, change.after);
    }
  }
  // Refunds follow their order: to its new owner, out while it is cancelled, back when
  // it is not. Only an order that was saved before can have any.
  const bool cancelled_before = before && before->status == OrderStatus::kCancelled;
  const bool cancelled_after = after && after->status == OrderStatus::kCancelled;
  if (before && after &&
      (before->owner_id != after->owner_id || cancelled_before != cancelled_after ||
       before->currency != after->currency)) {
    SC_ASSIGN_OR_RETURN(auto refunds, store::refunds_of_order(*s.conn, after->id));
    for (const auto& r : refunds) {
      facts_of_refund(change.tz(), *before, r.refunded_at, r.amount.minor, change.before);
      facts_of_refund(change.tz(), *after, r.refunded_at, r.amount.minor, change.after);
    }
  }
  return change.apply(s);
}

Status kpi_changed(EngineState& s, const Deal* before, const Deal* after) {
  FactChange change(company_zone(s));
  if (before) facts_of(change.tz(), *before, change.before);
  if (after) facts_of(change.tz(), *after, change.after);
  if (before && after) {
    if (before->owner_id != after->owner_id) {
      // Stage rows closed so far; the move made by this change (if any) is added below.
      SC_ASSIGN_OR_RETURN(auto visits, store::stage_visits(*s.conn, after->id));
      for (const auto& v : visits) {
        facts_of_stage(change.tz(), v, before->owner_id, change.before);
        facts_of_stage(change.tz(), v, after->owner_id, change.after);
      }
    }
    if (before->stage != after->stage) {
      // The deal leaves its stage now: deal_stages gets the row closed at the new
      // stage_changed_at (DealService writes it right after this update).
      StageVisit left{before->stage, before->stage_changed_at, after->stage_changed_at};
      facts_of_stage(change.tz(), left, after->owner_id, change.after);
    }
  }
  return change.apply(s);
}

Status kpi_changed(EngineState& s, const Lead* before, const Lead* after) { return record_change(s, before, after); }
Status kpi_changed(EngineState& s, const Interaction* before, const Interaction* after) {
  return record_change(s, before, after);
}
Status kpi_changed(EngineState& s, const Claim* before, const Claim* after) { return record_change(s, before, after); }
Status kpi_changed(EngineState& s, const Visit* before, const Visit* after) { return record_change(s, before, after); }

Status kpi_payment_received(EngineState& s, const Payment& p, Id order_owner) {
  FactChange change(company_zone(s));
  facts_of(change.tz(), p, order_owner, change.after);
  return change.apply(s);
}

Status kpi_refunded(EngineState& s, const Order& order, Instant refunded_at, std::int64_t amount_minor) {
  FactChange change(company_zone(s));
  facts_of_refund(change.tz(), order, refunded_at, amount_minor, change.after);
  return change.apply(s);
}

Status kpi_lead_breached(EngineState& s, Id user_id, Instant at) {
  FactChange change(company_zone(s));
  facts_of_breach(change.tz(), user_id, at, change.after);
  return change.apply(s);
}

Status kpi_segment_moved(EngineState& s, Id owner_id, Instant at, const std::string& from, const std::string& to) {
  FactChange change(company_zone(s));
  facts_of_segment_move(change.tz(), owner_id, at, from, to, change.after);
  return change.apply(s);
}

}  // namespace salescore::detail
