// API tokens: how `salescore serve` knows which user a request acts as.
//
// A token is a random secret shown once, when it is created; the store keeps only its
// SHA-256, so a copy of the database does not hand out working credentials. A request
// presenting the secret acts as the token's user, with that user's rights (access rules
// stay in core: the server only turns a token into an Actor).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "salescore/model.h"

namespace salescore {

namespace detail {
struct EngineState;
}

struct ApiToken {
  Id id = 0;
  Id user_id = 0;
  std::string name;    // what it is for ("dashboard", "1c-sync"), for the list
  std::string prefix;  // the first characters of the secret, to tell tokens apart
  Instant created_at;
  std::optional<Instant> revoked_at;
};

// A freshly created token and its secret: the only time the secret exists in clear.
struct IssuedToken {
  ApiToken token;
  std::string secret;
};

class TokenService {
 public:
  explicit TokenService(detail::EngineState* s) : s_(s) {}
  // A user may create, list and revoke their own tokens; an admin or director (and the
  // system, i.e. the operator at the CLI) anybody's.
  Result<IssuedToken> create(const Actor& actor, Id user_id, const std::string& name);
  Result<ApiToken> revoke(const Actor& actor, Id token_id);
  // Tokens of `user_id`, revoked ones included, oldest first.
  Result<std::vector<ApiToken>> list(const Actor& actor, Id user_id);
  // The user a secret belongs to. kUnauthenticated for an unknown or revoked token and
  // for a deactivated user: a caller learns nothing about which of these it was.
  Result<User> resolve(const std::string& secret);

 private:
  detail::EngineState* s_;
};

// Hex SHA-256 of a token secret, as stored.
std::string token_hash(const std::string& secret);

}  // namespace salescore
