#include "store/dialect.h"
#include "store/dialect_json.h"
#include "store/dialect_text.h"

#include <strings.h>

namespace salescore::store {

std::string join_columns(const std::vector<std::string>& cols) {
  std::string out;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (i) out += ", ";
    out += cols[i];
  }
  return out;
}

std::string Dialect::ddl(const std::string& sql) const {
  std::string out = sql;
  for (const auto& [token, text] : {std::pair<std::string, std::string>{"{id}", id_column()},
                                    std::pair<std::string, std::string>{"{keyed}", keyed_table_suffix()},
                                    std::pair<std::string, std::string>{"{serial}", serial_column()}})
    for (auto pos = out.find(token); pos != std::string::npos; pos = out.find(token, pos + text.size()))
      out.replace(pos, token.size(), text);
  // `{email_domain(column)}`: an indexed expression (dialect_text.h), spelled per database.
  const std::string domain_token = "{email_domain(";
  for (auto pos = out.find(domain_token); pos != std::string::npos; pos = out.find(domain_token, pos)) {
    const auto close = out.find(")}", pos);
    if (close == std::string::npos) break;
    const std::string column = out.substr(pos + domain_token.size(), close - pos - domain_token.size());
    const std::string text = email_domain_of(*this, column);
    out.replace(pos, close + 2 - pos, text);
    pos += text.size();
  }
  return out;
}

std::string Dialect::insert(const std::string& table, const std::vector<std::string>& cols,
                            const std::string& returning) const {
  std::string sql = "INSERT INTO " + table + " (" + join_columns(cols) + ") VALUES (";
  for (std::size_t i = 0; i < cols.size(); ++i) sql += i ? ", ?" : "?";
  sql += ")";
  if (!returning.empty()) sql += " RETURNING " + returning;
  return sql;
}

std::string Dialect::upsert(const std::string& table, const std::vector<std::string>& cols,
                            const std::vector<std::string>& conflict) const {
  std::string sql = insert(table, cols) + " ON CONFLICT (" + join_columns(conflict) + ") DO UPDATE SET ";
  bool first = true;
  for (const auto& c : cols) {
    bool is_key = false;
    for (const auto& k : conflict) is_key |= k == c;
    if (is_key) continue;
    sql += (first ? "" : ", ") + c + " = excluded." + c;
    first = false;
  }
  return sql;
}

std::string Dialect::update(const std::string& table, const std::vector<std::string>& cols,
                            const std::string& where) const {
  std::string sql = "UPDATE " + table + " SET ";
  for (std::size_t i = 0; i < cols.size(); ++i) sql += (i ? ", " : "") + cols[i] + " = ?";
  return sql + " WHERE " + where;
}

std::string Dialect::select(const std::vector<std::string>& cols, const std::string& from,
                            const std::string& where, const std::string& order_by, bool limit) const {
  std::string sql = "SELECT " + join_columns(cols) + " FROM " + from;
  if (!where.empty()) sql += " WHERE " + where;
  if (!order_by.empty()) sql += " ORDER BY " + order_by;
  if (limit) sql += " LIMIT ?";
  return sql;
}

std::string PostgresDialect::placeholders(const std::string& sql) const {
  std::string out;
  int n = 0;
  bool in_string = false;
  for (char c : sql) {
    if (c == '\'') in_string = !in_string;
    if (c == '?' && !in_string) {
      const std::string param = "$" + std::to_string(++n);
      // SQLite reads a negative LIMIT as "no limit" and callers bind -1 for it;
      // PostgreSQL refuses one, and reads LIMIT NULL as no limit.
      const bool limit = out.size() >= 6 && strncasecmp(out.c_str() + out.size() - 6, "LIMIT ", 6) == 0;
      out += limit ? "NULLIF(" + param + ", -1)" : param;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace salescore::store

namespace salescore::store {

std::string json_text(const Dialect& d, const std::string& column, const std::string& key) {
  if (d.name() == "postgresql") return "(CAST(" + column + " AS jsonb) ->> '" + key + "')";
  return "json_extract(" + column + ", '$." + key + "')";
}

std::string json_int(const Dialect& d, const std::string& column, const std::string& key) {
  if (d.name() == "postgresql") return "CAST(" + json_text(d, column, key) + " AS BIGINT)";
  return json_text(d, column, key);  // SQLite's json_extract already gives the number
}

}  // namespace salescore::store

namespace salescore::store {

std::string email_domain_of(const Dialect& d, const std::string& column) {
  // Both are deterministic (IMMUTABLE), as an index expression must be.
  if (d.name() == "postgresql") return "split_part(" + column + ", '@', 2)";
  return "substr(" + column + ", instr(" + column + ", '@') + 1)";
}

}  // namespace salescore::store
