#include "store/account_rows.h"

#include "store/row_helpers.h"

namespace salescore::store {
namespace {
Session map_session(Statement& s) {
  Session out;
  out.id = s.column_int(0);
  out.user_id = s.column_int(1);
  out.csrf_token = s.column_text(2);
  out.created_at = Instant{s.column_int(3)};
  out.expires_at = Instant{s.column_int(4)};
  if (!s.column_is_null(5)) out.revoked_at = Instant{s.column_int(5)};
  return out;
}

Status run_sql(Connection& c, const std::string& sql, auto... args) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(sql)));
  StatementUse use(*s);
  s->bind_all(args...);
  return s->run();
}

// `sql` takes the key and the window's start, and the key again when `key_twice`.
Result<Failures> failures(Connection& c, const std::string& sql, const std::string& key, Instant since,
                          bool key_twice) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(sql)));
  StatementUse use(*s);
  if (key_twice)
    s->bind_all(key, since.ms, key);
  else
    s->bind_all(key, since.ms);
  Failures out;
  SC_ASSIGN_OR_RETURN(bool row, s->step());
  if (row) {
    out.count = s->column_int(0);
    if (!s->column_is_null(1)) out.earliest = Instant{s->column_int(1)};
  }
  return out;
}
}  // namespace

Result<std::optional<std::string>> load_password_hash(Connection& c, Id user_id) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders("SELECT password_hash FROM user_passwords WHERE user_id = ?")));
  StatementUse use(*s);
  s->bind_all(user_id);
  SC_ASSIGN_OR_RETURN(bool row, s->step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(s->column_text(0));
}

Status save_password_hash(Connection& c, Id user_id, const std::string& hash, Instant at) {
  // Delete and insert rather than an upsert: the same two statements on both dialects.
  SC_RETURN_IF_ERROR(run_sql(c, "DELETE FROM user_passwords WHERE user_id = ?", user_id));
  return run_sql(c, "INSERT INTO user_passwords (user_id, password_hash, changed_at) VALUES (?, ?, ?)", user_id, hash,
                 at.ms);
}

Result<Id> insert_session(Connection& c, const Session& s, const std::string& secret_hash) {
  SC_ASSIGN_OR_RETURN(
      Statement * st,
      c.prepare(c.dialect().placeholders(c.dialect().insert(
          "user_sessions", {"user_id", "secret_hash", "csrf_token", "created_at", "expires_at"}, "id"))));
  StatementUse use(*st);
  st->bind_all(s.user_id, secret_hash, s.csrf_token, s.created_at.ms, s.expires_at.ms);
  SC_ASSIGN_OR_RETURN(bool row, st->step());
  if (!row) return Status::internal("insert into user_sessions returned no id");
  return st->column_int(0);
}

Result<std::optional<Session>> load_session_by_hash(Connection& c, const std::string& secret_hash) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         "SELECT id, user_id, csrf_token, created_at, expires_at, revoked_at "
                                         "FROM user_sessions WHERE secret_hash = ?")));
  StatementUse use(*s);
  s->bind_all(secret_hash);
  return map_first<Session>(*s, map_session);
}

Status revoke_session(Connection& c, Id id, Instant at) {
  return run_sql(c, "UPDATE user_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", at.ms, id);
}

Status revoke_sessions_of(Connection& c, Id user_id, Instant at) {
  return run_sql(c, "UPDATE user_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", at.ms,
                 user_id);
}

Status insert_login_attempt(Connection& c, const std::string& login, const std::string& address, Instant at,
                            bool succeeded) {
  return run_sql(c, "INSERT INTO login_attempts (login, address, at, succeeded) VALUES (?, ?, ?, ?)", login, address,
                 at.ms, succeeded);
}

Result<Failures> failures_of_login(Connection& c, const std::string& login, Instant since) {
  return failures(c,
                  "SELECT COUNT(*), MIN(at) FROM login_attempts WHERE login = ? AND succeeded = 0 AND at > ? "
                  "AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE login = ? AND succeeded = 1), 0)",
                  login, since, true);
}

Result<Failures> failures_of_address(Connection& c, const std::string& address, Instant since) {
  // A success does not reset an address: logging in to one's own account must not buy
  // more guesses at another's.
  return failures(c,
                  "SELECT COUNT(*), MIN(at) FROM login_attempts WHERE address = ? AND succeeded = 0 AND at > ?", address,
                  since, false);
}

Status set_user_active(Connection& c, Id user_id, bool active) {
  return run_sql(c, "UPDATE users SET active = ? WHERE id = ?", active, user_id);
}

Result<std::string> load_user_language(Connection& c, Id user_id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders("SELECT language FROM users WHERE id = ?")));
  StatementUse use(*s);
  s->bind_all(user_id);
  SC_ASSIGN_OR_RETURN(bool row, s->step());
  return row ? s->column_text(0) : std::string();
}

Status save_user_language(Connection& c, Id user_id, const std::string& language) {
  return run_sql(c, "UPDATE users SET language = ? WHERE id = ?", language, user_id);
}

}  // namespace salescore::store
