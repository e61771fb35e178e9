// Rows of commercial proposals and their lines.
#pragma once
#include <optional>
#include <vector>

#include "salescore/engine.h"
#include "store/sql.h"

namespace salescore::store {
Result<Id> insert_proposal(Connection& c, const Proposal& p);
// Rewrites the lines only when `lines_changed`: most changes are status moves.
Status update_proposal(Connection& c, const Proposal& p, bool lines_changed);
Result<std::optional<Proposal>> load_proposal(Connection& c, Id id);
// `visible`: an extra SQL condition from the access scope ("" for none).
Result<std::vector<Proposal>> find_proposals(Connection& c, const ProposalQuery& q, const std::string& visible = "");
Result<std::int64_t> count_proposals(Connection& c, const ProposalQuery& q, const std::string& visible = "");
}  // namespace salescore::store
