// Rows of claims and complaints.
#pragma once
#include <optional>
#include <vector>

#include "salescore/engine.h"
#include "store/sql.h"

namespace salescore::store {
Result<Id> insert_claim(Connection& c, const Claim& claim);
Status update_claim(Connection& c, const Claim& claim);
Result<std::optional<Claim>> load_claim(Connection& c, Id id);
// `visible`: an extra SQL condition from the access scope ("" for none).
Result<std::vector<Claim>> find_claims(Connection& c, const ClaimQuery& q, const std::string& visible = "");
Result<std::vector<CauseCount>> claims_by_cause(Connection& c, const ClaimCauseQuery& q, const std::string& visible = "");
}  // namespace salescore::store
