#include "store/catalog_import_rows.h"

#include <iterator>
#include <map>
#include <unordered_map>
#include <variant>

#include "model/contact_points.h"
#include "salescore/record_fields.h"
#include "store/catalog_rows.h"
#include "store/bulk_rows.h"
#include "store/row_helpers.h"

namespace salescore::store {
namespace {

// Keys go into IN (...) lists of this many placeholders; a short last slice binds NULL
// to the rest (never equal to anything), so one prepared statement serves every slice.
constexpr std::size_t kSlice = 256;

void bind_value(Statement& s, int position, std::int64_t v) { s.bind_int(position, v); }
void bind_value(Statement& s, int position, std::string_view v) { s.bind_text(position, v); }

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

// The columns an import may change, in the order they are SET; a bit per column names
// the combination an update writes.
constexpr const char* kUpdatable[] = {"sku",         "name",          "name_key",   "unit",      "stock_milli", "active",
                                      "source",      "external_id",   "product_group", "properties", "updated_at"};
constexpr std::size_t kUpdatableCount = std::size(kUpdatable);
enum Column : unsigned { kSku, kName, kNameKey, kUnit, kStock, kActive, kSource, kExternalId, kGroup, kProperties, kUpdatedAt };

// The value a changed column gets.
using Value = std::variant<std::monostate, std::int64_t, std::string>;

struct Assignments {
  unsigned columns = 0;  // bit (1 << Column) per column set
  Value values[kUpdatableCount];
  void set(Column c, Value v) {
    columns |= 1u << c;
    values[c] = std::move(v);
  }
};

Assignments changed_columns(const Product& before, const Product& after) {
  Assignments set;
  auto text = [&](Column column, const std::string& a, const std::string& b) {
    if (a != b) set.set(column, b);
  };
  auto key = [&](Column column, const std::string& a, const std::string& b) {
    if (a == b) return;
    if (b.empty()) set.set(column, std::monostate{});  // "no source" is NULL, as insert writes it
    else set.set(column, b);
  };
  text(kSku, before.sku, after.sku);
  if (before.name != after.name) {
    set.set(kName, after.name);
    set.set(kNameKey, search_key(after.name));
  }
  text(kUnit, before.unit, after.unit);
  if (before.stock.milli != after.stock.milli) set.set(kStock, after.stock.milli);
  if (before.active != after.active) set.set(kActive, std::int64_t{after.active ? 1 : 0});
  key(kSource, before.source, after.source);
  key(kExternalId, before.external_id, after.external_id);
  text(kGroup, before.group, after.group);
  if (before.properties != after.properties)
    set.set(kProperties, after.properties.empty() ? std::string("{}") : json_of(after.properties));
  if (before.updated_at.ms != after.updated_at.ms) set.set(kUpdatedAt, after.updated_at.ms);
  return set;
}

Status update_columns(Connection& c, Id id, const Assignments& set) {
  // One statement per combination of columns, found by the combination's bits without
  // building its text: an import uses a handful (stock and updated_at for an offer, the
  // catalog's fields for a catalog entry), each a few hundred thousand times.
  static const char sites[1u << kUpdatableCount] = {};
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare_once(&sites[set.columns], [&] {
    std::vector<std::string> columns;
    for (std::size_t i = 0; i < kUpdatableCount; ++i)
      if (set.columns & (1u << i)) columns.push_back(kUpdatable[i]);
    return c.dialect().update("products", columns, "id = ?");
  }));
  StatementUse use(*s);
  int position = 0;
  for (std::size_t i = 0; i < kUpdatableCount; ++i) {
    if (!(set.columns & (1u << i))) continue;
    ++position;
    std::visit([&](const auto& v) {
      if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::monostate>) s->bind_null(position);
      else bind_value(*s, position, v);
    }, set.values[i]);
  }
  s->bind_int(position + 1, id);
  return s->run();
}

}  // namespace

Result<std::vector<Product>> products_by_external_ids(Connection& c, const std::string& source,
                                                      const std::vector<std::string_view>& external_ids) {
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
                                                                    const std::vector<std::string_view>& skus) {
  static const std::string sql = "SELECT sku, id FROM products WHERE sku IN " + in_list();
  std::vector<std::pair<std::string, Id>> out;
  SC_RETURN_IF_ERROR(for_each_slice(c, sql, skus, 0, [](Statement&) {},
                                    [&](Statement& r) { out.emplace_back(r.column_text(0), r.column_int(1)); }));
  return out;
}

Status update_product_columns(Connection& c, const Product& before, const Product& after) {
  Assignments set = changed_columns(before, after);
  return set.columns ? update_columns(c, after.id, set) : Status::ok();
}

PriceChanges price_changes(Id product_id, const std::map<std::string, Money>& before,
                           const std::map<std::string, Money>& after) {
  PriceChanges changes;
  for (const auto& [type, money] : before) {
    auto now = after.find(type);
    if (now == after.end() || !(now->second == money)) changes.removed.push_back(type);
  }
  for (const auto& [type, money] : after) {
    auto was = before.find(type);
    if (was == before.end() || !(was->second == money)) changes.added.push_back({product_id, type, money});
  }
  return changes;
}

Status delete_prices(Connection& c, Id product_id, const std::vector<std::string>& types) {
  static const char site = 0;  // one call per changed product of an offers file
  SC_ASSIGN_OR_RETURN(Statement * del, c.prepare_once(&site, [] {
    return std::string("DELETE FROM product_prices WHERE product_id = ? AND price_type = ?");
  }));
  for (const auto& type : types) {
    StatementUse use(*del);
    del->bind_all(product_id, type);
    SC_RETURN_IF_ERROR(del->run());
  }
  return Status::ok();
}

Status insert_price_rows(Connection& c, const std::vector<PriceRow>& rows) {
  static const MultiRowInsert insert{"product_prices", {"product_id", "price_type", "amount_minor", "currency"}};
  return bulk_insert(c, insert, rows.size(), [&](Statement& s, int first, std::size_t n) {
    const PriceRow& r = rows[n];
    s.bind_from(first, r.product_id, Borrowed{r.type}, r.money.minor, Borrowed{r.money.currency});
  });
}

}  // namespace salescore::store
