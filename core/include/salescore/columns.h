// Column reads for data work: the rows of one entity straight from the store into typed
// column buffers (no record struct per row), for NumPy/pandas and file exports.
//
// Amounts stay in minor units (int64: kopecks), instants in milliseconds since the
// epoch, references as ids with a null mask, enumerations and text as UTF-8 strings.
// Reads take the acting user's scope like find() does, and the same filters.
//
// Include salescore/engine.h or this header: each includes the other (see payments.h).
#include "salescore/engine.h"

#ifndef SALESCORE_COLUMNS_H_
#define SALESCORE_COLUMNS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace salescore {

enum class ColumnKind {
  kInt,      // counts, ids, durations
  kAmount,   // money in minor units of the row's currency
  kInstant,  // milliseconds since the epoch, UTC
  kText,     // UTF-8; enumerations by their lower-case names
  kFlag,     // 0 or 1
};

struct Column {
  std::string name;
  ColumnKind kind = ColumnKind::kInt;
  std::vector<std::int64_t> ints;   // every kind but kText
  std::vector<std::string> texts;   // kText
  std::vector<std::uint8_t> nulls;  // 1 where the value is absent (NULL); empty: never null
};

struct ColumnTable {
  std::int64_t rows = 0;
  std::vector<Column> columns;  // in the table's order, id first
};

class ColumnService {
 public:
  explicit ColumnService(detail::EngineState* s) : s_(s) {}
  // The query's page selects rows by id (after_id) and caps them (limit; 0: all), so a
  // long export reads in chunks without holding the connection between them.
  Result<ColumnTable> orders(const Actor& actor, const OrderQuery& query);
  Result<ColumnTable> clients(const Actor& actor, const ClientQuery& query);
  Result<ColumnTable> interactions(const Actor& actor, const InteractionQuery& query);
  Result<ColumnTable> payments(const Actor& actor, const PaymentQuery& query);

 private:
  detail::EngineState* s_;
};

}  // namespace salescore

#endif  // SALESCORE_COLUMNS_H_
