// Orders: lines priced and totalled by the engine, idempotent by (source, external_id).
// This is the ingest hot path (bench/run ingest), so it avoids loading whole records
// where an existence check will do.
#include <string_view>
#include <unordered_map>

#include "engine/record_writes.h"
#include "engine/segment_rules.h"
#include "rules/access.h"
#include "rules/intake.h"
#include "store/catalog_import_rows.h"
#include "store/catalog_rows.h"
#include "store/client_rows.h"
#include "store/order_rows.h"

namespace salescore {
using namespace detail;

namespace {

// Each line's product by its SKU: one query for all the lines (a round trip each was
// most of an order's cost on PostgreSQL), the prepared lookup for a one-line order.
Status link_products(EngineState& s, std::vector<OrderLine>& lines) {
  std::vector<std::string_view> skus;
  for (const OrderLine& l : lines)
    if (!l.sku.empty() && l.product_id == 0) skus.push_back(l.sku);
  if (skus.size() == 1) {
    for (OrderLine& l : lines)
      if (!l.sku.empty() && l.product_id == 0) {
        SC_ASSIGN_OR_RETURN(auto pid, store::product_id_by_sku(*s.conn, l.sku));
        if (pid) l.product_id = *pid;
      }
  }
  if (skus.size() <= 1) return Status::ok();
  SC_ASSIGN_OR_RETURN(auto found, skus.size() <= store::kFewSkus ? store::product_ids_of_few_skus(*s.conn, skus)
                                                                  : store::product_ids_by_skus(*s.conn, skus));
  std::unordered_map<std::string, Id> by_sku(found.begin(), found.end());
  for (OrderLine& l : lines) {
    if (l.sku.empty() || l.product_id != 0) continue;
    auto it = by_sku.find(l.sku);
    if (it != by_sku.end()) l.product_id = it->second;
  }
  return Status::ok();
}

Status validate_order(EngineState& s, Order& o) {
  FieldErrors errors;
  if (o.client_id == 0) {
    errors.add("client_id", "required");
  } else {
    SC_ASSIGN_OR_RETURN(auto owner, store::client_owner(*s.conn, o.client_id));
    if (!owner) errors.add("client_id", "client " + std::to_string(o.client_id) + " does not exist");
    else if (o.owner_id == 0) o.owner_id = *owner;  // the sale is credited to the client's manager
  }
  if (o.currency.empty()) o.currency = s.config.currency;
  if (!is_currency_code(o.currency)) errors.add("currency", "'" + o.currency + "' is not an ISO 4217 code");
  if (o.ordered_at.ms == 0) o.ordered_at = s.now();
  if (o.deal_id) {
    SC_ASSIGN_OR_RETURN(auto deal, store::load_deal(*s.conn, o.deal_id));
    if (!deal) errors.add("deal_id", "deal " + std::to_string(o.deal_id) + " does not exist");
    else if (deal->client_id != o.client_id)
      errors.add("deal_id", "deal " + std::to_string(o.deal_id) + " is with another client");
  }
  errors.check("owner_id", check_user_exists(s, o.owner_id, "owner_id"));
  std::int64_t total = 0;
  for (std::size_t i = 0; i < o.lines.size(); ++i) {
    OrderLine& l = o.lines[i];
    // The field name is only spelled out for a line that has an error (ingest hot path).
    auto at = [i](const char* field) { return "lines[" + std::to_string(i) + "]." + field; };
    if (l.sku.empty()) errors.add(at("sku"), "required");
    if (l.quantity.milli <= 0) errors.add(at("quantity"), "must be positive");
    if (l.price_minor < 0) errors.add(at("price"), "cannot be negative");
    if (l.discount_minor < 0) errors.add(at("discount"), "cannot be negative");
    std::int64_t gross = line_amount(l.price_minor, l.quantity);
    if (l.discount_minor > gross) errors.add(at("discount"), "exceeds the line amount " + format_amount(gross));
    l.amount_minor = gross - l.discount_minor;
    total += l.amount_minor;
  }
  o.total_minor = total;
  SC_RETURN_IF_ERROR(link_products(s, o.lines));
  check_mandatory(s, errors, "order", [&](const std::string& f) {
    if (f == "number") return !o.number.empty();
    if (f == "lines") return !o.lines.empty();
    if (f == "deal" || f == "deal_id") return o.deal_id != 0;
    if (f == "owner" || f == "owner_id") return o.owner_id != 0;
    return false;
  });
  return errors.to_status("order");
}

Result<Order> load_or_not_found(EngineState& s, Id id) {
  SC_ASSIGN_OR_RETURN(auto o, store::load_order(*s.conn, id));
  if (!o) return not_found("order", id);
  return std::move(*o);
}

// Whether an access check also asks for the order's client: taking an order on a client
// (or moving one to it) does; reading and changing one already taken do not.
enum class OrderReach { kOrder, kOrderAndClient };

// An order belongs to whoever is credited with it; taking one needs the client too, so a
// manager cannot credit themself with a sale to a colleague's client.
Status check_covers(EngineState& s, const Actor& actor, const Order& o, const char* action,
                    OrderReach reach = OrderReach::kOrder) {
  if (actor.user_id == 0) return Status::ok();  // the system itself: skip the lookups on bulk ingest
  SC_ASSIGN_OR_RETURN(Scope scope, scope_of(s, actor));
  if (!scope.covers_owned(o.owner_id, o.source)) return deny(s, actor, action, "order", o.id);
  if (reach == OrderReach::kOrder) return Status::ok();
  SC_ASSIGN_OR_RETURN(bool client_ok, may_refer_to_client(s, scope, o.client_id, o.source));
  if (client_ok) return Status::ok();
  return deny(s, actor, action, "order", o.id,
              "client " + std::to_string(o.client_id) + " is not one of your clients");
}

// The source key of an order `actor` writes (rules/intake.h). The system's own writes
// (bulk ingest) skip the lookup.
Status key_order(EngineState& s, const Actor& actor, Order& o) {
  if (actor.user_id == 0) return Status::ok();
  SC_ASSIGN_OR_RETURN(Scope scope, scope_of(s, actor));
  return key_by_source(scope, o.source, o.external_id);
}

// A new order is credited to its client's manager (validate_order); an integration
// user's order for a client nobody works yet goes to the manager on duty instead.
Status own_intake_order(EngineState& s, const Actor& actor, Order& o) {
  if (actor.user_id == 0 || o.owner_id != 0 || o.client_id == 0) return Status::ok();
  SC_ASSIGN_OR_RETURN(auto client_owner, store::client_owner(*s.conn, o.client_id));
  if (!client_owner || *client_owner != 0) return Status::ok();
  SC_ASSIGN_OR_RETURN(Scope scope, scope_of(s, actor));
  SC_ASSIGN_OR_RETURN(o.owner_id, intake_owner(s, scope));
  return Status::ok();
}

Result<Saved<Order>> insert_new(EngineState& s, const Actor& actor, Order o) {
  SC_RETURN_IF_ERROR(own_intake_order(s, actor, o));
  SC_RETURN_IF_ERROR(validate_order(s, o));
  SC_RETURN_IF_ERROR(check_covers(s, actor, o, "create", OrderReach::kOrderAndClient));
  o.created_at = o.updated_at = s.now();
  SC_ASSIGN_OR_RETURN(o.id, store::insert_order(*s.conn, o));
  if (o.number.empty()) {
    // Orders typed in without a number get one from their id, like 1C's own numbering.
    o.number = "SC-" + std::to_string(o.id);
    SC_RETURN_IF_ERROR(store::update_order(*s.conn, o, false));
  }
  SC_RETURN_IF_ERROR(log_created(s, actor, "order", o));
  // A purchase moves the client's segment at once (a new order makes them hot).
  SC_RETURN_IF_ERROR(segment_after_order(s, o, true));
  return Saved<Order>{std::move(o), WriteOutcome::kCreated, {}};
}

Result<Saved<Order>> save_over(EngineState& s, const Actor& actor, const Order& before, Order after) {
  SC_RETURN_IF_ERROR(check_covers(s, actor, before, "change"));
  after.id = before.id;
  after.created_at = before.created_at;
  after.updated_at = before.updated_at;
  if (after.number.empty()) after.number = before.number;
  SC_RETURN_IF_ERROR(validate_order(s, after));
  if (after.owner_id != before.owner_id) SC_RETURN_IF_ERROR(check_covers(s, actor, after, "hand over"));
  if (after.client_id != before.client_id)
    SC_RETURN_IF_ERROR(check_covers(s, actor, after, "move", OrderReach::kOrderAndClient));
  bool lines_changed = after.lines != before.lines;
  SC_ASSIGN_OR_RETURN(auto outcome, save_if_changed(s, actor, "order", before, after, [&](const Order& o) {
                        return store::update_order(*s.conn, o, lines_changed);
                      }));
  if (after.status != before.status || after.ordered_at != before.ordered_at || after.client_id != before.client_id) {
    SC_RETURN_IF_ERROR(segment_after_order(s, after, false));
    if (after.client_id != before.client_id) SC_RETURN_IF_ERROR(segment_after_order(s, before, false));
  }
  return Saved<Order>{std::move(after), outcome, {}};
}

}  // namespace

Result<Saved<Order>> OrderService::add(const Actor& actor, Order order) {
  return write<Saved<Order>>(*s_, [&]() -> Result<Saved<Order>> {
    SC_RETURN_IF_ERROR(key_order(*s_, actor, order));
    return insert_new(*s_, actor, std::move(order));
  });
}

Result<Order> OrderService::get(const Actor& actor, Id id) {
  return read<Order>(*s_, [&]() -> Result<Order> {
    SC_ASSIGN_OR_RETURN(Order o, load_or_not_found(*s_, id));
    SC_RETURN_IF_ERROR(check_covers(*s_, actor, o, "read"));
    return o;
  });
}

Result<Saved<Order>> OrderService::update(const Actor& actor, Id id, const OrderPatch& p) {
  return write<Saved<Order>>(*s_, [&]() -> Result<Saved<Order>> {
    SC_ASSIGN_OR_RETURN(Order before, load_or_not_found(*s_, id));
    Order after = before;
    if (p.number) after.number = *p.number;
    if (p.status) after.status = *p.status;
    if (p.lines) {
      after.lines = *p.lines;
      for (auto& l : after.lines) l.amount_minor = 0;
    }
    if (p.deal_id) after.deal_id = *p.deal_id;
    if (p.owner_id) after.owner_id = *p.owner_id;
    if (p.ordered_at) after.ordered_at = *p.ordered_at;
    if (p.custom) after.custom = *p.custom;
    return save_over(*s_, actor, before, std::move(after));
  });
}

Result<Saved<Order>> OrderService::upsert(const Actor& actor, Order order) {
  return write<Saved<Order>>(*s_, [&]() -> Result<Saved<Order>> {
    SC_RETURN_IF_ERROR(key_order(*s_, actor, order));
    SC_RETURN_IF_ERROR(need_source_key(order.source, order.external_id));
    SC_ASSIGN_OR_RETURN(auto existing, store::order_id_by_source(*s_->conn, order.source, order.external_id));
    if (!existing) return insert_new(*s_, actor, std::move(order));
    SC_ASSIGN_OR_RETURN(Order before, load_or_not_found(*s_, *existing));
    if (order.owner_id == 0) order.owner_id = before.owner_id;
    if (order.ordered_at.ms == 0) order.ordered_at = before.ordered_at;
    return save_over(*s_, actor, before, std::move(order));
  });
}

Result<std::vector<Order>> OrderService::find(const Actor& actor, const OrderQuery& query) {
  return read<std::vector<Order>>(*s_, [&]() -> Result<std::vector<Order>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::find_orders(*s_->conn, query, scope.condition("owner_id", "source"));
  });
}

Result<std::int64_t> OrderService::count(const Actor& actor, const OrderQuery& query) {
  return read<std::int64_t>(*s_, [&]() -> Result<std::int64_t> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::count_orders(*s_->conn, query, scope.condition("owner_id", "source"));
  });
}

Status OrderService::for_each(const Actor& actor, const std::function<bool(const Order&)>& visit) {
  auto done = read<bool>(*s_, [&]() -> Result<bool> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    SC_RETURN_IF_ERROR(store::each_order(*s_->conn, visit, scope.condition("owner_id", "source")));
    return true;
  });
  return done.ok() ? Status::ok() : done.status();
}

}  // namespace salescore
