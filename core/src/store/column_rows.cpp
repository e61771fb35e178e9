#include "store/column_rows.h"

namespace salescore::store {

Result<ColumnTable> select_columns(Connection& c, const std::string& table, const std::vector<ColumnDef>& defs,
                                   Filter filter, const Page& page) {
  std::vector<std::string> cols;
  for (const auto& d : defs) cols.push_back(d.sql);
  filter.after("id", page);
  const bool limited = page.limit > 0;
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().select(cols, table, filter.where(), "id", limited))));
  StatementUse use(*s);
  const int next = filter.bind(*s);
  if (limited) s->bind_int(next, page.limit);

  ColumnTable out;
  out.columns.resize(defs.size());
  for (std::size_t i = 0; i < defs.size(); ++i) {
    out.columns[i].name = defs[i].name;
    out.columns[i].kind = defs[i].kind;
  }
  while (true) {
    SC_ASSIGN_OR_RETURN(bool row, s->step());
    if (!row) break;
    for (std::size_t i = 0; i < defs.size(); ++i) {
      Column& col = out.columns[i];
      const int at = static_cast<int>(i);
      const bool null = defs[i].nullable && s->column_is_null(at);
      if (defs[i].nullable) col.nulls.push_back(null ? 1 : 0);
      if (col.kind == ColumnKind::kText)
        col.texts.push_back(null ? std::string() : s->column_text(at));
      else
        col.ints.push_back(null ? 0 : s->column_int(at));
    }
    ++out.rows;
  }
  return out;
}

}  // namespace salescore::store
