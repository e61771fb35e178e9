// Rows of logging in: password hashes, browser sessions, login attempts, and the
// columns of users the screens keep (language, active).
#pragma once
#include <optional>
#include <string>

#include "salescore/accounts.h"
#include "store/sql.h"

namespace salescore::store {
Result<std::optional<std::string>> load_password_hash(Connection& c, Id user_id);
Status save_password_hash(Connection& c, Id user_id, const std::string& hash, Instant at);

Result<Id> insert_session(Connection& c, const Session& s, const std::string& secret_hash);
Result<std::optional<Session>> load_session_by_hash(Connection& c, const std::string& secret_hash);
Status revoke_session(Connection& c, Id id, Instant at);
Status revoke_sessions_of(Connection& c, Id user_id, Instant at);

Status insert_login_attempt(Connection& c, const std::string& login, const std::string& address, Instant at,
                            bool succeeded);
// Failed attempts within (since, now]: their count and the earliest one's time. For a
// login, only those after its last successful login count.
struct Failures {
  std::int64_t count = 0;
  Instant earliest;
};
Result<Failures> failures_of_login(Connection& c, const std::string& login, Instant since);
Result<Failures> failures_of_address(Connection& c, const std::string& address, Instant since);

Status set_user_active(Connection& c, Id user_id, bool active);
Result<std::string> load_user_language(Connection& c, Id user_id);
Status save_user_language(Connection& c, Id user_id, const std::string& language);
}  // namespace salescore::store
