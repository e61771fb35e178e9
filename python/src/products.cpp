#include "bindings.h"
#include "collection.h"

namespace salescore::python {

namespace {

const FieldTable<Product>& product_fields() {
  static const FieldTable<Product> table = {
      computed<codec::Number>("id", &Product::id),
      field<codec::Text>("sku", &Product::sku),
      field<codec::Text>("name", &Product::name),
      field<codec::Text>("unit", &Product::unit),
      field<codec::PriceList>("prices", &Product::prices),
      field<codec::Qty>("stock", &Product::stock),
      field<codec::Flag>("active", &Product::active),
      field<codec::Text>("group", &Product::group),
      field<codec::TextMap>("properties", &Product::properties),
      field<codec::Text>("source", &Product::source),
      field<codec::Text>("external_id", &Product::external_id),
      computed<codec::When>("created_at", &Product::created_at),
      computed<codec::When>("updated_at", &Product::updated_at),
  };
  return table;
}

const FieldTable<ProductPatch>& product_patch_fields() {
  static const FieldTable<ProductPatch> table = {
      optional<codec::Text>("name", &ProductPatch::name),
      optional<codec::Text>("unit", &ProductPatch::unit),
      optional<codec::PriceList>("prices", &ProductPatch::prices),
      optional<codec::Qty>("stock", &ProductPatch::stock),
      optional<codec::Flag>("active", &ProductPatch::active),
      optional<codec::Text>("group", &ProductPatch::group),
      optional<codec::TextMap>("properties", &ProductPatch::properties),
  };
  return table;
}

const FieldTable<ProductQuery>& product_query_fields() {
  static const FieldTable<ProductQuery> table = {
      optional<codec::Text>("sku", &ProductQuery::sku),
      optional<codec::Text>("name_prefix", &ProductQuery::name_prefix),
      optional<codec::Flag>("active", &ProductQuery::active),
  };
  return table;
}

}  // namespace

void bind_products(py::module_& m) {
  using Native = NativeCollection<ProductService>;
  auto cls = bind_collection(m, "Products",
                             CollectionSpec<ProductService, Product, ProductPatch, ProductQuery>{
                                 "product", &Engine::products, &product_fields(), &product_patch_fields(),
                                 &product_query_fields()});
  cls.def("by_sku", [](const Native& c, Actor actor, const std::string& sku) {
    return to_dict(product_fields(), c.engine->call([&](Engine& e) { return e.products().by_sku(actor, sku); }));
  });
}

}  // namespace salescore::python
