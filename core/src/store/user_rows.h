#pragma once
#include <optional>
#include <vector>

#include "salescore/model.h"
#include "store/sql.h"

namespace salescore::store {
Result<Id> insert_user(Connection& c, const User& u);
Result<std::optional<User>> load_user(Connection& c, Id id);
// The user of a live (not revoked) API token, found by the token's hash: one statement
// per API request instead of two.
Result<std::optional<User>> load_user_by_live_token(Connection& c, const std::string& token_hash);
Result<std::optional<User>> load_user_by_login(Connection& c, const std::string& login);
Result<std::vector<User>> list_users(Connection& c);
}  // namespace salescore::store
