#include "store/catalog_rows.h"

#include <algorithm>

#include "model/contact_points.h"
#include "salescore/record_fields.h"
#include "store/json_columns.h"
#include "store/row_helpers.h"

namespace salescore::store {
namespace {
const std::vector<std::string> kCols = {"sku",    "name",   "name_key",    "unit",       "stock_milli",
                                        "active", "source", "external_id", "created_at", "updated_at",
                                        "product_group", "properties"};

// The SQL text of the catalog's statements, built once: a 1C catalog import runs them a
// few hundred thousand times, and rebuilding the text from column lists on every call
// showed in its profile (bench/run onec). Dialect::insert/select/update write portable
// `?` SQL, so one text serves every connection; placeholders() still adapts it.
const std::string& insert_sql(const Dialect& d) {
  static const std::string sql = d.insert("products", kCols);
  return sql;
}
const std::string& update_sql(const Dialect& d) {
  static const std::string sql = d.update("products", kCols, "id = ?");
  return sql;
}
const std::string& by_id_sql(const Dialect& d) {
  static const std::string sql = d.select(product_row_columns(), "products", "id = ?");
  return sql;
}
const std::string& by_sku_sql(const Dialect& d) {
  static const std::string sql = d.select({"id"}, "products", "sku = ?");
  return sql;
}
const std::string& prices_sql(const Dialect& d) {
  static const std::string sql =
      d.select({"price_type", "amount_minor", "currency"}, "product_prices", "product_id = ?", "price_type");
  return sql;
}
const std::string& insert_price_sql(const Dialect& d) {
  static const std::string sql = d.insert("product_prices", {"product_id", "price_type", "amount_minor", "currency"});
  return sql;
}

void bind_product(Statement& s, const Product& p) {
  s.bind_all(p.sku, p.name, search_key(p.name), p.unit, p.stock.milli, p.active, null_if_empty(p.source),
             null_if_empty(p.external_id), p.created_at.ms, p.updated_at.ms, p.group,
             p.properties.empty() ? std::string("{}") : json_of(p.properties));
}

Status save_prices(Connection& c, const Product& p) {
  SC_ASSIGN_OR_RETURN(Statement * del,
                      c.prepare(c.dialect().placeholders("DELETE FROM product_prices WHERE product_id = ?")));
  {
    StatementUse use(*del);
    del->bind_all(p.id);
    SC_RETURN_IF_ERROR(del->run());
  }
  return insert_prices(c, p.id, p.prices);
}

Status load_prices(Connection& c, Product& p) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(prices_sql(c.dialect()))));
  StatementUse use(*s);
  s->bind_all(p.id);
  while (true) {
    SC_ASSIGN_OR_RETURN(bool row, s->step());
    if (!row) return Status::ok();
    p.prices[s->column_text(0)] = Money{s->column_int(1), s->column_text(2)};
  }
}

Filter product_filter(const ProductQuery& q) {
  Filter f;
  f.eq_if("sku", q.sku);
  if (q.name_prefix) {
    std::string key = search_key(*q.name_prefix);
    f.add("name_key >= ? AND name_key < ?", {key, key + "\xF4\x8F\xBF\xBF"});
  }
  if (q.active) f.add("active = ?", {static_cast<std::int64_t>(*q.active)});
  return f;
}
}  // namespace

Product product_from_row(Statement& s) {
  Product p;
  p.id = s.column_int(0);
  p.sku = s.column_text(1);
  p.name = s.column_text(2);
  p.unit = s.column_text(4);
  p.stock = Quantity{s.column_int(5)};
  p.active = s.column_int(6) != 0;
  p.source = s.column_text(7);
  p.external_id = s.column_text(8);
  p.created_at = Instant{s.column_int(9)};
  p.updated_at = Instant{s.column_int(10)};
  p.group = s.column_text(11);
  p.properties = parse_string_map(s.column_text(12));
  return p;
}

const std::vector<std::string>& product_row_columns() {
  static const std::vector<std::string> cols = [] {
    std::vector<std::string> all = {"id"};
    all.insert(all.end(), kCols.begin(), kCols.end());
    return all;
  }();
  return cols;
}

Status insert_prices(Connection& c, Id product_id, const std::map<std::string, Money>& prices) {
  SC_ASSIGN_OR_RETURN(Statement * ins, c.prepare(c.dialect().placeholders(insert_price_sql(c.dialect()))));
  for (const auto& [type, money] : prices) {
    StatementUse use(*ins);
    ins->bind_all(product_id, type, money.minor, money.currency);
    SC_RETURN_IF_ERROR(ins->run());
  }
  return Status::ok();
}

Result<Id> insert_product_row(Connection& c, const Product& p) {
  // last_insert_id() rather than RETURNING id, as insert_order does (order_rows.cpp).
  // Found by its call site: a catalog import inserts 100,000 in a row, and building the
  // text and hashing it for each cost more than binding the row.
  static const char site = 0;
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare_once(&site, [&] { return insert_sql(c.dialect()); }));
  // bind_product's columns, the texts borrowed rather than copied: they outlive the run.
  const std::string name_key = search_key(p.name);
  const std::string properties = p.properties.empty() ? std::string("{}") : json_of(p.properties);
  StatementUse use(*s);
  s->bind_all(Borrowed{p.sku}, Borrowed{p.name}, Borrowed{name_key}, Borrowed{p.unit}, p.stock.milli, p.active,
              null_if_empty(p.source), null_if_empty(p.external_id), p.created_at.ms, p.updated_at.ms,
              Borrowed{p.group}, Borrowed{properties});
  SC_RETURN_IF_ERROR(s->run());
  return c.last_insert_id();
}

Result<Id> insert_product(Connection& c, const Product& p) {
  SC_ASSIGN_OR_RETURN(Id id, insert_product_row(c, p));
  // A new id has no prices to delete.
  SC_RETURN_IF_ERROR(insert_prices(c, id, p.prices));
  return id;
}

Status update_product(Connection& c, const Product& p, bool prices_changed) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(update_sql(c.dialect()))));
  {
    StatementUse use(*s);
    bind_product(*s, p);
    s->bind_int(static_cast<int>(kCols.size()) + 1, p.id);
    SC_RETURN_IF_ERROR(s->run());
  }
  return prices_changed ? save_prices(c, p) : Status::ok();
}

Result<std::optional<Product>> load_product(Connection& c, Id id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(by_id_sql(c.dialect()))));
  std::optional<Product> p;
  {
    StatementUse use(*s);
    s->bind_all(id);
    SC_ASSIGN_OR_RETURN(p, map_first<Product>(*s, product_from_row));
  }
  if (p) SC_RETURN_IF_ERROR(load_prices(c, *p));
  return p;
}

Result<std::optional<Id>> product_id_by_sku(Connection& c, const std::string& sku) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(by_sku_sql(c.dialect()))));
  StatementUse use(*s);
  s->bind_all(sku);
  return map_first<Id>(*s, [](Statement& r) { return r.column_int(0); });
}

Result<std::vector<std::pair<std::string, Id>>> product_ids_of_few_skus(Connection& c,
                                                                        const std::vector<std::string_view>& skus) {
  static const std::vector<std::string> sql = [] {
    std::vector<std::string> out(kFewSkus + 1);
    std::string list;
    for (std::size_t n = 1; n <= kFewSkus; ++n) {
      list += n > 1 ? ",?" : "?";
      out[n] = "SELECT sku, id FROM products WHERE sku IN (" + list + ")";
    }
    return out;
  }();
  using Found = std::pair<std::string, Id>;
  if (skus.empty()) return std::vector<Found>{};
  if (skus.size() > kFewSkus) return Status::invalid("at most " + std::to_string(kFewSkus) + " SKUs in one lookup");
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(sql[skus.size()])));
  StatementUse use(*s);
  for (std::size_t i = 0; i < skus.size(); ++i) s->bind_text(static_cast<int>(i) + 1, skus[i]);
  return map_rows<Found>(*s, [](Statement& r) { return Found(r.column_text(0), r.column_int(1)); });
}

Result<std::vector<Product>> find_products(Connection& c, const ProductQuery& q) {
  Filter f = product_filter(q);
  f.after("id", q.page);
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().select(product_row_columns(), "products", f.where(), "id", true))));
  std::vector<Product> out;
  {
    StatementUse use(*s);
    s->bind_int(f.bind(*s), limit_value(q.page));
    SC_ASSIGN_OR_RETURN(out, map_rows<Product>(*s, product_from_row));
  }
  for (auto& p : out) SC_RETURN_IF_ERROR(load_prices(c, p));
  return out;
}

Result<std::int64_t> count_products(Connection& c, const ProductQuery& q) {
  Filter f = product_filter(q);
  return scalar_int(c, "SELECT COUNT(*) FROM products" + (f.where().empty() ? "" : " WHERE " + f.where()), f);
}

std::string active_products_of_source_sql(const Dialect& d) {
  // No ORDER BY, no other column: the covering partial index products_source_active
  // answers it (`active = 1` as a literal, so the planner can match the index's WHERE).
  return d.placeholders(d.select({"id", "external_id"}, "products", "source = ? AND active = 1"));
}

Result<std::vector<Id>> active_products_of_source_except(Connection& c, const std::string& source,
                                                         const std::function<bool(std::string_view)>& keep) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(active_products_of_source_sql(c.dialect())));
  std::vector<Id> out;
  {
    StatementUse use(*s);
    s->bind_all(source);
    while (true) {
      SC_ASSIGN_OR_RETURN(bool row, s->step());
      if (!row) break;
      if (!keep(s->column_text_view(1))) out.push_back(s->column_int(0));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace salescore::store
