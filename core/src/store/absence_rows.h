// Rows of absences, and the ownership questions access rules ask of users.
#pragma once
#include <optional>
#include <vector>

#include "salescore/engine.h"
#include "store/sql.h"

namespace salescore::store {
Result<Id> insert_absence(Connection& c, const Absence& a);
Status set_absence_cancelled(Connection& c, Id id);
Result<std::optional<Absence>> load_absence(Connection& c, Id id);
Result<std::vector<Absence>> find_absences(Connection& c, const AbsenceQuery& q);
Result<std::int64_t> count_absences(Connection& c, const AbsenceQuery& q);
// Users absent at `now` whose deputy is `deputy_id`.
Result<std::vector<Id>> absent_users_deputized_by(Connection& c, Id deputy_id, Instant now);
// Does `user_id` have an absence overlapping [from, to)?
Result<bool> absence_overlaps(Connection& c, Id user_id, Instant from, Instant to);
// The deputy standing in for `user_id` at `now`, if they are absent.
Result<std::optional<Id>> deputy_of(Connection& c, Id user_id, Instant now);
// An open task past its due time whose assignee is away, with who stands in.
struct OverdueWhileAway {
  Id task_id = 0;
  Id assignee_id = 0;
  Id deputy_id = 0;
  Id absence_id = 0;
  Id head_id = 0;
};
// Such tasks at `now` that have not been reported to the head yet.
Result<std::vector<OverdueWhileAway>> overdue_tasks_of_absent_users(Connection& c, Instant now);
// Users whose head is `head_id`.
Result<std::vector<Id>> users_reporting_to(Connection& c, Id head_id);
}  // namespace salescore::store
