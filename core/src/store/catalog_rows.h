// Rows of products and their prices per price type.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "salescore/engine.h"
#include "store/sql.h"

namespace salescore::store {
// A product row read with product_row_columns(), in that order (prices not loaded).
const std::vector<std::string>& product_row_columns();
Product product_from_row(Statement& s);
// Adds price rows to a product (one without rows for these types).
Status insert_prices(Connection& c, Id product_id, const std::map<std::string, Money>& prices);
Result<Id> insert_product(Connection& c, const Product& p);
// The product's row alone, its prices left to the caller (the catalog import inserts
// those of a whole chunk together). Returns the new id.
Result<Id> insert_product_row(Connection& c, const Product& p);
// `prices_changed`: false leaves product_prices alone (an offer changing only the stock).
Status update_product(Connection& c, const Product& p, bool prices_changed = true);
Result<std::optional<Product>> load_product(Connection& c, Id id);
Result<std::optional<Id>> product_id_by_sku(Connection& c, const std::string& sku);
// (sku, id) of those of an order's few `skus` (at most kFewSkus) some product has: one
// statement with exactly that many placeholders, prepared once per count. An IN list
// padded to hundreds of NULLs (catalog_import_rows.h) costs SQLite more than it saves.
inline constexpr std::size_t kFewSkus = 16;
Result<std::vector<std::pair<std::string, Id>>> product_ids_of_few_skus(Connection& c,
                                                                        const std::vector<std::string_view>& skus);
Result<std::vector<Product>> find_products(Connection& c, const ProductQuery& q);
Result<std::int64_t> count_products(Connection& c, const ProductQuery& q);
// The ids, in order, of the active products that came from `source`, but for those
// whose external id `keep` takes. Read from the products_source_active index alone and
// without copying the external ids out: a full 1C catalog checks 100,000, and reading
// their rows (or sorting them) was most of the cost. Inactive products are not read: a
// source's discontinued products only grow, and each was loaded in full on every
// exchange before (bench/RESULTS.md, catalog_exchange).
std::string active_products_of_source_sql(const Dialect& d);
Result<std::vector<Id>> active_products_of_source_except(Connection& c, const std::string& source,
                                                         const std::function<bool(std::string_view)>& keep);
}  // namespace salescore::store
