// Rows of contracts.
#pragma once
#include <optional>
#include <vector>

#include "salescore/engine.h"
#include "store/sql.h"

namespace salescore::store {
Result<Id> insert_contract(Connection& c, const Contract& k);
Status update_contract(Connection& c, const Contract& k);
Result<std::optional<Contract>> load_contract(Connection& c, Id id);
Result<std::optional<Id>> contract_id_by_number(Connection& c, const std::string& number);
// `visible`: an extra SQL condition from the access scope ("" for none).
Result<std::vector<Contract>> find_contracts(Connection& c, const ContractQuery& q, const std::string& visible = "");
Result<std::int64_t> count_contracts(Connection& c, const ContractQuery& q, const std::string& visible = "");
// Signed contracts whose validity ended at or before `now`.
Result<std::vector<Contract>> contracts_past_validity(Connection& c, Instant now);
}  // namespace salescore::store
