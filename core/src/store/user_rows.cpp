#include "store/user_rows.h"

#include "store/row_helpers.h"

namespace salescore::store {
namespace {
const std::vector<std::string> kCols = {"login", "name", "role", "manager_id", "head_id", "active", "created_at"};

std::vector<std::string> user_select_cols() {
  std::vector<std::string> cols = {"id"};
  cols.insert(cols.end(), kCols.begin(), kCols.end());
  return cols;
}

User map_user(Statement& s) {
  User u;
  u.id = s.column_int(0);
  u.login = s.column_text(1);
  u.name = s.column_text(2);
  auto role = parse_role(s.column_text(3));
  u.role = role.ok() ? *role : Role::kManager;
  u.manager_id = s.column_int(4);
  u.head_id = s.column_int(5);
  u.active = s.column_int(6) != 0;
  u.created_at = Instant{s.column_int(7)};
  return u;
}

std::string select_users(Connection& c, const std::string& where) {
  return c.dialect().placeholders(c.dialect().select(user_select_cols(), "users", where, "id"));
}
}  // namespace

Result<Id> insert_user(Connection& c, const User& u) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().insert("users", kCols, "id"))));
  StatementUse use(*s);
  s->bind_all(u.login, u.name, std::string(role_name(u.role)), null_if_zero(u.manager_id), null_if_zero(u.head_id),
              u.active, u.created_at.ms);
  SC_ASSIGN_OR_RETURN(bool row, s->step());
  if (!row) return Status::internal("insert into users returned no id");
  return s->column_int(0);
}

Result<std::optional<User>> load_user(Connection& c, Id id) {
  static const char site = 0;
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare_once(&site, [&] { return c.dialect().select(user_select_cols(), "users", "id = ?"); }));
  StatementUse use(*s);
  s->bind_all(id);
  return map_first<User>(*s, map_user);
}

Result<std::optional<User>> load_user_by_live_token(Connection& c, const std::string& token_hash) {
  static const char site = 0;
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare_once(&site, [&] {
    std::vector<std::string> cols;
    for (const auto& col : user_select_cols()) cols.push_back("u." + col);
    return c.dialect().select(cols, "api_tokens t JOIN users u ON u.id = t.user_id",
                              "t.token_hash = ? AND t.revoked_at IS NULL");
  }));
  StatementUse use(*s);
  s->bind_all(token_hash);
  return map_first<User>(*s, map_user);
}

Result<std::optional<User>> load_user_by_login(Connection& c, const std::string& login) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(select_users(c, "login = ?")));
  StatementUse use(*s);
  s->bind_all(login);
  return map_first<User>(*s, map_user);
}

Result<std::vector<User>> list_users(Connection& c) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(select_users(c, "")));
  StatementUse use(*s);
  return map_rows<User>(*s, map_user);
}

}  // namespace salescore::store
