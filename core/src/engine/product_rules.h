// What every write of a product checks and how a patch lands on it, shared by the
// one-at-a-time ProductService calls and the set-based catalog import
// (catalog_import.cpp), so both refuse and change products alike.
#pragma once

#include "engine/engine_state.h"

namespace salescore::detail {

// Fills the defaults (unit, a price's currency) and refuses a product that lacks what
// it needs, naming every bad field.
Status validate_product(EngineState& s, Product& p);

// Only heads, admins and the catalog connectors change the catalog; a refusal is audited.
Status check_catalog_rights(EngineState& s, const Actor& actor, Id product_id);

// The fields the patch sets replace the product's; the others stay.
void apply_patch(Product& p, const ProductPatch& patch);
// The same, taking the patch's text instead of copying it (a catalog import's entries).
void apply_patch(Product& p, ProductPatch&& patch);

}  // namespace salescore::detail
