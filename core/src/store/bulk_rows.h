// Bulk inserts that go as COPY on PostgreSQL: the rows a bulk path has already checked
// and gathered (a catalog chunk's events and price rows, a table `salescore migrate`
// copies) stream in one COPY ... FROM STDIN instead of many INSERT statements. On
// SQLite, and for a few rows, they go as insert_rows does (several rows per INSERT).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "store/row_helpers.h"
#include "store/sql.h"

namespace salescore::store {

// Fewer rows than this go as INSERTs: a COPY's own start and end cost two round trips.
constexpr std::size_t kRowsWorthACopy = 16;

// One COPY in progress, filled through the Statement interface so that a row binder
// written for insert_rows fills it unchanged: bind_* in column order (1, 2, ...), then
// end_row(). The other Statement calls are not for it (step() answers kInternal).
class RowCopy : public Statement {
 public:
  // A COPY into `table` (`columns` in order) on `c`, or nullptr when `c` does not take
  // one (SQLite). Deferred statements of the transaction are settled first; into
  // `events`, the event log's lock is taken first, as for an INSERT there.
  static Result<std::unique_ptr<RowCopy>> start(Connection& c, const std::string& table,
                                                const std::vector<std::string>& columns);
  // The row bound since the last end_row() (every column bound) goes to the server's
  // buffer; sent on when the buffer is full.
  virtual Status end_row() = 0;
  // The rest sent and the COPY ended: the first error of any row (the whole COPY is
  // then undone), or ok.
  virtual Status finish() = 0;
};

// Inserts `rows` rows: by COPY when the connection takes one and there are enough,
// otherwise by insert_rows. `bind_row(statement, first_position, row)` as insert_rows's.
// A failing row fails the call; the caller's transaction makes the whole all or nothing.
template <class BindRow>
Status bulk_insert(Connection& c, const MultiRowInsert& insert, std::size_t rows, BindRow&& bind_row) {
  if (rows >= kRowsWorthACopy) {
    SC_ASSIGN_OR_RETURN(auto copy, RowCopy::start(c, insert.table, insert.columns));
    if (copy) {
      for (std::size_t i = 0; i < rows; ++i) {
        bind_row(*copy, 1, i);
        SC_RETURN_IF_ERROR(copy->end_row());
      }
      return copy->finish();
    }
  }
  return insert_rows(c, insert, rows, bind_row);
}

}  // namespace salescore::store
