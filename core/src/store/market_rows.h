// Rows of market information (market_notes).
#pragma once
#include <optional>
#include <vector>

#include "salescore/engine.h"
#include "store/sql.h"

namespace salescore::store {
Result<Id> insert_market_note(Connection& c, const MarketNote& n);
Result<std::optional<MarketNote>> load_market_note(Connection& c, Id id);
// `visible`: an extra SQL condition from the access scope ("" for none).
Result<std::vector<MarketNote>> find_market_notes(Connection& c, const MarketQuery& q, const std::string& visible = "");

// Per key (competitor or product group) and kind: the records observed in [from, to);
// on the competitor_price row, over the prices in `currency`: count, sum, min, max.
struct MarketSums {
  std::string key;
  std::string kind;
  std::int64_t records = 0;
  std::int64_t prices = 0, price_sum = 0, price_min = 0, price_max = 0;
};
Result<std::vector<MarketSums>> market_sums(Connection& c, MarketGrouping by, Instant from, Instant to,
                                            const std::string& currency, const std::string& visible = "");
}  // namespace salescore::store
