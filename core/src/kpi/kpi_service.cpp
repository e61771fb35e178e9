// The KPI catalog: each id's number computed from the period's fact sums (or, for the
// few point-in-time KPIs, from the records at the period's end). docs/kpi.md defines
// every one.
#include <algorithm>
#include <functional>

#include "engine/engine_state.h"
#include "kpi/kpi_facts.h"
#include "kpi/kpi_read.h"
#include "rules/access.h"
#include "store/kpi_rows.h"

namespace salescore {
using namespace detail;

namespace {

// What a KPI is computed from, so get() fetches only that.
struct KpiInputs {
  EngineState& s;
  const Actor& actor;
  const Audience& audience;
  const Period& period;
  Totals facts;
  std::string currency;
};

using Compute = std::function<Result<KpiValue>(KpiInputs&)>;

struct CatalogEntry {
  KpiDefinition definition;
  Compute compute;
};

KpiValue count_of(std::int64_t n) { return KpiValue{"", KpiUnit::kCount, n, true, {}}; }

KpiValue ratio(std::int64_t part, std::int64_t of) {
  auto bp = basis_points(part, of);
  return KpiValue{"", KpiUnit::kBasisPoints, bp.value_or(0), bp.has_value(), {}};
}

KpiValue average(KpiUnit unit, Cell c) {
  return KpiValue{"", unit, c.n ? rounded_div(c.value, c.n) : 0, c.n > 0, {}};
}

// Money in the company currency; every currency in the breakdown.
KpiValue money(const KpiInputs& in, const char* fact) {
  KpiValue v{"", KpiUnit::kMoney, in.facts.at(fact, in.currency).value, true, {}};
  for (const auto& [dim, c] : in.facts.dims(fact)) v.breakdown.emplace_back(dim, c.value);
  return v;
}

KpiValue counted_by_dim(const KpiInputs& in, const char* fact) {
  KpiValue v = count_of(in.facts.sum(fact).n);
  for (const auto& [dim, c] : in.facts.dims(fact))
    if (c.n) v.breakdown.emplace_back(dim, c.n);
  return v;
}

// Calls by direction and answer: dims are "inbound:answered", "outbound:missed", ...
std::int64_t calls_where(const KpiInputs& in, const std::function<bool(const std::string&)>& keep) {
  std::int64_t n = 0;
  for (const auto& [dim, c] : in.facts.dims(fact::kCall))
    if (keep(dim)) n += c.n;
  return n;
}
bool starts(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }
bool ends(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Result<KpiValue> plan_amount(KpiInputs& in) {
  SC_ASSIGN_OR_RETURN(auto plans, plans_by_user(in.s, in.period, in.audience.users));
  std::int64_t total = 0;
  for (const auto& [user, amount] : plans) total += amount;
  return KpiValue{"", KpiUnit::kMoney, total, true, {}};
}

Result<KpiValue> receivables(KpiInputs& in, bool overdue) {
  ReceivablesQuery q;
  q.by = ReceivablesGrouping::kManager;
  q.at = std::min(period_end(in.s, in.period), in.s.now());
  q.owner_id = in.audience.owner_id;
  q.head_id = in.audience.head_id;
  PaymentService payments(&in.s);
  SC_ASSIGN_OR_RETURN(auto lines, payments.receivables(in.actor, q));
  KpiValue v{"", KpiUnit::kMoney, 0, true, {}};
  AgingBuckets aging;
  for (const auto& l : lines) {
    if (l.currency != in.currency) continue;
    v.value += overdue ? l.overdue_minor : l.receivable_minor;
    aging.days_0_30 += l.aging.days_0_30;
    aging.days_31_60 += l.aging.days_31_60;
    aging.days_61_90 += l.aging.days_61_90;
    aging.days_over_90 += l.aging.days_over_90;
  }
  if (overdue)
    v.breakdown = {{"0-30", aging.days_0_30},
                   {"31-60", aging.days_31_60},
                   {"61-90", aging.days_61_90},
                   {"90+", aging.days_over_90}};
  return v;
}

Result<KpiValue> retention(KpiInputs& in, bool rate) {
  const Period prev = previous_period(in.period);
  SC_ASSIGN_OR_RETURN(auto counts,
                      store::returning_clients(*in.s.conn, period_start(in.s, prev), period_end(in.s, prev),
                                               period_start(in.s, in.period), period_end(in.s, in.period),
                                               in.audience.users));
  KpiValue v = rate ? ratio(counts.second, counts.first) : count_of(counts.second);
  v.breakdown = {{"previous_buyers", counts.first}, {"returned", counts.second}};
  return v;
}

// Stops on the routes (as they are now) for every day of the period, by weekday.
Result<KpiValue> planned_stops(KpiInputs& in) {
  SC_ASSIGN_OR_RETURN(auto by_weekday, store::route_stops_by_weekday(*in.s.conn, in.audience.users));
  std::int64_t stops = 0;
  for (std::int64_t day = in.period.first_day; day <= in.period.last_day; ++day) {
    const int weekday = static_cast<int>((day + 3) % 7) + 1;  // day 0, 1970-01-01, was a Thursday
    for (const auto& [wd, n] : by_weekday)
      if (wd == weekday) stops += n;
  }
  return count_of(stops);
}

// At the end of the period (or now): per SKU, outlets carrying it / outlets that should.
Result<KpiValue> must_have_distribution(KpiInputs& in) {
  // Stock recorded before the period's end, or up to and including now.
  const Instant before{std::min(period_end(in.s, in.period).ms, in.s.now().ms + 1)};
  SC_ASSIGN_OR_RETURN(auto skus, store::must_have_distribution(*in.s.conn, before, in.audience.users));
  std::int64_t outlets = 0, carrying = 0;
  std::vector<std::pair<std::string, std::int64_t>> breakdown;
  for (const auto& sku : skus) {
    outlets += sku.outlets;
    carrying += sku.carrying;
    breakdown.emplace_back(sku.sku, basis_points(sku.carrying, sku.outlets).value_or(0));
  }
  KpiValue v = ratio(carrying, outlets);
  v.breakdown = std::move(breakdown);
  return v;
}

const std::vector<CatalogEntry>& catalog() {
  using U = KpiUnit;
  static const std::vector<CatalogEntry> kAll = {
      {{"orders.revenue", U::kMoney, "value of orders placed, not cancelled"},
       [](KpiInputs& in) -> Result<KpiValue> { return money(in, fact::kOrder); }},
      {{"orders.count", U::kCount, "orders placed, not cancelled"},
       [](KpiInputs& in) -> Result<KpiValue> { return counted_by_dim(in, fact::kOrder); }},
      {{"orders.avg_value", U::kMoney, "average order value (средний чек)"},
       [](KpiInputs& in) -> Result<KpiValue> {
         return average(U::kMoney, in.facts.at(fact::kOrder, in.currency));
       }},
      {{"payments.received", U::kMoney, "payments received"},
       [](KpiInputs& in) -> Result<KpiValue> { return money(in, fact::kPayment); }},
      {{"plan.amount", U::kMoney, "sales plan for the period"}, plan_amount},
      {{"plan.fulfilment", U::kBasisPoints, "revenue / plan"},
       [](KpiInputs& in) -> Result<KpiValue> {
         SC_ASSIGN_OR_RETURN(KpiValue plan, plan_amount(in));
         return ratio(in.facts.at(fact::kOrder, in.currency).value, plan.value);
       }},
      {{"leads.received", U::kCount, "leads received"},
       [](KpiInputs& in) -> Result<KpiValue> { return counted_by_dim(in, fact::kLeadReceived); }},
      {{"leads.converted", U::kCount, "leads received in the period and converted since"},
       [](KpiInputs& in) -> Result<KpiValue> { return count_of(in.facts.sum(fact::kLeadConverted).n); }},
      {{"leads.conversion", U::kBasisPoints, "lead-to-deal conversion"},
       [](KpiInputs& in) -> Result<KpiValue> {
         return ratio(in.facts.sum(fact::kLeadConverted).n, in.facts.sum(fact::kLeadReceived).n);
       }},
      {{"leads.first_response_avg", U::kMs, "average time to the first response"},
       [](KpiInputs& in) -> Result<KpiValue> { return average(U::kMs, in.facts.sum(fact::kLeadResponse)); }},
      {{"leads.sla_breaches", U::kCount, "first responses missed"},
       [](KpiInputs& in) -> Result<KpiValue> { return count_of(in.facts.sum(fact::kLeadBreach).n); }},
      {{"deals.created", U::kCount, "deals created"},
       [](KpiInputs& in) -> Result<KpiValue> { return count_of(in.facts.sum(fact::kDealCreated).n); }},
      {{"deals.won", U::kCount, "deals won"},
       [](KpiInputs& in) -> Result<KpiValue> { return count_of(in.facts.sum(fact::kDealWon).n); }},
      {{"deals.won_amount", U::kMoney, "expected amount of deals won"},
       [](KpiInputs& in) -> Result<KpiValue> { return money(in, fact::kDealWon); }},
      {{"deals.lost", U::kCount, "deals lost, by reason"},
       [](KpiInputs& in) -> Result<KpiValue> { return counted_by_dim(in, fact::kDealLost); }},
      {{"deals.win_rate", U::kBasisPoints, "deal-to-won conversion of the deals created"},
       [](KpiInputs& in) -> Result<KpiValue> {
         Cell c = in.facts.sum(fact::kDealCreated);
         return ratio(c.value, c.n);
       }},
      {{"deals.cycle_avg", U::kMs, "average time from creation to won"},
       [](KpiInputs& in) -> Result<KpiValue> { return average(U::kMs, in.facts.sum(fact::kDealCycle)); }},
      {{"deals.stage_time_avg", U::kMs, "average time in a stage, by stage"},
       [](KpiInputs& in) -> Result<KpiValue> {
         KpiValue v = average(U::kMs, in.facts.sum(fact::kDealStage));
         for (const auto& [stage, c] : in.facts.dims(fact::kDealStage))
           if (c.n) v.breakdown.emplace_back(stage, rounded_div(c.value, c.n));
         return v;
       }},
      {{"calls.count", U::kCount, "calls, by direction and answer"},
       [](KpiInputs& in) -> Result<KpiValue> { return counted_by_dim(in, fact::kCall); }},
      {{"calls.inbound", U::kCount, "inbound calls"},
       [](KpiInputs& in) -> Result<KpiValue> {
         return count_of(calls_where(in, [](const std::string& d) { return starts(d, "inbound:"); }));
       }},
      {{"calls.outbound", U::kCount, "outbound calls"},
       [](KpiInputs& in) -> Result<KpiValue> {
         return count_of(calls_where(in, [](const std::string& d) { return starts(d, "outbound:"); }));
       }},
      {{"calls.answered", U::kCount, "calls that lasted some time"},
       [](KpiInputs& in) -> Result<KpiValue> {
         return count_of(calls_where(in, [](const std::string& d) { return ends(d, ":answered"); }));
       }},
      {{"calls.missed", U::kCount, "calls that lasted no time"},
       [](KpiInputs& in) -> Result<KpiValue> {
         return count_of(calls_where(in, [](const std::string& d) { return ends(d, ":missed"); }));
       }},
      {{"calls.talk_time", U::kSeconds, "total talk time"},
       [](KpiInputs& in) -> Result<KpiValue> {
         return KpiValue{"", U::kSeconds, in.facts.sum(fact::kCall).value, true, {}};
       }},
      {{"emails.count", U::kCount, "e-mails, by direction"},
       [](KpiInputs& in) -> Result<KpiValue> { return counted_by_dim(in, "email"); }},
      {{"meetings.count", U::kCount, "meetings"},
       [](KpiInputs& in) -> Result<KpiValue> { return count_of(in.facts.sum("meeting").n); }},
      {{"visits.count", U::kCount, "visits logged as interactions"},
       [](KpiInputs& in) -> Result<KpiValue> { return count_of(in.facts.sum("visit").n); }},
      {{"receivables.total", U::kMoney, "receivables (ДЗ) at the end of the period"},
       [](KpiInputs& in) { return receivables(in, false); }},
      {{"receivables.overdue", U::kMoney, "overdue receivables (ПДЗ) at the end of the period, by aging"},
       [](KpiInputs& in) { return receivables(in, true); }},
      {{"claims.opened", U::kCount, "claims registered, by kind"},
       [](KpiInputs& in) -> Result<KpiValue> { return counted_by_dim(in, fact::kClaimOpened); }},
      {{"claims.closed", U::kCount, "claims resolved or rejected, by outcome"},
       [](KpiInputs& in) -> Result<KpiValue> { return counted_by_dim(in, fact::kClaimClosed); }},
      {{"claims.by_cause", U::kCount, "claims registered with a cause found, by cause"},
       [](KpiInputs& in) -> Result<KpiValue> {
         KpiValue v = counted_by_dim(in, fact::kClaimCause);
         std::stable_sort(v.breakdown.begin(), v.breakdown.end(),
                          [](const auto& a, const auto& b) { return a.second > b.second; });
         return v;
       }},
      {{"clients.retained", U::kCount, "clients who bought in the previous period and again in this one"},
       [](KpiInputs& in) { return retention(in, false); }},
      {{"clients.retention_rate", U::kBasisPoints, "retained / buyers of the previous period"},
       [](KpiInputs& in) { return retention(in, true); }},
      {{"clients.by_segment", U::kCount, "clients per segment now"},
       [](KpiInputs& in) -> Result<KpiValue> {
         SC_ASSIGN_OR_RETURN(auto segments, store::clients_by_segment(*in.s.conn, in.audience.users));
         KpiValue v = count_of(0);
         for (const auto& [segment, n] : segments) {
           v.value += n;
           v.breakdown.emplace_back(segment, n);
         }
         return v;
       }},
      {{"clients.segment_moves", U::kCount, "clients moved between segments, by \"from>to\""},
       [](KpiInputs& in) -> Result<KpiValue> { return counted_by_dim(in, fact::kSegmentMove); }},
      {{"route.visits", U::kCount, "outlet visits checked in"},
       [](KpiInputs& in) -> Result<KpiValue> { return count_of(in.facts.sum(fact::kRouteVisit).n); }},
      {{"route.planned_visits_done", U::kCount, "visits to outlets on the day's route"},
       [](KpiInputs& in) -> Result<KpiValue> { return count_of(in.facts.at(fact::kRouteVisit, "planned").n); }},
      {{"route.visits_with_order", U::kCount, "visits that took an order"},
       [](KpiInputs& in) -> Result<KpiValue> { return count_of(in.facts.sum(fact::kRouteVisit).value); }},
      {{"route.success_rate", U::kBasisPoints, "visits with an order / visits (拜访成功率)"},
       [](KpiInputs& in) -> Result<KpiValue> {
         Cell c = in.facts.sum(fact::kRouteVisit);
         return ratio(c.value, c.n);
       }},
      {{"route.planned_visits", U::kCount, "stops the routes call for in the period"},
       [](KpiInputs& in) -> Result<KpiValue> { return planned_stops(in); }},
      {{"route.plan_done", U::kBasisPoints, "planned visits done / stops the routes call for"},
       [](KpiInputs& in) -> Result<KpiValue> {
         SC_ASSIGN_OR_RETURN(KpiValue stops, planned_stops(in));
         return ratio(in.facts.at(fact::kRouteVisit, "planned").n, stops.value);
       }},
      {{"route.must_have_distribution", U::kBasisPoints,
        "share of outlets carrying each must-have SKU at their last visit (铺货率)"},
       must_have_distribution},
  };
  return kAll;
}

const CatalogEntry* find_entry(const std::string& id) {
  for (const auto& e : catalog())
    if (e.definition.id == id) return &e;
  return nullptr;
}

Result<KpiValue> compute(KpiInputs& in, const CatalogEntry& e) {
  SC_ASSIGN_OR_RETURN(KpiValue v, e.compute(in));
  v.id = e.definition.id;
  v.unit = e.definition.unit;
  return v;
}

Result<std::vector<KpiValue>> values_of(KpiInputs& in, const std::vector<const CatalogEntry*>& entries) {
  std::vector<KpiValue> out;
  for (const auto* e : entries) {
    SC_ASSIGN_OR_RETURN(KpiValue v, compute(in, *e));
    out.push_back(std::move(v));
  }
  return out;
}

Result<std::vector<KpiValue>> compute_all(EngineState& s, const Actor& actor, const KpiTarget& target,
                                          const Period& period, const std::vector<const CatalogEntry*>& entries) {
  SC_ASSIGN_OR_RETURN(Audience audience, resolve_target(s, actor, target));
  SC_ASSIGN_OR_RETURN(auto by_user, totals_by_user(s, period, audience.users));
  KpiInputs in{s, actor, audience, period, merged(by_user), s.config.currency};
  return values_of(in, entries);
}

// The catalog entries of `ids` in that order; every entry when `ids` is empty.
Result<std::vector<const CatalogEntry*>> entries_of(const std::vector<std::string>& ids) {
  std::vector<const CatalogEntry*> out;
  if (ids.empty())
    for (const auto& e : catalog()) out.push_back(&e);
  for (const auto& id : ids) {
    const CatalogEntry* entry = find_entry(id);
    if (!entry)
      return Status::invalid("unknown KPI '" + id + "' (see docs/kpi.md for the catalog)", {{"kpi", "unknown id"}});
    out.push_back(entry);
  }
  return out;
}

// A screen asks for a year by month at most; a period of centuries split by month is a
// mistake, not a report.
constexpr std::size_t kMaxMonths = 120;

// Each calendar month the period touches, cut to the period.
Result<std::vector<Period>> months_of(const Period& p) {
  std::vector<Period> out;
  for (std::int64_t day = p.first_day; day <= p.last_day;) {
    if (out.size() == kMaxMonths)
      return Status::invalid("a split by month covers at most " + std::to_string(kMaxMonths) + " months",
                             {{"period", "too long to split by month"}});
    Period m = period_holding(PeriodKind::kMonth, day);
    if (m.first_day < p.first_day || m.last_day > p.last_day) {
      SC_ASSIGN_OR_RETURN(m, period_between(format_day(std::max(m.first_day, p.first_day)),
                                            format_day(std::min(m.last_day, p.last_day))));
    }
    day = m.last_day + 1;
    out.push_back(std::move(m));
  }
  return out;
}

// Every manager and head of the target: one sum read for all, then each one's figures
// with their own audience (receivables and the like are read per person). Everyone listed
// is inside the target the actor may read, so each audience is made from the list, not
// resolved again (that read the users table once per person).
Result<KpiTable> table_by_user(EngineState& s, const Actor& actor, const KpiTarget& target, const Period& period,
                               const std::vector<const CatalogEntry*>& entries) {
  SC_ASSIGN_OR_RETURN(Audience audience, resolve_target(s, actor, target));
  SC_ASSIGN_OR_RETURN(auto by_user, totals_by_user(s, period, audience.users));
  KpiTable out;
  KpiInputs all{s, actor, audience, period, merged(by_user), s.config.currency};
  SC_ASSIGN_OR_RETURN(out.total, values_of(all, entries));
  for (const User& person : audience.people) {
    const Audience one = audience_of(person);
    auto it = by_user.find(person.id);
    KpiInputs in{s, actor, one, period, it == by_user.end() ? Totals{} : it->second, s.config.currency};
    KpiRow row{person.id, person.name, period, {}};
    SC_ASSIGN_OR_RETURN(row.values, values_of(in, entries));
    out.rows.push_back(std::move(row));
  }
  return out;
}

Result<KpiTable> table_by_month(EngineState& s, const Actor& actor, const KpiTarget& target, const Period& period,
                                const std::vector<const CatalogEntry*>& entries) {
  SC_ASSIGN_OR_RETURN(auto months, months_of(period));
  KpiTable out;
  SC_ASSIGN_OR_RETURN(out.total, compute_all(s, actor, target, period, entries));
  for (const Period& m : months) {
    KpiRow row{0, m.label, m, {}};
    SC_ASSIGN_OR_RETURN(row.values, compute_all(s, actor, target, m, entries));
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace

const char* kpi_split_name(KpiSplit s) {
  switch (s) {
    case KpiSplit::kUser: return "user";
    case KpiSplit::kMonth: return "month";
    case KpiSplit::kNone: break;
  }
  return "";
}

Result<KpiSplit> parse_kpi_split(std::string_view name) {
  if (name == "user") return KpiSplit::kUser;
  if (name == "month") return KpiSplit::kMonth;
  return Status::invalid("unknown split '" + std::string(name) + "' (expected user or month)",
                         {{"by", "expected user or month"}});
}

const char* kpi_scope_name(KpiScope s) {
  switch (s) {
    case KpiScope::kUser: return "user";
    case KpiScope::kTeam: return "team";
    case KpiScope::kCompany: return "company";
  }
  return "company";
}

Result<KpiScope> parse_kpi_scope(std::string_view name) {
  if (name == "user") return KpiScope::kUser;
  if (name == "team") return KpiScope::kTeam;
  if (name == "company") return KpiScope::kCompany;
  return Status::invalid("unknown scope '" + std::string(name) + "' (expected user, team or company)",
                         {{"scope", "expected user, team or company"}});
}

const char* kpi_unit_name(KpiUnit u) {
  switch (u) {
    case KpiUnit::kMoney: return "money";
    case KpiUnit::kCount: return "count";
    case KpiUnit::kMs: return "ms";
    case KpiUnit::kSeconds: return "s";
    case KpiUnit::kBasisPoints: return "bp";
  }
  return "count";
}

const std::vector<KpiDefinition>& kpi_catalog() {
  static const std::vector<KpiDefinition> kDefs = [] {
    std::vector<KpiDefinition> out;
    for (const auto& e : catalog()) out.push_back(e.definition);
    return out;
  }();
  return kDefs;
}

Result<KpiValue> KpiService::get(const Actor& actor, const std::string& kpi_id, const KpiTarget& target,
                                 const Period& period) {
  const CatalogEntry* entry = find_entry(kpi_id);
  if (!entry)
    return Status::invalid("unknown KPI '" + kpi_id + "' (see docs/kpi.md for the catalog)", {{"kpi", "unknown id"}});
  return read<KpiValue>(*s_, [&]() -> Result<KpiValue> {
    SC_ASSIGN_OR_RETURN(auto values, compute_all(*s_, actor, target, period, {entry}));
    return std::move(values.front());
  });
}

Result<std::vector<KpiValue>> KpiService::get_all(const Actor& actor, const KpiTarget& target, const Period& period) {
  std::vector<const CatalogEntry*> entries;
  for (const auto& e : catalog()) entries.push_back(&e);
  return read<std::vector<KpiValue>>(*s_, [&] { return compute_all(*s_, actor, target, period, entries); });
}

Result<KpiTable> KpiService::table(const Actor& actor, const std::vector<std::string>& ids, const KpiTarget& target,
                                   const Period& period, KpiSplit split) {
  SC_ASSIGN_OR_RETURN(auto entries, entries_of(ids));
  return read<KpiTable>(*s_, [&]() -> Result<KpiTable> {
    switch (split) {
      case KpiSplit::kUser: return table_by_user(*s_, actor, target, period, entries);
      case KpiSplit::kMonth: return table_by_month(*s_, actor, target, period, entries);
      case KpiSplit::kNone: break;
    }
    KpiTable out;
    SC_ASSIGN_OR_RETURN(out.total, compute_all(*s_, actor, target, period, entries));
    return out;
  });
}

Status KpiService::rebuild(const Actor& actor) {
  return in_write_tx(*s_, [&]() -> Status {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    if (!scope.everything) return deny(*s_, actor, "rebuild", "kpi", 0, "only directors and admins may");
    const TimeZone& tz = company_zone(*s_);
    // Every summer from 1970 to 50 years ahead, nearest to now first, so a recent row
    // finds its span at once and no row falls outside the rule facts_of() applies.
    std::vector<store::OffsetSpan> summer;
    const std::int64_t now = s_->now().ms;
    const auto changes = offset_changes(tz, Instant{0}, Instant{now + 50LL * 366 * 86'400'000});
    for (std::size_t i = 0; i + 1 < changes.size(); i += 2)
      summer.push_back({changes[i].ms, changes[i + 1].ms, utc_offset_ms(tz, changes[i])});
    auto distance = [now](const store::OffsetSpan& x) { return now < x.from_ms ? x.from_ms - now : now - x.from_ms; };
    std::sort(summer.begin(), summer.end(), [&](const auto& a, const auto& b) { return distance(a) < distance(b); });
    return store::rebuild_kpi_tables(*s_->conn, tz.standard_offset_min * 60'000LL, summer);
  });
}

}  // namespace salescore
