#include "engine/product_rules.h"

#include "engine/field_errors.h"
#include "rules/access.h"

namespace salescore::detail {

Status validate_product(EngineState& s, Product& p) {
  FieldErrors errors;
  if (p.sku.empty()) errors.add("sku", "required");
  if (p.name.empty()) errors.add("name", "required");
  if (p.unit.empty()) p.unit = "pcs";
  for (auto& [type, money] : p.prices) {
    const std::string field = "prices." + type;
    if (type.empty()) errors.add("prices", "a price needs a price type");
    if (money.currency.empty()) money.currency = s.config.currency;
    if (!is_currency_code(money.currency))
      errors.add(field, "currency '" + money.currency + "' is not an ISO 4217 code");
    if (money.minor < 0) errors.add(field, "a price cannot be negative");
  }
  check_mandatory(s, errors, "product", [&](const std::string& f) {
    if (f == "sku") return !p.sku.empty();
    if (f == "name") return !p.name.empty();
    if (f == "prices" || f == "price") return !p.prices.empty();
    return false;
  });
  return errors.to_status("product");
}

Status check_catalog_rights(EngineState& s, const Actor& actor, Id product_id) {
  SC_ASSIGN_OR_RETURN(Scope scope, scope_of(s, actor));
  if (scope.may_manage_catalog()) return Status::ok();
  return deny(s, actor, product_id ? "change" : "create", "product", product_id,
              "the catalog is kept by heads, admins and the 1C/web-shop connectors");
}

void apply_patch(Product& p, const ProductPatch& patch) {
  if (patch.name) p.name = *patch.name;
  if (patch.unit) p.unit = *patch.unit;
  if (patch.prices) p.prices = *patch.prices;
  if (patch.stock) p.stock = *patch.stock;
  if (patch.active) p.active = *patch.active;
  if (patch.group) p.group = *patch.group;
  if (patch.properties) p.properties = *patch.properties;
}

void apply_patch(Product& p, ProductPatch&& patch) {
  if (patch.name) p.name = std::move(*patch.name);
  if (patch.unit) p.unit = std::move(*patch.unit);
  if (patch.prices) p.prices = std::move(*patch.prices);
  if (patch.stock) p.stock = *patch.stock;
  if (patch.active) p.active = *patch.active;
  if (patch.group) p.group = std::move(*patch.group);
  if (patch.properties) p.properties = std::move(*patch.properties);
}

}  // namespace salescore::detail
