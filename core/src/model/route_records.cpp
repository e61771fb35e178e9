// The visit's field list, for events and change diffs.
#include "salescore/routes.h"

namespace salescore {

FieldList fields_of(const Visit& v) {
  FieldList f;
  f.id("id", v.id);
  f.id("rep_id", v.rep_id);
  f.id("outlet_id", v.outlet_id);
  f.boolean("planned", v.planned);
  f.instant("checked_in_at", v.checked_in_at);
  f.instant("checked_out_at", v.checked_out_at);
  std::map<std::string, std::string> stock;
  for (const auto& [sku, qty] : v.stock) stock[sku] = format_quantity(qty);
  f.json("stock", json_of(stock));
  f.instant("stock_recorded_at", v.stock_recorded_at);
  f.json("missing_must_have", json_of(v.missing_must_have));
  f.id("order_id", v.order_id);
  f.instant("created_at", v.created_at);
  f.instant("updated_at", v.updated_at);
  return f;
}

}  // namespace salescore
