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
Result<std::int64_t> count_claims(Connection& c, const ClaimQuery& q, const std::string& visible = "");
Result<std::vector<CauseCount>> claims_by_cause(Connection& c, const ClaimCauseQuery& q, const std::string& visible = "");
// The key causes are compared by (case, repeated and surrounding spaces ignored), as
// stored in claims.cause_key: the claims-by-cause KPI groups by it too.
std::string claim_cause_key(const std::string& cause);
}  // namespace salescore::store
