#include "store/row_helpers.h"

namespace salescore::store {

int Filter::bind(Statement& s) const {
  int i = 0;
  for (const auto& p : params_) {
    ++i;
    if (std::holds_alternative<std::int64_t>(p))
      s.bind_int(i, std::get<std::int64_t>(p));
    else
      s.bind_text(i, std::get<std::string>(p));
  }
  return i + 1;
}

std::string multi_row_insert_sql(const Dialect& d, const std::string& table, const std::vector<std::string>& cols,
                                 std::size_t rows) {
  std::string sql = d.insert(table, cols);  // the first row's "(?, ...)" ends it
  const std::string row = sql.substr(sql.rfind(" VALUES ") + 8);
  sql.reserve(sql.size() + (rows - 1) * (row.size() + 2));
  for (std::size_t i = 1; i < rows; ++i) {
    sql += ", ";
    sql += row;
  }
  return sql;
}

Result<std::int64_t> scalar_int(Connection& c, const std::string& sql, const Filter& filter) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(sql)));
  StatementUse use(*s);
  filter.bind(*s);
  SC_ASSIGN_OR_RETURN(bool row, s->step());
  return row ? s->column_int(0) : 0;
}

}  // namespace salescore::store
