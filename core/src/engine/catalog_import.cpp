// ProductService::import_catalog: a chunk of a catalog import (bench/run onec: 100,000
// products in two files) applied with the same rules and events as upsert/update, but
// without their per-record costs: one lookup of the chunk's products instead of one per
// entry, the actor's rights read once, updates that write only what changed (so a
// catalog sent again is read, compared and left alone), and the chunk's events and new
// price rows inserted several rows per statement.
#include <string_view>
#include <unordered_map>

#include "engine/product_rules.h"
#include "engine/record_writes.h"
#include "store/catalog_import_rows.h"
#include "store/catalog_rows.h"
#include "store/event_rows.h"

namespace salescore {
using namespace detail;

namespace {

const std::string& sku_of(const CatalogItem& e) { return e.sku.empty() ? e.external_id : e.sku; }

// The chunk's products while it is applied, by (source, external_id) and SKU. Kept
// current as entries create, change and take over products, so a later entry of the
// chunk (an offer after its catalog entry, two entries with one SKU) sees what the
// earlier ones did, as it would have one record at a time.
class ChunkProducts {
 public:
  Status load(EngineState& s, const std::vector<CatalogItem>& entries) {
    // Views of the entries' keys, which outlive the lookups.
    std::unordered_map<std::string_view, std::vector<std::string_view>> ids_by_source;
    for (const auto& e : entries) ids_by_source[e.source].push_back(e.external_id);
    for (const auto& [source, ids] : ids_by_source) {
      SC_ASSIGN_OR_RETURN(auto found, store::products_by_external_ids(*s.conn, std::string(source), ids));
      for (auto& p : found) by_key_.emplace(key(p.source, p.external_id), std::move(p));
    }
    // SKUs matter only for products new to their source: they may take one over.
    std::vector<std::string_view> skus;
    for (const auto& e : entries)
      if (!by_key_.count(key(e.source, e.external_id))) skus.push_back(sku_of(e));
    SC_ASSIGN_OR_RETURN(auto ids, store::product_ids_by_skus(*s.conn, skus));
    for (auto& [sku, id] : ids) by_sku_.emplace(std::move(sku), id);
    return Status::ok();
  }

  Product* known(const CatalogItem& e) {
    auto it = by_key_.find(key(e.source, e.external_id));
    return it == by_key_.end() ? nullptr : &it->second;
  }
  std::optional<Id> id_of_sku(const std::string& sku) const {
    auto it = by_sku_.find(sku);
    return it == by_sku_.end() ? std::nullopt : std::optional<Id>(it->second);
  }
  void remember(Product p) {
    by_sku_.insert_or_assign(p.sku, p.id);
    by_key_.insert_or_assign(key(p.source, p.external_id), std::move(p));
  }
  // A product taken over by another external id is no longer known by its old one.
  void forget(const Product& p) { by_key_.erase(key(p.source, p.external_id)); }

 private:
  static std::string key(const std::string& source, const std::string& external_id) {
    std::string k = source;
    k += '\0';
    return k += external_id;
  }
  std::unordered_map<std::string, Product> by_key_;
  std::unordered_map<std::string, Id> by_sku_;
};

// What a chunk writes besides the products' rows, gathered while it is applied and
// inserted several rows per statement (store::insert_rows) before import_catalog
// returns: the events and the new price rows. Nothing else of the chunk writes events,
// so they keep their order and seq; nothing reads a price row before flush_prices. A
// failure of these inserts fails the chunk, whose transaction then rolls back whole.
class ChunkWrites {
 public:
  // Sized for the chunk up front: growing by doubling moved every gathered event again.
  explicit ChunkWrites(std::size_t entries) {
    events_.reserve(entries);
    prices_.reserve(2 * entries);
  }

  // Takes an event as append_event would (save_if_changed and log_created call it so).
  Status operator()(EngineState& s, const Actor& actor, const std::string& type, const std::string& entity,
                    Id entity_id, std::string payload) {
    Event& e = events_.emplace_back();
    e.at = s.now();
    e.actor_id = actor.user_id;
    e.type = type;
    e.entity = entity;
    e.entity_id = entity_id;
    e.payload = std::move(payload);
    return Status::ok();
  }

  void add_prices(std::vector<store::PriceRow>&& rows) {
    for (auto& r : rows) prices_.push_back(std::move(r));
  }

  // Before a product's price rows are deleted or read, the gathered ones go in.
  Status flush_prices(EngineState& s) {
    SC_RETURN_IF_ERROR(store::insert_price_rows(*s.conn, prices_));
    prices_.clear();
    return Status::ok();
  }

  Status flush(EngineState& s) {
    SC_RETURN_IF_ERROR(flush_prices(s));
    SC_RETURN_IF_ERROR(store::insert_events(*s.conn, events_));
    events_.clear();
    return Status::ok();
  }

 private:
  std::vector<store::PriceRow> prices_;
  std::vector<Event> events_;
};

// `after` over `before`, as ProductService::update does it, but writing only what
// changed. `after` ends as the product stored.
Result<WriteOutcome> save_changes(EngineState& s, const Actor& actor, ChunkWrites& writes, const Product& before,
                                  Product& after) {
  after.id = before.id;
  after.created_at = before.created_at;
  after.updated_at = before.updated_at;
  SC_RETURN_IF_ERROR(validate_product(s, after));
  // Most of a catalog sent again: equal in every member, so no field can differ.
  if (after == before) return WriteOutcome::kUnchanged;
  return save_if_changed(
      s, actor, "product", before, after,
      [&](const Product& p) -> Status {
        SC_RETURN_IF_ERROR(store::update_product_columns(*s.conn, before, p));
        if (before.prices == p.prices) return Status::ok();
        store::PriceChanges prices = store::price_changes(p.id, before.prices, p.prices);
        if (!prices.removed.empty()) {
          SC_RETURN_IF_ERROR(writes.flush_prices(s));  // one of them may be a row gathered for this product
          SC_RETURN_IF_ERROR(store::delete_prices(*s.conn, p.id, prices.removed));
        }
        writes.add_prices(std::move(prices.added));
        return Status::ok();
      },
      writes);
}

// `e` is used up: its text moves into the product.
Result<WriteOutcome> import_entry(EngineState& s, const Actor& actor, ChunkProducts& chunk, ChunkWrites& writes,
                                  CatalogItem& e) {
  if (e.source.empty() || e.external_id.empty()) return need_source_key(e.source, e.external_id);
  if (Product* known = chunk.known(e)) {
    Product after = *known;
    apply_patch(after, std::move(e.patch));
    SC_ASSIGN_OR_RETURN(auto outcome, save_changes(s, actor, writes, *known, after));
    if (outcome != WriteOutcome::kUnchanged) *known = std::move(after);  // same key, same SKU
    return outcome;
  }
  std::string sku = sku_of(e);
  if (auto same_sku = chunk.id_of_sku(sku)) {
    // A product entered by hand (or by another source) with this SKU: the import takes
    // it over, as ProductService::upsert does.
    SC_RETURN_IF_ERROR(writes.flush_prices(s));  // it may be a product of this chunk
    SC_ASSIGN_OR_RETURN(auto taken, store::load_product(*s.conn, *same_sku));
    if (!taken) return not_found("product", *same_sku);
    chunk.forget(*taken);
    Product after = *taken;
    apply_patch(after, std::move(e.patch));
    after.source = std::move(e.source);
    after.external_id = std::move(e.external_id);
    SC_ASSIGN_OR_RETURN(auto outcome, save_changes(s, actor, writes, *taken, after));
    chunk.remember(std::move(after));
    return outcome;
  }
  Product p;
  p.sku = std::move(sku);
  apply_patch(p, std::move(e.patch));
  p.source = std::move(e.source);
  p.external_id = std::move(e.external_id);
  SC_RETURN_IF_ERROR(validate_product(s, p));
  p.created_at = p.updated_at = s.now();
  SC_ASSIGN_OR_RETURN(p.id, store::insert_product_row(*s.conn, p));
  writes.add_prices(store::price_changes(p.id, {}, p.prices).added);
  SC_RETURN_IF_ERROR(log_created(s, actor, "product", p, writes));
  chunk.remember(std::move(p));
  return WriteOutcome::kCreated;
}

}  // namespace

Status ProductService::import_catalog(const Actor& actor, std::vector<CatalogItem> entries, CatalogImport* report) {
  CatalogImport counted;
  Status st = in_write_tx(*s_, [&]() -> Status {
    if (entries.empty()) return Status::ok();
    if (Status rights = check_catalog_rights(*s_, actor, 0); !rights.is_ok()) {
      counted.refused = 0;
      return rights;
    }
    ChunkProducts chunk;
    SC_RETURN_IF_ERROR(chunk.load(*s_, entries));
    ChunkWrites writes(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
      auto outcome = import_entry(*s_, actor, chunk, writes, entries[i]);
      if (!outcome.ok()) {
        counted.refused = i;
        return outcome.status();
      }
      ++(*outcome == WriteOutcome::kCreated   ? counted.created
         : *outcome == WriteOutcome::kUpdated ? counted.updated
                                              : counted.unchanged);
    }
    if (Status written = writes.flush(*s_); !written.is_ok()) {
      counted.refused = entries.size() - 1;  // not one entry's fault: the last one is named
      return written;
    }
    return Status::ok();
  });
  if (report) *report = counted;
  return st;
}

}  // namespace salescore
