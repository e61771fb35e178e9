// The daily, weekly and monthly sales reports: one line per manager from the same fact
// sums the KPIs read, plus the previous period and the plan to compare with.
#include <algorithm>
#include <map>

#include "engine/engine_state.h"
#include "kpi/kpi_facts.h"
#include "kpi/kpi_read.h"
#include "store/kpi_rows.h"

namespace salescore {
using namespace detail;

namespace {

std::int64_t count(const Totals& t, const char* fact) { return t.sum(fact).n; }

// Adds (not sets): the "others" line gathers several people.
void fill_current(ReportLine& line, const Totals& t, const std::string& currency) {
  const Cell orders = t.at(fact::kOrder, currency);
  line.calls += count(t, fact::kCall);
  line.meetings += count(t, "meeting");
  line.emails += count(t, "email");
  line.orders += orders.n;
  line.revenue += orders.value;
  line.payments += t.at(fact::kPayment, currency).value;
  line.deals_won += count(t, fact::kDealWon);
  line.deals_lost += count(t, fact::kDealLost);
  line.leads += count(t, fact::kLeadReceived);
  line.leads_converted += count(t, fact::kLeadConverted);
}

void fill_previous(ReportLine& line, const Totals& t, const std::string& currency) {
  const Cell orders = t.at(fact::kOrder, currency);
  line.prev_orders += orders.n;
  line.prev_revenue += orders.value;
  line.prev_calls += count(t, fact::kCall);
  line.prev_meetings += count(t, "meeting");
}

void add_to_total(ReportLine& total, const ReportLine& l) {
  total.calls += l.calls;
  total.meetings += l.meetings;
  total.emails += l.emails;
  total.orders += l.orders;
  total.revenue += l.revenue;
  total.payments += l.payments;
  total.plan += l.plan;
  total.deals_won += l.deals_won;
  total.deals_lost += l.deals_lost;
  total.leads += l.leads;
  total.leads_converted += l.leads_converted;
  total.overdue_tasks += l.overdue_tasks;
  total.receivables += l.receivables;
  total.overdue_receivables += l.overdue_receivables;
  total.prev_orders += l.prev_orders;
  total.prev_revenue += l.prev_revenue;
  total.prev_calls += l.prev_calls;
  total.prev_meetings += l.prev_meetings;
}

}  // namespace

const char* report_kind_name(ReportKind k) {
  switch (k) {
    case ReportKind::kDaily: return "daily";
    case ReportKind::kWeekly: return "weekly";
    case ReportKind::kMonthly: return "monthly";
  }
  return "daily";
}

Result<ReportKind> parse_report_kind(std::string_view name) {
  if (name == "daily") return ReportKind::kDaily;
  if (name == "weekly") return ReportKind::kWeekly;
  if (name == "monthly") return ReportKind::kMonthly;
  return Status::invalid("unknown report '" + std::string(name) + "' (expected daily, weekly or monthly)",
                         {{"report", "expected daily, weekly or monthly"}});
}

Result<Report> KpiService::report(const Actor& actor, ReportKind kind, std::int64_t date, const KpiTarget& target) {
  return read<Report>(*s_, [&]() -> Result<Report> {
    SC_ASSIGN_OR_RETURN(Audience audience, resolve_target(*s_, actor, target));
    Report r;
    r.kind = kind;
    r.period = period_holding(kind == ReportKind::kDaily    ? PeriodKind::kDay
                              : kind == ReportKind::kWeekly ? PeriodKind::kWeek
                                                            : PeriodKind::kMonth,
                              date);
    r.previous = previous_period(r.period);
    r.currency = s_->config.currency;
    r.generated_at = s_->now();
    // Point-in-time figures are taken at the end of the period, or now if it is not over.
    const Instant as_of = std::min(period_end(*s_, r.period), s_->now());

    SC_ASSIGN_OR_RETURN(auto current, totals_by_user(*s_, r.period, audience.users));
    SC_ASSIGN_OR_RETURN(auto previous, totals_by_user(*s_, r.previous, audience.users));
    SC_ASSIGN_OR_RETURN(auto plans, plans_by_user(*s_, r.period, audience.users));
    SC_ASSIGN_OR_RETURN(auto overdue, store::overdue_tasks_by_user(*s_->conn, as_of, audience.users));
    ReceivablesQuery q;
    q.by = ReceivablesGrouping::kManager;
    q.at = as_of;
    q.owner_id = audience.owner_id;
    q.head_id = audience.head_id;
    PaymentService payments(s_);
    SC_ASSIGN_OR_RETURN(auto receivables, payments.receivables(actor, q));

    // Each listed person gets their line; whatever is credited to anyone else in the
    // target goes to one "others" line, so the lines add up to a total equal to the KPI.
    std::map<Id, ReportLine> by_user;
    for (const User& person : audience.people) {
      ReportLine& line = by_user[person.id];
      line.user_id = person.id;
      line.name = person.name;
      line.role = role_name(person.role);
    }
    ReportLine others;
    others.name = "others";
    others.role = "others";
    bool others_used = false;
    auto line_of = [&](Id user) -> ReportLine& {
      if (auto it = by_user.find(user); it != by_user.end()) return it->second;
      others_used = true;
      return others;
    };
    for (const auto& [user, t] : current) fill_current(line_of(user), t, r.currency);
    for (const auto& [user, t] : previous) fill_previous(line_of(user), t, r.currency);
    for (const auto& [user, amount] : plans)
      if (amount) line_of(user).plan += amount;
    for (const auto& [user, n] : overdue)
      if (n) line_of(user).overdue_tasks += n;
    for (const auto& rl : receivables)
      if (rl.currency == r.currency && (rl.receivable_minor || rl.overdue_minor)) {
        ReportLine& line = line_of(rl.key);
        line.receivables += rl.receivable_minor;
        line.overdue_receivables += rl.overdue_minor;
      }
    for (const User& person : audience.people) r.lines.push_back(std::move(by_user[person.id]));
    if (others_used) r.lines.push_back(std::move(others));
    for (auto& line : r.lines) {
      line.plan_bp = line.plan ? basis_points(line.revenue, line.plan) : std::nullopt;
      add_to_total(r.total, line);
    }
    r.total.name = "total";
    r.total.role = "total";
    r.total.plan_bp = r.total.plan ? basis_points(r.total.revenue, r.total.plan) : std::nullopt;
    return r;
  });
}

}  // namespace salescore
