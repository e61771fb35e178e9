// The catalog import's set-based statements (engine/catalog_import.cpp): a chunk of
// products looked up with a few IN (...) queries instead of one query each, and an
// update that writes only what changed.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "salescore/engine.h"
#include "store/sql.h"

namespace salescore::store {

// The products `source` knows by these external ids, prices included; ids it does not
// know are simply not in the result.
Result<std::vector<Product>> products_by_external_ids(Connection& c, const std::string& source,
                                                      const std::vector<std::string>& external_ids);

// (sku, id) of those `skus` some product has.
Result<std::vector<std::pair<std::string, Id>>> product_ids_by_skus(Connection& c,
                                                                    const std::vector<std::string>& skus);

// Writes `after` over `before` (the same product): only the columns that differ, so an
// offer changing the stock leaves the name and SKU indexes alone, and only the price
// types that differ.
Status update_product_changes(Connection& c, const Product& before, const Product& after);

}  // namespace salescore::store
