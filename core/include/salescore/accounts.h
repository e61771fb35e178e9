// People logging in: passwords, browser sessions and the login attempts that throttle
// guessing. The web application (`salescore serve` at /) uses these; programs keep
// using API tokens (tokens.h).
//
// Passwords are kept only as Argon2id hashes (libsodium's crypto_pwhash_str) and never
// appear in an event, a log line or an error. A session is a random secret in an
// HttpOnly cookie; the store keeps its SHA-256, its expiry and its revocation, so
// logging out, changing the password or deactivating the user ends it server-side.
#pragma once

#include <optional>
#include <string>

#include "salescore/model.h"

namespace salescore {

namespace detail {
struct EngineState;
}

struct Session {
  Id id = 0;
  Id user_id = 0;
  std::string csrf_token;  // sent back by the page with every state-changing request
  Instant created_at;
  Instant expires_at;
  std::optional<Instant> revoked_at;
};

// A session just opened: the only time its secret exists in clear.
struct OpenedSession {
  Session session;
  std::string secret;
  User user;
};

// The user a live session acts as, and what the screens need of them.
struct SessionUser {
  User user;
  Session session;
  std::string language;  // ru, en, zh, bg; empty: not chosen yet
};

// How many failed logins are let through before the next is refused, and for how long.
struct LoginLimits {
  int per_login = 5;          // failures of one login within the window
  int per_address = 30;       // failures from one address within the window (any login)
  std::int64_t window_ms = 15 * 60 * 1000;
  std::int64_t session_ms = 12 * 60 * 60 * 1000;  // a session ends this long after login
};

class AccountService {
 public:
  explicit AccountService(detail::EngineState* s) : s_(s) {}

  // Sets `user_id`'s password. Whoever manages people (admin, director, the system at
  // the CLI) sets anybody's; a user their own, given `current_password`. At least 10
  // characters. Every session of the user ends.
  Status set_password(const Actor& actor, Id user_id, const std::string& password,
                      const std::optional<std::string>& current_password = std::nullopt);
  // Checks the password and opens a new session (never reuses one the browser brought:
  // no session fixation). Every attempt is recorded; past LoginLimits the attempt is
  // refused with kResourceExhausted saying when to try again, before the password is
  // even checked. A wrong login and a wrong password get the same answer.
  Result<OpenedSession> log_in(const std::string& login, const std::string& password, const std::string& address);
  // The user of a live session: kUnauthenticated for an unknown, expired or revoked
  // session and for a deactivated user.
  Result<SessionUser> resolve(const std::string& secret);
  // Ends the session of `secret` (harmless if it is not live).
  Status log_out(const std::string& secret);
  // Deactivates or reactivates a user (admin, director): a deactivated user's sessions
  // end and their tokens stop working.
  Result<User> set_active(const Actor& actor, Id user_id, bool active);
  // The screens' language of the actor (ru, en, zh, bg), remembered per user.
  Status set_language(const Actor& actor, const std::string& language);

  void set_limits(const LoginLimits& limits) { limits_ = limits; }
  const LoginLimits& limits() const { return limits_; }

 private:
  detail::EngineState* s_;
  LoginLimits limits_;
};

}  // namespace salescore
