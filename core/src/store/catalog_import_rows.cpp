#include "store/catalog_import_rows.h"

#include <map>
#include <unordered_map>
#include <variant>

#include "model/contact_points.h"
#include "salescore/record_fields.h"
#include "store/catalog_rows.h"
#include "store/row_helpers.h"

namespace salescore::store {
namespace {

// Keys go into IN (...) lists of this many placeholders; a short last slice binds NULL
// to the rest (never equal to anything), so one prepared statement serves every slice.
constexpr std::size_t kSlice = 256;

void bind_value(Statement& s, int position, std::int64_t v) { s.bind_int(position, v); }
void bind_value(Statement& s, int position, const std::string& v) { s.bind_text(position, v); }

std::string in_list() {
  std::string out = "(";
  for (std::size_t i = 0; i < kSlice; ++i) out += i ? ",?" : "?";
  return out + ")";
}

// Runs `sql` (its IN list last, after `first` bound parameters) over `keys` slice by
// slice, calling `row` for every row.
template <class Key, class BindFirst, class Row>
Status for_each_slice(Connection& c, const std::string& sql, const std::vector<Key>& keys, int first,
                      BindFirst&& bind_first, Row&& row) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(sql)));
  for (std::size_t at = 0; at < keys.size(); at += kSlice) {
    StatementUse use(*s);
    bind_first(*s);
    for (std::size_t i = 0; i < kSlice; ++i) {
      const int position = first + static_cast<int>(i) + 1;
      if (at + i < keys.size()) bind_value(*s, position, keys[at + i]);
      else s->bind_null(position);
    }
    while (true) {
      SC_ASSIGN_OR_RETURN(bool more, s->step());
      if (!more) break;
      row(*s);
    }
  }
  return Status::ok();
}

Status load_prices_of(Connection& c, std::vector<Product>& products) {
  static const std::string sql = "SELECT product_id, price_type, amount_minor, currency FROM product_prices "
                                 "WHERE product_id IN " + in_list();
  std::vector<std::int64_t> ids;
  std::unordered_map<Id, Product*> by_id;
  for (Product& p : products) {
    ids.push_back(p.id);
    by_id[p.id] = &p;
  }
  return for_each_slice(c, sql, ids, 0, [](Statement&) {}, [&](Statement& r) {
    by_id.at(r.column_int(0))->prices[r.column_text(1)] = Money{r.column_int(2), r.column_text(3)};
  });
}

// One column of an UPDATE and the value it gets.
struct Assignment {
  std::string column;
  std::variant<std::monostate, std::int64_t, std::string> value;
};

std::vector<Assignment> changed_columns(const Product& before, const Product& after) {
  std::vector<Assignment> set;
  auto text = [&](const char* column, const std::string& a, const std::string& b) {
    if (a != b) set.push_back({column, b});
  };
  auto key = [&](const char* column, const std::string& a, const std::string& b) {
    if (a == b) return;
    if (b.empty()) set.push_back({column, std::monostate{}});  // "no source" is NULL, as insert writes it
    else set.push_back({column, b});
  };
  text("sku", before.sku, after.sku);
  if (before.name != after.name) {
    set.push_back({"name", after.name});
    set.push_back({"name_key", search_key(after.name)});
  }
  text("unit", before.unit, after.unit);
  if (before.stock.milli != after.stock.milli) set.push_back({"stock_milli", after.stock.milli});
  if (before.active != after.active) set.push_back({"active", std::int64_t{after.active ? 1 : 0}});
  key("source", before.source, after.source);
  key("external_id", before.external_id, after.external_id);
  text("product_group", before.group, after.group);
  if (before.properties != after.properties)
    set.push_back({"properties", after.properties.empty() ? std::string("{}") : json_of(after.properties)});
  if (before.updated_at.ms != after.updated_at.ms) set.push_back({"updated_at", after.updated_at.ms});
  return set;
}

Status update_columns(Connection& c, Id id, const std::vector<Assignment>& set) {
  std::vector<std::string> columns;
  for (const auto& a : set) columns.push_back(a.column);
  // One statement per combination of columns; an import uses a handful (stock and
  // updated_at for an offer, the catalog's fields for a catalog entry).
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().update("products", columns, "id = ?"))));
  StatementUse use(*s);
  int position = 0;
  for (const auto& a : set) {
    ++position;
    std::visit([&](const auto& v) {
      if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::monostate>) s->bind_null(position);
      else bind_value(*s, position, v);
    }, a.value);
  }
  s->bind_int(position + 1, id);
  return s->run();
}

Status update_prices(Connection& c, Id id, const std::map<std::string, Money>& before,
                     const std::map<std::string, Money>& after) {
  SC_ASSIGN_OR_RETURN(Statement * del, c.prepare(c.dialect().placeholders(
                                           "DELETE FROM product_prices WHERE product_id = ? AND price_type = ?")));
  std::map<std::string, Money> added;
  for (const auto& [type, money] : before) {
    auto now = after.find(type);
    if (now != after.end() && now->second == money) continue;
    StatementUse use(*del);
    del->bind_all(id, type);
    SC_RETURN_IF_ERROR(del->run());
  }
  for (const auto& [type, money] : after) {
    auto was = before.find(type);
    if (was == before.end() || !(was->second == money)) added.emplace(type, money);
  }
  return insert_prices(c, id, added);
}

}  // namespace

Result<std::vector<Product>> products_by_external_ids(Connection& c, const std::string& source,
                                                      const std::vector<std::string>& external_ids) {
  static const std::string sql = c.dialect().select(product_row_columns(), "products",
                                                    "source = ? AND external_id IN " + in_list());
  std::vector<Product> out;
  SC_RETURN_IF_ERROR(for_each_slice(
      c, sql, external_ids, 1, [&](Statement& s) { s.bind_text(1, source); },
      [&](Statement& r) { out.push_back(product_from_row(r)); }));
  SC_RETURN_IF_ERROR(load_prices_of(c, out));
  return out;
}

Result<std::vector<std::pair<std::string, Id>>> product_ids_by_skus(Connection& c,
                                                                    const std::vector<std::string>& skus) {
  static const std::string sql = "SELECT sku, id FROM products WHERE sku IN " + in_list();
  std::vector<std::pair<std::string, Id>> out;
  SC_RETURN_IF_ERROR(for_each_slice(c, sql, skus, 0, [](Statement&) {},
                                    [&](Statement& r) { out.emplace_back(r.column_text(0), r.column_int(1)); }));
  return out;
}

Status update_product_changes(Connection& c, const Product& before, const Product& after) {
  auto set = changed_columns(before, after);
  if (!set.empty()) SC_RETURN_IF_ERROR(update_columns(c, after.id, set));
  if (before.prices != after.prices) SC_RETURN_IF_ERROR(update_prices(c, after.id, before.prices, after.prices));
  return Status::ok();
}

}  // namespace salescore::store
