// The product catalog: SKUs, prices per price type, stock. Keyed by SKU for imports.
#include <string_view>
#include <unordered_set>

#include "engine/product_rules.h"
#include "engine/record_writes.h"
#include "rules/access.h"
#include "store/catalog_rows.h"

namespace salescore {
using namespace detail;

namespace {

Result<Product> load_or_not_found(EngineState& s, Id id) {
  SC_ASSIGN_OR_RETURN(auto p, store::load_product(*s.conn, id));
  if (!p) return not_found("product", id);
  return std::move(*p);
}

Result<Saved<Product>> insert_new(EngineState& s, const Actor& actor, Product p) {
  SC_RETURN_IF_ERROR(check_catalog_rights(s, actor, 0));
  SC_RETURN_IF_ERROR(validate_product(s, p));
  SC_ASSIGN_OR_RETURN(auto same_sku, store::product_id_by_sku(*s.conn, p.sku));
  if (same_sku)
    return Status::already_exists("SKU '" + p.sku + "' already belongs to product " + std::to_string(*same_sku),
                                  {{"sku", "taken"}});
  p.created_at = p.updated_at = s.now();
  SC_ASSIGN_OR_RETURN(p.id, store::insert_product(*s.conn, p));
  SC_RETURN_IF_ERROR(log_created(s, actor, "product", p));
  return Saved<Product>{std::move(p), WriteOutcome::kCreated, {}};
}

Result<Saved<Product>> save_over(EngineState& s, const Actor& actor, const Product& before, Product after) {
  SC_RETURN_IF_ERROR(check_catalog_rights(s, actor, before.id));
  after.id = before.id;
  after.created_at = before.created_at;
  after.updated_at = before.updated_at;
  SC_RETURN_IF_ERROR(validate_product(s, after));
  SC_ASSIGN_OR_RETURN(auto outcome, save_if_changed(s, actor, "product", before, after, [&](const Product& p) {
                        return store::update_product(*s.conn, p, p.prices != before.prices);
                      }));
  return Saved<Product>{std::move(after), outcome, {}};
}

}  // namespace

Result<Saved<Product>> ProductService::add(const Actor& actor, Product product) {
  return write<Saved<Product>>(*s_, [&] { return insert_new(*s_, actor, std::move(product)); });
}

Result<Product> ProductService::get(const Actor& actor, Id id) {
  return read<Product>(*s_, [&] { return load_or_not_found(*s_, id); });
}

Result<Product> ProductService::by_sku(const Actor& actor, const std::string& sku) {
  return read<Product>(*s_, [&]() -> Result<Product> {
    SC_ASSIGN_OR_RETURN(auto id, store::product_id_by_sku(*s_->conn, sku));
    if (!id) return Status::not_found("no product with SKU '" + sku + "'");
    return load_or_not_found(*s_, *id);
  });
}

Result<Saved<Product>> ProductService::update(const Actor& actor, Id id, const ProductPatch& p) {
  return write<Saved<Product>>(*s_, [&]() -> Result<Saved<Product>> {
    SC_ASSIGN_OR_RETURN(Product before, load_or_not_found(*s_, id));
    Product after = before;
    apply_patch(after, p);
    return save_over(*s_, actor, before, std::move(after));
  });
}

Result<Saved<Product>> ProductService::upsert(const Actor& actor, Product product) {
  return write<Saved<Product>>(*s_, [&]() -> Result<Saved<Product>> {
    if (product.sku.empty()) return Status::invalid("an upsert of a product needs its SKU", {{"sku", "required"}});
    SC_ASSIGN_OR_RETURN(auto id, store::product_id_by_sku(*s_->conn, product.sku));
    if (!id) return insert_new(*s_, actor, std::move(product));
    SC_ASSIGN_OR_RETURN(Product before, load_or_not_found(*s_, *id));
    return save_over(*s_, actor, before, std::move(product));
  });
}

Result<std::int64_t> ProductService::deactivate_absent(const Actor& actor, const std::string& source,
                                                      const std::vector<std::string>& present,
                                                      std::string_view variant_separator) {
  if (source.empty()) return Status::invalid("deactivating a catalog needs its source", {{"source", "required"}});
  // Views of `present`, which outlives the call: a full 1C catalog names 100,000.
  std::unordered_set<std::string_view> keep(present.begin(), present.end());
  auto kept = [&](std::string_view id) {
    if (keep.count(id)) return true;
    if (variant_separator.empty()) return false;
    const auto at = id.find(variant_separator);
    return at != std::string_view::npos && at > 0 && keep.count(id.substr(0, at)) > 0;
  };
  return write<std::int64_t>(*s_, [&]() -> Result<std::int64_t> {
    SC_ASSIGN_OR_RETURN(auto absent, store::active_products_of_source_except(*s_->conn, source, kept));
    std::int64_t deactivated = 0;
    for (Id id : absent) {
      SC_ASSIGN_OR_RETURN(Product before, load_or_not_found(*s_, id));
      Product after = before;
      after.active = false;
      SC_RETURN_IF_ERROR(save_over(*s_, actor, before, std::move(after)).status());
      ++deactivated;
    }
    return deactivated;
  });
}

Result<std::vector<Product>> ProductService::find(const Actor& actor, const ProductQuery& query) {
  return read<std::vector<Product>>(*s_, [&] { return store::find_products(*s_->conn, query); });
}

Result<std::int64_t> ProductService::count(const Actor& actor, const ProductQuery& query) {
  return read<std::int64_t>(*s_, [&] { return store::count_products(*s_->conn, query); });
}

}  // namespace salescore
