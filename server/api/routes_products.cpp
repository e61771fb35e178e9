// /api/v1/products: the catalog. Who may change it is the engine's rule.
#include "api/api_count.h"

namespace salescore::cli {
namespace {

// sku is the product's key: set on create, never changed. source/external_id are the
// key of the catalog it was imported from.
const Fields kPatch = pick(schema("Product"), {"name", "unit", "prices", "stock", "active", "group", "properties"});
const Fields kCreate = pick(schema("Product"),
                            {"sku", "name", "unit", "prices", "stock", "active", "group", "properties"},
                            {"sku", "name"});

// prices: {"wholesale": {"amount": "120.00", "currency": "RUB"}, ...}
ProductPatch patch_from(BodyReader& b) {
  ProductPatch p;
  p.name = b.text("name");
  p.unit = b.text("unit");
  if (b.has("prices")) {
    std::map<std::string, Money> prices;
    b.object_entries("prices", [&](const std::string& type, BodyReader& price) {
      price.allow_only({"amount", "currency"});
      Money m;
      m.minor = price.amount("amount").value_or(0);
      m.currency = price.text("currency").value_or("");
      prices[type] = m;
    });
    p.prices = std::move(prices);
  }
  p.stock = b.quantity("stock");
  p.active = b.boolean("active");
  p.group = b.text("group");
  p.properties = b.text_map("properties");
  return p;
}

Result<ProductQuery> list_query(ApiCall& call) {
  QueryReader q(call);
  ProductQuery query;
  query.sku = q.text("sku");
  query.name_prefix = q.text("name_prefix");
  query.active = q.boolean("active");
  if (Status st = q.status(); !st.is_ok()) return st;
  return query;
}

HttpReply list(ApiCall& call) { return list_of(call, list_query, &Engine::products); }
HttpReply count(ApiCall& call) { return count_of(call, list_query, &Engine::products); }

HttpReply get(ApiCall& call) { return record_reply(call.engine.products().get(call.actor, call.id)); }

HttpReply create(ApiCall& call) {
  return write_record(
      call, kCreate, "product",
      [](BodyReader& b) {
        Product product;
        product.sku = b.text("sku").value_or("");
        ProductPatch p = patch_from(b);
        product.name = p.name.value_or("");
        if (p.unit) product.unit = *p.unit;
        product.prices = p.prices.value_or(std::map<std::string, Money>{});
        product.stock = p.stock.value_or(Quantity{});
        product.active = p.active.value_or(true);
        product.group = p.group.value_or("");
        product.properties = p.properties.value_or(std::map<std::string, std::string>{});
        return product;
      },
      [&](const Product& p) { return call.engine.products().add(call.actor, p); }, 201);
}

HttpReply update(ApiCall& call) {
  return write_record(call, kPatch, "product", patch_from,
                      [&](const ProductPatch& p) { return call.engine.products().update(call.actor, call.id, p); });
}

}  // namespace

void add_product_routes(std::vector<Route>& out) {
  out.push_back({.method = "GET", .pattern = "/api/v1/products", .summary = "List the catalog", .handler = list,
                 .filters = {"sku", "name_prefix", "active"}, .paged = true, .reply = Reply::page("Product")});
  out.push_back({.method = "GET", .pattern = "/api/v1/products/count",
                 .summary = "Count the products the list would give with the same filters",
                 .handler = count, .filters = {"sku", "name_prefix", "active"}, .reply = Reply::record("Count")});
  out.push_back({.method = "POST", .pattern = "/api/v1/products", .summary = "Add a product", .handler = create,
                 .fields = kCreate, .success_status = 201, .reply = Reply::record("Product")});
  out.push_back({.method = "GET", .pattern = "/api/v1/products/{id}", .summary = "Get a product", .handler = get,
                 .reply = Reply::record("Product")});
  out.push_back({.method = "PATCH", .pattern = "/api/v1/products/{id}", .summary = "Change some fields of a product",
                 .handler = update, .fields = kPatch, .reply = Reply::record("Product")});
}

}  // namespace salescore::cli
