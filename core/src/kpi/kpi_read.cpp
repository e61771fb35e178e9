#include "kpi/kpi_read.h"

#include <algorithm>

#include "kpi/kpi_facts.h"
#include "rules/access.h"
#include "store/user_rows.h"

namespace salescore::detail {

void Totals::add(const std::string& fact, const std::string& dim, std::int64_t value, std::int64_t n) {
  Cell& c = cells_[fact][dim];
  c.value += value;
  c.n += n;
}

Cell Totals::at(const std::string& fact, const std::string& dim) const {
  auto f = cells_.find(fact);
  if (f == cells_.end()) return {};
  auto d = f->second.find(dim);
  return d == f->second.end() ? Cell{} : d->second;
}

Cell Totals::sum(const std::string& fact) const {
  Cell out;
  for (const auto& [dim, c] : dims(fact)) {
    out.value += c.value;
    out.n += c.n;
  }
  return out;
}

const std::map<std::string, Cell>& Totals::dims(const std::string& fact) const {
  static const std::map<std::string, Cell> kNone;
  auto f = cells_.find(fact);
  return f == cells_.end() ? kNone : f->second;
}

void Totals::add_all(const Totals& other) {
  for (const auto& [fact, dims] : other.cells_)
    for (const auto& [dim, c] : dims) add(fact, dim, c.value, c.n);
}

Result<Audience> resolve_target(EngineState& s, const Actor& actor, const KpiTarget& target) {
  SC_ASSIGN_OR_RETURN(Scope scope, scope_of(s, actor));
  SC_ASSIGN_OR_RETURN(auto all, store::list_users(*s.conn));
  auto listed = [](const User& u) {
    return u.active && (u.role == Role::kManager || u.role == Role::kHead || u.role == Role::kAssistant);
  };
  Audience a;
  switch (target.scope) {
    case KpiScope::kCompany:
      if (!scope.everything) return deny(s, actor, "read company KPIs", "kpi", 0, "only directors and admins may");
      for (const auto& u : all)
        if (listed(u)) a.people.push_back(u);
      break;
    case KpiScope::kTeam: {
      const Id head = target.user_id ? target.user_id : actor.user_id;
      auto it = std::find_if(all.begin(), all.end(), [&](const User& u) { return u.id == head; });
      if (head == 0 || it == all.end())
        return Status::invalid("team: head " + std::to_string(head) + " does not exist", {{"team", "no such head"}});
      if (!scope.everything && scope.user_id != head)
        return deny(s, actor, "read KPIs of the team of", "user", head, "not your department");
      std::vector<Id> ids;
      for (const auto& u : all)
        if (u.id == head || u.head_id == head) {
          ids.push_back(u.id);
          if (listed(u)) a.people.push_back(u);
        }
      a.users = ids;
      a.head_id = head;
      break;
    }
    case KpiScope::kUser: {
      const Id user = target.user_id ? target.user_id : actor.user_id;
      auto it = std::find_if(all.begin(), all.end(), [&](const User& u) { return u.id == user; });
      if (user == 0 || it == all.end())
        return Status::invalid("user: user " + std::to_string(user) + " does not exist", {{"user", "no such user"}});
      if (user != actor.user_id && !scope.owns(user))
        return deny(s, actor, "read KPIs of", "user", user, "outside your scope");
      a = audience_of(*it);
      break;
    }
  }
  std::sort(a.people.begin(), a.people.end(), [](const User& x, const User& y) { return x.name < y.name; });
  return a;
}

Audience audience_of(const User& person) {
  Audience a;
  a.users = std::vector<Id>{person.id};
  a.people.push_back(person);
  a.owner_id = person.id;
  return a;
}

Result<std::map<Id, Totals>> totals_by_user(EngineState& s, const Period& p, const store::UserSet& users) {
  std::map<Id, Totals> out;
  auto take = [&](const std::vector<store::FactSum>& sums) {
    for (const auto& f : sums) out[f.user_id].add(f.fact, f.dim, f.value, f.n);
  };
  // Whole months inside the period come from the monthly table; the days before the
  // first whole month and after the last one from the daily table.
  std::int64_t day = p.first_day;
  std::int64_t first_month = 0, last_month = 0;
  std::vector<std::pair<std::int64_t, std::int64_t>> day_runs;
  while (day <= p.last_day) {
    const std::int64_t month = month_key(day);
    const std::int64_t month_first = first_day_of_month(month);
    const std::int64_t next_first = first_day_of_month(month % 100 == 12 ? (month / 100 + 1) * 100 + 1 : month + 1);
    if (day == month_first && next_first - 1 <= p.last_day) {
      if (first_month == 0) first_month = month;
      last_month = month;
    } else {
      day_runs.emplace_back(day, std::min(next_first - 1, p.last_day));
    }
    day = next_first;
  }
  if (first_month) {
    SC_ASSIGN_OR_RETURN(auto sums, store::sum_monthly_facts(*s.conn, first_month, last_month, users));
    take(sums);
  }
  for (const auto& [a, b] : day_runs) {
    SC_ASSIGN_OR_RETURN(auto sums, store::sum_daily_facts(*s.conn, a, b, users));
    take(sums);
  }
  return out;
}

Totals merged(const std::map<Id, Totals>& by_user) {
  Totals out;
  for (const auto& entry : by_user) out.add_all(entry.second);
  return out;
}

Result<std::map<Id, std::int64_t>> plans_by_user(EngineState& s, const Period& p, const store::UserSet& users) {
  SC_ASSIGN_OR_RETURN(auto plans, store::plans_in_force(*s.conn, month_key(p.first_day), month_key(p.last_day), users));
  std::map<Id, std::int64_t> out;
  for (const auto& plan : plans) {
    if (plan.amount.currency != s.config.currency) continue;
    const std::int64_t first = first_day_of_month(plan.month);
    const std::int64_t next =
        first_day_of_month(plan.month % 100 == 12 ? (plan.month / 100 + 1) * 100 + 1 : plan.month + 1);
    const std::int64_t overlap = std::min(next - 1, p.last_day) - std::max(first, p.first_day) + 1;
    if (overlap <= 0) continue;
    out[plan.user_id] += rounded_div(plan.amount.minor * overlap, next - first);
  }
  return out;
}

std::int64_t rounded_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b, r = a % b;
  if (2 * (r < 0 ? -r : r) >= b) return a < 0 ? q - 1 : q + 1;
  return q;
}

std::optional<std::int64_t> basis_points(std::int64_t part, std::int64_t of) {
  if (of == 0) return std::nullopt;
  return rounded_div(part * 10'000, of);
}

Instant period_start(const EngineState& s, const Period& p) { return local_day_start(company_zone(s), p.first_day); }
Instant period_end(const EngineState& s, const Period& p) { return local_day_start(company_zone(s), p.last_day + 1); }

}  // namespace salescore::detail
