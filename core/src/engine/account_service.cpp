// People logging in (accounts.h): Argon2id passwords, sessions, throttled attempts.
#include <sodium.h>

#include <stdexcept>

#include "engine/record_writes.h"
#include "rules/access.h"
#include "rules/scope_cache.h"
#include "salescore/accounts.h"
#include "salescore/tokens.h"
#include "store/account_rows.h"
#include "store/user_rows.h"

namespace salescore {
using namespace detail;

namespace {

constexpr std::size_t kMinPasswordChars = 10;
constexpr std::size_t kMaxPasswordChars = 1024;  // Argon2 takes any length; a bound keeps requests cheap

void ensure_sodium() {
  static const int ready = sodium_init();  // thread-safe once; 1 means already done
  if (ready < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string random_hex(std::size_t bytes) {
  ensure_sodium();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : raw) {
    hex += kHex[b >> 4];
    hex += kHex[b & 0xfu];
  }
  return hex;
}

Result<std::string> hash_password(const std::string& password) {
  ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return Status::unavailable("not enough memory to hash the password: try again");
  return std::string(out);
}

bool password_matches(const std::string& hash, const std::string& password) {
  ensure_sodium();
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

// Checked against when the login is unknown, so an unknown login costs what a wrong
// password does and timing does not tell which logins exist.
const std::string& decoy_hash() {
  static const std::string hash = [] {
    auto made = hash_password(random_hex(16));
    return made.ok() ? *made : std::string();
  }();
  return hash;
}

Status check_password_shape(const std::string& password) {
  if (password.size() < kMinPasswordChars)
    return Status::invalid("the password is too short", {{"password", "at least 10 characters"}});
  if (password.size() > kMaxPasswordChars)
    return Status::invalid("the password is too long", {{"password", "at most 1024 characters"}});
  return Status::ok();
}

std::string minutes_until(Instant now, Instant at) {
  const std::int64_t minutes = std::max<std::int64_t>(1, (at.ms - now.ms + 59'999) / 60'000);
  return std::to_string(minutes) + (minutes == 1 ? " minute" : " minutes");
}

const Status kBadCredentials(Code::kUnauthenticated, "the login or the password is wrong");

// Refused (kResourceExhausted, saying when to try again) once the login or the address
// has `limits`' failures within the window; ok otherwise.
Status check_throttle(EngineState& s, const LoginLimits& limits, const std::string& login,
                      const std::string& address, Instant now) {
  const Instant since{now.ms - limits.window_ms};
  SC_ASSIGN_OR_RETURN(auto by_login, store::failures_of_login(*s.conn, login, since));
  if (by_login.count >= limits.per_login)
    return Status(Code::kResourceExhausted, "too many failed logins for " + login + ": try again in " +
                                                minutes_until(now, Instant{by_login.earliest.ms + limits.window_ms}));
  SC_ASSIGN_OR_RETURN(auto by_address, store::failures_of_address(*s.conn, address, since));
  if (by_address.count >= limits.per_address)
    return Status(Code::kResourceExhausted,
                  "too many failed logins from this address: try again in " +
                      minutes_until(now, Instant{by_address.earliest.ms + limits.window_ms}));
  return Status::ok();
}

}  // namespace

Status AccountService::set_password(const Actor& actor, Id user_id, const std::string& password,
                                    const std::optional<std::string>& current_password) {
  SC_RETURN_IF_ERROR(check_password_shape(password));
  // The hash is computed outside the write lock: Argon2 takes a while on purpose.
  std::optional<std::string> current_hash;
  auto checked = read<bool>(*s_, [&]() -> Result<bool> {
    SC_ASSIGN_OR_RETURN(auto user, store::load_user(*s_->conn, user_id));
    if (!user) return not_found("user", user_id);
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    if (scope.may_manage_people()) return true;
    if (actor.user_id != user_id)
      return deny(*s_, actor, "set the password of", "user", user_id, "only their own or as admin/director");
    SC_ASSIGN_OR_RETURN(current_hash, store::load_password_hash(*s_->conn, user_id));
    return true;
  });
  if (!checked.ok()) return checked.status();
  if (current_hash && (!current_password || !password_matches(*current_hash, *current_password)))
    return Status::invalid("the current password is wrong", {{"current_password", "wrong"}});
  SC_ASSIGN_OR_RETURN(std::string hash, hash_password(password));
  return write<bool>(*s_, [&]() -> Result<bool> {
           SC_RETURN_IF_ERROR(store::save_password_hash(*s_->conn, user_id, hash, s_->now()));
           SC_RETURN_IF_ERROR(store::revoke_sessions_of(*s_->conn, user_id, s_->now()));
           // The event says that it changed, never what to.
           SC_RETURN_IF_ERROR(append_event(*s_, actor, "user.password_changed", "user", user_id,
                                           "{\"user_id\":" + std::to_string(user_id) + "}"));
           return true;
         })
      .status();
}

Result<OpenedSession> AccountService::log_in(const std::string& login, const std::string& password,
                                             const std::string& address) {
  const Instant now = s_->now();
  // Throttled before the password is looked at: a locked login learns nothing.
  auto found = read<std::optional<User>>(*s_, [&]() -> Result<std::optional<User>> {
    SC_RETURN_IF_ERROR(check_throttle(*s_, limits_, login, address, now));
    return store::load_user_by_login(*s_->conn, login);
  });
  if (!found.ok()) return found.status();
  std::optional<std::string> hash;
  if (*found && (*found)->active) {
    auto stored = read<std::optional<std::string>>(
        *s_, [&] { return store::load_password_hash(*s_->conn, (*found)->id); });
    if (!stored.ok()) return stored.status();
    hash = *stored;
  }
  const bool ok = hash ? password_matches(*hash, password) : (password_matches(decoy_hash(), password), false);
  auto opened = write<OpenedSession>(*s_, [&]() -> Result<OpenedSession> {
    // Again where the attempt is recorded: guesses sent at once (many connections, several
    // processes) all passed the read above before any was recorded, while here write
    // transactions run one at a time and each sees the failures recorded before it. Past
    // the limit nothing is recorded and nothing told, whether the password was right or not.
    SC_RETURN_IF_ERROR(check_throttle(*s_, limits_, login, address, now));
    SC_RETURN_IF_ERROR(store::insert_login_attempt(*s_->conn, login, address, now, ok));
    if (!ok) return OpenedSession{};  // recorded; refused below, after the commit
    OpenedSession opened;
    opened.user = **found;
    opened.secret = "scs_" + random_hex(32);
    opened.session.user_id = opened.user.id;
    opened.session.csrf_token = random_hex(32);
    opened.session.created_at = now;
    opened.session.expires_at = Instant{now.ms + limits_.session_ms};
    SC_ASSIGN_OR_RETURN(opened.session.id,
                        store::insert_session(*s_->conn, opened.session, token_hash(opened.secret)));
    SC_RETURN_IF_ERROR(append_event(*s_, Actor{opened.user.id, opened.user.role}, "user.logged_in", "user",
                                    opened.user.id, "{\"session_id\":" + std::to_string(opened.session.id) + "}"));
    return opened;
  });
  if (opened.ok() && !ok) return kBadCredentials;
  return opened;
}

Result<SessionUser> AccountService::resolve(const std::string& secret) {
  static const Status kRefused(Code::kUnauthenticated,
                               "the session has ended (logged out, expired, or the user was deactivated): log in again");
  const std::string hash = token_hash(secret);
  const Instant now = s_->now();
  return read<SessionUser>(*s_, [&]() -> Result<SessionUser> {
    SC_ASSIGN_OR_RETURN(auto session, store::load_session_by_hash(*s_->conn, hash));
    if (!session || session->revoked_at || session->expires_at.ms <= now.ms) return kRefused;
    SC_ASSIGN_OR_RETURN(auto user, store::load_user(*s_->conn, session->user_id));
    if (!user || !user->active) return kRefused;
    SessionUser out{std::move(*user), std::move(*session), {}};
    SC_ASSIGN_OR_RETURN(out.language, store::load_user_language(*s_->conn, out.user.id));
    return out;
  });
}

Status AccountService::log_out(const std::string& secret) {
  const std::string hash = token_hash(secret);
  return write<bool>(*s_, [&]() -> Result<bool> {
           SC_ASSIGN_OR_RETURN(auto session, store::load_session_by_hash(*s_->conn, hash));
           if (!session || session->revoked_at) return true;
           SC_RETURN_IF_ERROR(store::revoke_session(*s_->conn, session->id, s_->now()));
           SC_RETURN_IF_ERROR(append_event(*s_, Actor{session->user_id, Role::kManager}, "user.logged_out", "user",
                                           session->user_id,
                                           "{\"session_id\":" + std::to_string(session->id) + "}"));
           return true;
         })
      .status();
}

Result<User> AccountService::set_active(const Actor& actor, Id user_id, bool active) {
  return write<User>(*s_, [&]() -> Result<User> {
    SC_ASSIGN_OR_RETURN(auto user, store::load_user(*s_->conn, user_id));
    if (!user) return not_found("user", user_id);
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    if (!scope.may_manage_people())
      return deny(*s_, actor, active ? "activate" : "deactivate", "user", user_id, "admin or director only");
    if (user->active == active) return std::move(*user);
    SC_RETURN_IF_ERROR(store::set_user_active(*s_->conn, user_id, active));
    forget_scopes();  // a deactivated user acts no more, even later in this transaction
    if (!active) SC_RETURN_IF_ERROR(store::revoke_sessions_of(*s_->conn, user_id, s_->now()));
    user->active = active;
    SC_RETURN_IF_ERROR(append_event(*s_, actor, active ? "user.activated" : "user.deactivated", "user", user_id,
                                    fields_of(*user).to_json()));
    return std::move(*user);
  });
}

Status AccountService::set_language(const Actor& actor, const std::string& language) {
  if (language != "ru" && language != "en" && language != "zh" && language != "bg")
    return Status::invalid("unknown language " + language, {{"language", "one of ru, en, zh, bg"}});
  if (actor.user_id == 0) return Status::invalid("the system has no language of its own", {{"language", "needs a user"}});
  return write<bool>(*s_, [&]() -> Result<bool> {
           SC_RETURN_IF_ERROR(store::save_user_language(*s_->conn, actor.user_id, language));
           return true;
         })
      .status();
}

}  // namespace salescore
