// The plan a database chose for one of the store's queries, as text, for the tests that
// check an index answers it (email_domain_index_test, catalog_source_index_test).
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "store/sql.h"

namespace salescore::testing {

// `explain` ("EXPLAIN QUERY PLAN" on SQLite, "EXPLAIN" on PostgreSQL) run on `sql` with
// `params` bound: the first `columns` of each row, a line a row.
template <typename... Params>
std::string query_plan(store::Connection& c, const std::string& explain, const std::string& sql, int columns,
                       const Params&... params) {
  auto s = c.prepare(explain + " " + sql);
  EXPECT_TRUE(s.ok()) << s.status().to_string();
  if (!s.ok()) return "";
  store::StatementUse use(**s);
  use->bind_all(params...);
  std::string plan;
  while (true) {
    auto row = use->step();
    if (!row.ok() || !*row) break;
    for (int col = 0; col < columns; ++col) plan += use->column_text(col) + " ";
    plan += "\n";
  }
  return plan;
}

}  // namespace salescore::testing
