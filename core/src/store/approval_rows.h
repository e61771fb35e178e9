// Rows of approval requests.
#pragma once
#include <optional>
#include <vector>

#include "salescore/engine.h"
#include "store/sql.h"

namespace salescore::store {
Result<Id> insert_approval(Connection& c, const Approval& a);
Status update_approval(Connection& c, const Approval& a);
Result<std::optional<Approval>> load_approval(Connection& c, Id id);
// `visible`: an extra SQL condition from the access scope ("" for none).
Result<std::vector<Approval>> find_approvals(Connection& c, const ApprovalQuery& q, const std::string& visible = "");
Result<std::int64_t> count_approvals(Connection& c, const ApprovalQuery& q, const std::string& visible = "");
// Pending requests whose answer was due at or before `now`, oldest due first.
Result<std::vector<Approval>> approvals_past_due(Connection& c, Instant now);
}  // namespace salescore::store
