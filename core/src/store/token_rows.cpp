#include "store/token_rows.h"

#include "store/row_helpers.h"

namespace salescore::store {
namespace {
const std::vector<std::string> kCols = {"user_id", "name", "prefix", "token_hash", "created_at", "revoked_at"};

ApiToken map_token(Statement& s) {
  ApiToken t;
  t.id = s.column_int(0);
  t.user_id = s.column_int(1);
  t.name = s.column_text(2);
  t.prefix = s.column_text(3);
  t.created_at = Instant{s.column_int(5)};
  if (!s.column_is_null(6)) t.revoked_at = Instant{s.column_int(6)};
  return t;
}

std::string select_tokens(Connection& c, const std::string& where) {
  std::vector<std::string> cols = {"id"};
  cols.insert(cols.end(), kCols.begin(), kCols.end());
  return c.dialect().placeholders(c.dialect().select(cols, "api_tokens", where, "id"));
}
}  // namespace

Result<Id> insert_token(Connection& c, const ApiToken& t, const std::string& hash) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().insert("api_tokens", kCols, "id"))));
  StatementUse use(*s);
  s->bind_all(t.user_id, t.name, t.prefix, hash, t.created_at.ms, std::nullopt);
  SC_ASSIGN_OR_RETURN(bool row, s->step());
  if (!row) return Status::internal("insert into api_tokens returned no id");
  return s->column_int(0);
}

Result<std::optional<ApiToken>> load_token(Connection& c, Id id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(select_tokens(c, "id = ?")));
  StatementUse use(*s);
  s->bind_all(id);
  return map_first<ApiToken>(*s, map_token);
}

Result<std::vector<ApiToken>> list_tokens_of(Connection& c, Id user_id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(select_tokens(c, "user_id = ?")));
  StatementUse use(*s);
  s->bind_all(user_id);
  return map_rows<ApiToken>(*s, map_token);
}

Status mark_token_revoked(Connection& c, Id id, Instant at) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders("UPDATE api_tokens SET revoked_at = ? WHERE id = ?")));
  StatementUse use(*s);
  s->bind_all(at.ms, id);
  return s->run();
}

}  // namespace salescore::store
