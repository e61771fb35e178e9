// ABI 1.2's emit_products: catalog products handed over as fields (sc_product) instead
// of JSON records, read into the engine's CatalogItem with the same field names, the
// same defaults and the same refusals as a product record's JSON (record_apply.cpp).
#pragma once

#include <optional>

#include "host/record_apply.h"
#include "salescore/plugin_api.h"

namespace salescore::plugins {

// `record` names the product in errors (entity "product", its source and external id,
// the key SC_KEY_STATE); `item` is what to apply, or why it is refused.
struct CatalogProduct {
  NormalizedRecord record;
  Result<CatalogItem> item;
};

// `product` as the connector built it (struct_size tells which fields it has).
CatalogProduct read_catalog_product(const Engine& engine, const sc_product& product);

}  // namespace salescore::plugins
