#include "host/catalog_products.h"

#include <map>

#include "host/json_fields.h"

namespace salescore::plugins {
namespace {

std::optional<std::string> field(const char* value) {
  return value ? std::optional<std::string>(value) : std::nullopt;
}

// A decimal field as the JSON reader takes it: "" is zero, anything unreadable is named.
template <class T, class Parse>
std::optional<T> decimal(const char* text, const std::string& name, std::map<std::string, std::string>& errors,
                         Parse&& parse) {
  if (!text) return std::nullopt;
  if (!*text) return T{};
  auto value = parse(text);
  if (value.ok()) return *value;
  errors[name] = value.status().message();
  return std::nullopt;
}

}  // namespace

namespace {

Result<CatalogItem> item_of(const Engine& engine, const sc_product& p, const NormalizedRecord& record) {
  if (record.source.empty() || record.external_id.empty())
    return Status::invalid("a record needs an entity, a source and an external_id",
                           {{record.source.empty() ? "source" : "external_id", "required"}});
  std::map<std::string, std::string> errors;
  CatalogItem item;
  item.source = record.source;
  item.external_id = record.external_id;
  item.sku = p.sku ? p.sku : "";
  ProductPatch& patch = item.patch;
  patch.name = field(p.name);
  patch.unit = field(p.unit);
  patch.group = field(p.group);
  patch.stock = decimal<Quantity>(p.stock, "stock", errors, [](const char* t) { return parse_quantity(t); });
  if (p.active >= 0) patch.active = p.active != 0;
  if (p.prices) {
    std::map<std::string, Money> prices;
    for (std::size_t i = 0; i < p.price_count; ++i) {
      const sc_price& price = p.prices[i];
      const std::string type = price.type ? price.type : "";
      Money money{0, price.currency && *price.currency ? price.currency : engine.config().currency};
      auto minor = decimal<std::int64_t>(price.amount, "prices." + type + ".amount", errors,
                                         [](const char* t) { return parse_amount(t); });
      if (minor) money.minor = *minor;
      prices[type] = money;
    }
    patch.prices = std::move(prices);
  }
  if (p.properties) {
    std::map<std::string, std::string> properties;
    for (std::size_t i = 0; i < p.property_count; ++i)
      properties[p.properties[i].name ? p.properties[i].name : ""] = p.properties[i].value ? p.properties[i].value : "";
    patch.properties = std::move(properties);
  }
  SC_RETURN_IF_ERROR(fields_status("product record", errors));
  return item;
}

}  // namespace

CatalogProduct read_catalog_product(const Engine& engine, const sc_product& p) {
  NormalizedRecord record{"product", p.source ? p.source : "", p.external_id ? p.external_id : "", "", SC_KEY_STATE};
  auto item = item_of(engine, p, record);
  return CatalogProduct{std::move(record), std::move(item)};
}

}  // namespace salescore::plugins
