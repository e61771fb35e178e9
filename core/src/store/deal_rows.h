// Rows of deals and of the stages they pass through.
#pragma once
#include <optional>
#include <vector>

#include "salescore/engine.h"
#include "store/sql.h"

namespace salescore::store {
Result<Id> insert_deal(Connection& c, const Deal& d);
Status update_deal(Connection& c, const Deal& d);
Result<std::optional<Deal>> load_deal(Connection& c, Id id);
// `visible`: an extra SQL condition from the access scope ("" for none).
Result<std::vector<Deal>> find_deals(Connection& c, const DealQuery& q, const std::string& visible = "");
Result<std::int64_t> count_deals(Connection& c, const DealQuery& q, const std::string& visible = "");
// Closes the deal's open stage visit at `at` and opens one for `stage`.
Status enter_stage(Connection& c, Id deal_id, const std::string& stage, Instant at);
Result<std::vector<StageVisit>> stage_visits(Connection& c, Id deal_id);
}  // namespace salescore::store
