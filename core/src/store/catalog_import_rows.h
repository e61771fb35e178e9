// The catalog import's set-based statements (engine/catalog_import.cpp): a chunk of
// products looked up with a few IN (...) queries instead of one query each, and an
// update that writes only what changed.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "salescore/engine.h"
#include "store/sql.h"

namespace salescore::store {

// The products `source` knows by these external ids, prices included; ids it does not
// know are simply not in the result.
Result<std::vector<Product>> products_by_external_ids(Connection& c, const std::string& source,
                                                      const std::vector<std::string_view>& external_ids);

// (sku, id) of those `skus` some product has.
Result<std::vector<std::pair<std::string, Id>>> product_ids_by_skus(Connection& c,
                                                                    const std::vector<std::string_view>& skus);

// Writes the row of `after` over that of `before` (the same product): only the columns
// that differ, so an offer changing the stock leaves the name and SKU indexes alone.
// Prices are the caller's (price_changes).
Status update_product_columns(Connection& c, const Product& before, const Product& after);

// A price of a product, as a row of product_prices.
struct PriceRow {
  Id product_id = 0;
  std::string type;
  Money money;
};

// How the product's prices go from `before` to `after`: the price types whose rows go
// (changed or dropped) and the rows that come (changed or new). Equal prices are left.
struct PriceChanges {
  std::vector<std::string> removed;
  std::vector<PriceRow> added;
};
PriceChanges price_changes(Id product_id, const std::map<std::string, Money>& before,
                           const std::map<std::string, Money>& after);

Status delete_prices(Connection& c, Id product_id, const std::vector<std::string>& types);

// Inserts the rows several per statement (insert_rows, row_helpers.h).
Status insert_price_rows(Connection& c, const std::vector<PriceRow>& rows);

}  // namespace salescore::store
