// What KpiService and the reports share: whose figures a target means (and whether the
// actor may see them), and the fact sums and plans of a period.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/engine_state.h"
#include "salescore/kpi.h"
#include "store/kpi_rows.h"

namespace salescore::detail {

struct Cell {
  std::int64_t value = 0;
  std::int64_t n = 0;
};

// Fact sums of one user or a group: fact -> dim -> cell.
class Totals {
 public:
  void add(const std::string& fact, const std::string& dim, std::int64_t value, std::int64_t n);
  Cell at(const std::string& fact, const std::string& dim) const;
  Cell sum(const std::string& fact) const;  // over every dim
  const std::map<std::string, Cell>& dims(const std::string& fact) const;
  void add_all(const Totals& other);

 private:
  std::map<std::string, std::map<std::string, Cell>> cells_;
};

// The users a target covers (nullopt: everyone, for the company) and the people to list
// in a report, after checking the actor may read them.
struct Audience {
  store::UserSet users;
  std::vector<User> people;  // active managers, heads and assistants in the target, by name
  std::optional<Id> owner_id, head_id;  // for receivables: the user, or the team's head
};
Result<Audience> resolve_target(EngineState& s, const Actor& actor, const KpiTarget& target);
// One person of an audience already resolved (and so already allowed): what
// resolve_target gives for that user, without reading the users again.
Audience audience_of(const User& person);

// Sums over the period: whole months from kpi_monthly, the rest from kpi_daily.
Result<std::map<Id, Totals>> totals_by_user(EngineState& s, const Period& p, const store::UserSet& users);
Totals merged(const std::map<Id, Totals>& by_user);

// The plan of each user for the period: monthly plans, prorated by days for a part of a
// month (rounded half up per month).
Result<std::map<Id, std::int64_t>> plans_by_user(EngineState& s, const Period& p, const store::UserSet& users);

// A ratio in basis points, rounded half away from zero; nullopt when `of` is 0.
std::optional<std::int64_t> basis_points(std::int64_t part, std::int64_t of);
// a / b rounded half away from zero (b > 0).
std::int64_t rounded_div(std::int64_t a, std::int64_t b);

// Instants bounding a period in the company zone: [start of first day, start of the day after).
Instant period_start(const EngineState& s, const Period& p);
Instant period_end(const EngineState& s, const Period& p);

}  // namespace salescore::detail
