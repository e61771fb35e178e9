// Small helpers shared by the row mappers: filters with bound parameters, and loading
// one or many rows through a mapping function.
#pragma once

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "salescore/engine.h"
#include "store/sql.h"

namespace salescore::store {

// Builds "a = ? AND b >= ?" together with the values to bind, so a query with optional
// filters is one prepared statement per combination of filters actually used.
class Filter {
 public:
  using Param = std::variant<std::int64_t, std::string>;
  void add(const std::string& clause, std::vector<Param> params = {}) {
    where_ += (where_.empty() ? "" : " AND ") + clause;
    for (auto& p : params) params_.push_back(std::move(p));
  }
  // A sub-query's filter inside this one: `before + inner + after`, with its values.
  void add_wrapped(const std::string& before, const Filter& inner, const std::string& after) {
    add(before + inner.where_ + after, inner.params_);
  }
  template <class T>
  void eq_if(const std::string& col, const std::optional<T>& v) {
    if (v) add(col + " = ?", {Param(*v)});
  }
  const std::string& where() const { return where_; }
  // Binds the filter's values from position 1; returns the next free position.
  int bind(Statement& s) const;
  // Adds the keyset condition "id > after" for `page`.
  void after(const std::string& id_col, const Page& page) {
    if (page.after_id > 0) add(id_col + " > ?", {Param(page.after_id)});
  }

 private:
  std::string where_;
  std::vector<Param> params_;
};

// Runs a prepared query and maps every row.
template <class T>
Result<std::vector<T>> map_rows(Statement& s, const std::function<T(Statement&)>& map) {
  std::vector<T> out;
  while (true) {
    SC_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) break;
    out.push_back(map(s));
  }
  return out;
}

// Runs a prepared query and maps its first row, if any.
template <class T>
Result<std::optional<T>> map_first(Statement& s, const std::function<T(Statement&)>& map) {
  SC_ASSIGN_OR_RETURN(bool row, s.step());
  if (!row) return std::optional<T>();
  return std::optional<T>(map(s));
}

// Rows per statement of insert_rows: 64 rows of up to 15 columns stay under SQLite's
// oldest limit of 999 parameters.
constexpr std::size_t kRowsPerInsert = 64;

// A table's multi-row INSERT, declared once per call site (a static): the table, its
// columns, and a key per row count under which each connection keeps that statement
// (Connection::prepare_once), so its text is built once per connection, not per call.
struct MultiRowInsert {
  std::string table;
  std::vector<std::string> columns;
  char statement_keys[kRowsPerInsert + 1] = {};
};

// "INSERT INTO table (cols) VALUES (?, ...), (?, ...)" with `rows` rows of placeholders.
std::string multi_row_insert_sql(const Dialect& d, const std::string& table, const std::vector<std::string>& cols,
                                 std::size_t rows);

// Inserts `rows` rows, kRowsPerInsert rows per statement (the last one shorter), so a
// bulk write pays a statement's own cost once per slice rather than once per row.
// `bind_row(statement, first_position, row)` binds row number `row` (0-based) from
// `first_position` on. A failing statement fails the call; the rows of the slices before
// it stay inserted, so the caller's transaction is what makes the whole all or nothing.
template <class BindRow>
Status insert_rows(Connection& c, const MultiRowInsert& insert, std::size_t rows, BindRow&& bind_row) {
  const int width = static_cast<int>(insert.columns.size());
  for (std::size_t at = 0; at < rows; at += kRowsPerInsert) {
    const std::size_t n = std::min(kRowsPerInsert, rows - at);
    SC_ASSIGN_OR_RETURN(Statement * s, c.prepare_once(&insert.statement_keys[n], [&] {
      return multi_row_insert_sql(c.dialect(), insert.table, insert.columns, n);
    }));
    StatementUse use(*s);
    for (std::size_t i = 0; i < n; ++i) bind_row(*s, static_cast<int>(i) * width + 1, at + i);
    SC_RETURN_IF_ERROR(s->run());
  }
  return Status::ok();
}

// Reads a single integer (COUNT, MAX).
Result<std::int64_t> scalar_int(Connection& c, const std::string& sql, const Filter& filter);

// Text column that is NULL for "absent" (source, external_id) and "" in the model.
inline std::optional<std::string> null_if_empty(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}
inline std::optional<std::int64_t> null_if_zero(std::int64_t v) {
  return v == 0 ? std::nullopt : std::optional<std::int64_t>(v);
}

// Where paging's limit goes: 0 means no limit, which SQLite spells -1.
inline std::int64_t limit_value(const Page& page) { return page.limit > 0 ? page.limit : -1; }

}  // namespace salescore::store
