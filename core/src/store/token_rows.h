#pragma once
#include <optional>
#include <vector>

#include "salescore/tokens.h"
#include "store/sql.h"

namespace salescore::store {
Result<Id> insert_token(Connection& c, const ApiToken& t, const std::string& hash);
Result<std::optional<ApiToken>> load_token(Connection& c, Id id);
Result<std::vector<ApiToken>> list_tokens_of(Connection& c, Id user_id);
Status mark_token_revoked(Connection& c, Id id, Instant at);
}  // namespace salescore::store
