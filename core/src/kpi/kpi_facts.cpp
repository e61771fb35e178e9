#include "kpi/kpi_facts.h"

#include <chrono>
#include <mutex>

#include "engine/engine_state.h"
#include "store/claim_rows.h"

namespace salescore::detail {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

void add(Facts& out, const char* name, const TimeZone& tz, Instant at, Id user, std::string dim,
         std::int64_t value, std::int64_t n = 1) {
  out.push_back(Fact{name, local_day_number(tz, at), user, std::move(dim), value, n});
}

}  // namespace

std::int64_t local_day_number(const TimeZone& tz, Instant t) {
  return floor_div(t.ms + utc_offset_ms(tz, t), kDayMs);
}

Instant local_day_start(const TimeZone& tz, std::int64_t day) {
  const std::int64_t local_ms = day * kDayMs;
  // The offset at local midnight is the one an instant near it has; EU clock changes
  // happen at 01:00 UTC, never at local midnight, so one correction settles it.
  const std::int64_t guess = local_ms - utc_offset_ms(tz, Instant{local_ms});
  return Instant{local_ms - utc_offset_ms(tz, Instant{guess})};
}

std::int64_t month_key(std::int64_t day) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{days{day}}};
  return static_cast<int>(ymd.year()) * 100 + static_cast<unsigned>(ymd.month());
}

std::int64_t first_day_of_month(std::int64_t month) {
  using namespace std::chrono;
  const sys_days d{year{static_cast<int>(month / 100)} / std::chrono::month{static_cast<unsigned>(month % 100)} / 1};
  return d.time_since_epoch().count();
}

const TimeZone& company_zone(const EngineState& s) {
  // Config::load refused unknown zones, so the lookup only fails for a Config built in
  // code with a typo; UTC is then the honest fallback rather than a crash mid-write.
  thread_local TimeZone cached{"", 0, false};
  thread_local bool have = false;
  if (!have || cached.name != s.config.timezone) {
    auto tz = find_time_zone(s.config.timezone);
    cached = tz.ok() ? *tz : TimeZone{s.config.timezone, 0, false};
    have = true;
  }
  return cached;
}

void facts_of(const TimeZone& tz, const Order& o, Facts& out) {
  if (o.status == OrderStatus::kCancelled) return;  // a cancelled order is no sale
  add(out, fact::kOrder, tz, o.ordered_at, o.owner_id, o.currency, o.total_minor);
}

void facts_of_refund(const TimeZone& tz, const Order& order, Instant refunded_at, std::int64_t amount_minor,
                     Facts& out) {
  if (order.status == OrderStatus::kCancelled) return;
  add(out, fact::kOrder, tz, refunded_at, order.owner_id, order.currency, -amount_minor, 0);
}

void facts_of(const TimeZone& tz, const Payment& p, Id order_owner, Facts& out) {
  add(out, fact::kPayment, tz, p.received_at, order_owner, p.amount.currency, p.amount.minor);
}

void facts_of(const TimeZone& tz, const Lead& l, Facts& out) {
  // Conversion and response are counted in the cohort of the day the lead came in, so
  // "converted / received" of any period is a share of that period's leads.
  add(out, fact::kLeadReceived, tz, l.received_at, l.assignee_id, lead_channel_name(l.channel), 0);
  if (l.status == LeadStatus::kConverted) add(out, fact::kLeadConverted, tz, l.received_at, l.assignee_id, "", 0);
  if (l.first_action_at)
    add(out, fact::kLeadResponse, tz, l.received_at, l.assignee_id, "", l.first_action_at->ms - l.received_at.ms);
}

void facts_of(const TimeZone& tz, const Deal& d, Facts& out) {
  const bool won = d.stage == "won";
  add(out, fact::kDealCreated, tz, d.created_at, d.owner_id, "", won ? 1 : 0);
  if (won) {
    add(out, fact::kDealWon, tz, d.stage_changed_at, d.owner_id, d.expected_amount.currency, d.expected_amount.minor);
    add(out, fact::kDealCycle, tz, d.stage_changed_at, d.owner_id, "", d.stage_changed_at.ms - d.created_at.ms);
  } else if (d.stage == "lost") {
    add(out, fact::kDealLost, tz, d.stage_changed_at, d.owner_id, d.lost_reason, 0);
  }
}

void facts_of_stage(const TimeZone& tz, const StageVisit& v, Id deal_owner, Facts& out) {
  if (!v.left_at) return;  // time in the current stage is not over yet
  add(out, fact::kDealStage, tz, *v.left_at, deal_owner, v.stage, v.left_at->ms - v.entered_at.ms);
}

void facts_of(const TimeZone& tz, const Interaction& i, Facts& out) {
  const std::string direction = direction_name(i.direction);
  if (i.kind == InteractionKind::kCall) {
    // Answered as the PBX says (its disposition); a call logged without one was
    // answered if somebody talked (a missed inbound or an outbound nobody picked up
    // lasted no time).
    const bool answered = i.call.disposition.empty() ? i.duration_s > 0 : i.call.disposition == "answered";
    add(out, fact::kCall, tz, i.occurred_at, i.user_id, direction + (answered ? ":answered" : ":missed"),
        i.duration_s);
    return;
  }
  add(out, interaction_kind_name(i.kind), tz, i.occurred_at, i.user_id, direction, 0);
}

void facts_of(const TimeZone& tz, const Claim& c, Facts& out) {
  add(out, fact::kClaimOpened, tz, c.created_at, c.owner_id, claim_kind_name(c.kind), 0);
  const std::string key = store::claim_cause_key(c.cause);
  if (!key.empty()) add(out, fact::kClaimCause, tz, c.created_at, c.owner_id, key, 0);
  if (c.resolved_at) add(out, fact::kClaimClosed, tz, *c.resolved_at, c.owner_id, claim_status_name(c.status), 0);
}

void facts_of(const TimeZone& tz, const Visit& v, Facts& out) {
  add(out, fact::kRouteVisit, tz, v.checked_in_at, v.rep_id, v.planned ? "planned" : "unplanned", v.order_id ? 1 : 0);
}

void facts_of_breach(const TimeZone& tz, Id user_id, Instant breached_at, Facts& out) {
  add(out, fact::kLeadBreach, tz, breached_at, user_id, "", 0);
}

void facts_of_segment_move(const TimeZone& tz, Id owner_id, Instant at, const std::string& from,
                           const std::string& to, Facts& out) {
  add(out, fact::kSegmentMove, tz, at, owner_id, from + ">" + to, 0);
}

}  // namespace salescore::detail
