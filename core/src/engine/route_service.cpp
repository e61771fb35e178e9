// Route sales: outlet channels, routes per rep and weekday, must-have SKU lists, visits
// and the suggested order (docs/rules.md "Route sales").
#include <algorithm>
#include <set>

#include "engine/record_writes.h"
#include "rules/access.h"
#include "salescore/routes.h"
#include "store/catalog_rows.h"
#include "store/client_rows.h"
#include "store/order_rows.h"
#include "store/route_rows.h"

namespace salescore {
using namespace detail;

namespace {

constexpr std::int64_t kDayMs = 86'400'000;
// The sales history behind a suggested order, and the cover it aims for.
constexpr int kHistoryWeeks = 8;
constexpr int kCoverWeeks = 2;

// ISO weekday (1 Monday .. 7 Sunday) of `t` in UTC. 1970-01-01 was a Thursday (4).
int utc_weekday(Instant t) {
  std::int64_t days = t.ms / kDayMs;
  if (t.ms % kDayMs < 0) --days;  // floor, for instants before 1970
  return static_cast<int>(((days % 7 + 7) % 7 + 3) % 7) + 1;
}

// Channels are keys shared between outlets and must-have lists, so one spelling only.
bool valid_channel(const std::string& c) {
  if (c.empty() || c.size() > 64) return false;
  return std::all_of(c.begin(), c.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
  });
}

Status check_rep(EngineState& s, const Actor& actor, const Scope& scope, Id rep_id, const char* action,
                 const std::string& entity, Id id) {
  if (rep_id == 0) return Status::invalid("invalid " + entity + ": rep_id: required", {{"rep_id", "required"}});
  SC_RETURN_IF_ERROR(check_user_exists(s, rep_id, "rep_id"));
  if (!scope.owns(rep_id)) return deny(s, actor, action, entity, id, "the rep is outside your team");
  return Status::ok();
}

Result<bool> client_exists(EngineState& s, Id client_id) {
  SC_ASSIGN_OR_RETURN(auto owner, store::client_owner(*s.conn, client_id));
  return owner.has_value();
}

// An outlet is a client: whoever touches it through a route, a visit, its stock or its
// suggested order needs the same access as clients().get, so a route is no side door
// to a colleague's client and its purchase history.
Status check_outlet(EngineState& s, const Actor& actor, const Scope& scope, Id outlet_id, const char* action,
                    const std::string& entity, Id id) {
  SC_ASSIGN_OR_RETURN(bool covered, covers_client_id(s, scope, outlet_id));
  if (covered) return Status::ok();
  return deny(s, actor, action, entity, id, "client " + std::to_string(outlet_id) + " is not one of your clients");
}

// A rep works only their own outlets (with their deputies' and, for a head, the
// department's): a head or a director cannot put a client on a route, or check a rep in
// at it, that the rep could not then open.
Status check_rep_works(EngineState& s, const Actor& actor, Id rep_id, Id outlet_id, const char* action,
                       const std::string& entity, Id id) {
  if (rep_id == actor.user_id) return Status::ok();  // the actor's own scope was checked
  SC_ASSIGN_OR_RETURN(Scope rep_scope, scope_of(s, Actor{rep_id, Role::kManager}));
  SC_ASSIGN_OR_RETURN(bool works, covers_client_id(s, rep_scope, outlet_id));
  if (works) return Status::ok();
  return deny(s, actor, action, entity, id,
              "rep " + std::to_string(rep_id) + " does not work client " + std::to_string(outlet_id));
}

Result<Visit> load_or_not_found(EngineState& s, Id id) {
  SC_ASSIGN_OR_RETURN(auto v, store::load_visit(*s.conn, id));
  if (!v) return not_found("visit", id);
  return std::move(*v);
}

// Whether acting on a visit needs its outlet as well as its rep. Closing one does not:
// it reads no client data, and a rep whose outlet was handed over meanwhile must still be
// able to close the visit to check in elsewhere.
enum class VisitReach { kRepAndOutlet, kRepOnly };

// Loads a visit the actor may act on: their own, or a rep's in their team, at an outlet
// they may see.
Result<Visit> visit_for(EngineState& s, const Actor& actor, Id id, const char* action,
                        VisitReach reach = VisitReach::kRepAndOutlet) {
  SC_ASSIGN_OR_RETURN(Visit v, load_or_not_found(s, id));
  SC_ASSIGN_OR_RETURN(Scope scope, scope_of(s, actor));
  if (!scope.owns(v.rep_id)) return deny(s, actor, action, "visit", id, "the visit is another rep's");
  if (reach == VisitReach::kRepAndOutlet)
    SC_RETURN_IF_ERROR(check_outlet(s, actor, scope, v.outlet_id, action, "visit", id));
  return v;
}

// What a list of visits shows: the visits of the reps in scope at the outlets in scope.
std::string visible_visits(const Scope& scope) {
  if (scope.everything) return "";
  return scope.condition("rep_id", "") + " AND client_id IN (SELECT id FROM clients WHERE " +
         scope.condition("owner_id", "source", "assistant_id") + ")";
}

Status require_open(const Visit& v) {
  if (!v.checked_out_at) return Status::ok();
  return Status(Code::kFailedPrecondition, "visit " + std::to_string(v.id) + " is already checked out", {},
                "visit_closed");
}

// An outlet without a channel has no must-have list.
Result<std::vector<std::string>> must_have_of(EngineState& s, const std::string& channel) {
  if (channel.empty()) return std::vector<std::string>{};
  return store::must_have_skus(*s.conn, channel);
}

std::string ids_json(const std::vector<Id>& ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  return out + "]";
}

Status log_visit(EngineState& s, const Actor& actor, const std::string& type, const Visit& v) {
  return append_event(s, actor, "visit." + type, "visit", v.id, fields_of(v).to_json());
}

Result<Route> load_route(EngineState& s, Id rep_id, int weekday) {
  Route r;
  r.rep_id = rep_id;
  r.weekday = weekday;
  SC_ASSIGN_OR_RETURN(r.outlet_ids, store::route_outlets(*s.conn, rep_id, weekday));
  return r;
}

Result<Route> read_route(EngineState& s, const Actor& actor, Id rep_id, int weekday) {
  if (weekday < 1 || weekday > 7)
    return Status::invalid("invalid route: weekday: must be 1 (Monday) to 7 (Sunday)",
                           {{"weekday", "must be 1 (Monday) to 7 (Sunday)"}});
  SC_ASSIGN_OR_RETURN(Scope scope, scope_of(s, actor));
  SC_RETURN_IF_ERROR(check_rep(s, actor, scope, rep_id, "read", "route", rep_id));
  SC_ASSIGN_OR_RETURN(Route route, load_route(s, rep_id, weekday));
  // Like any list, a route leaves out what the reader may not see: an outlet handed to
  // another department since the route was set.
  std::vector<Id> visible;
  for (Id outlet : route.outlet_ids) {
    SC_ASSIGN_OR_RETURN(bool covered, covers_client_id(s, scope, outlet));
    if (covered) visible.push_back(outlet);
  }
  route.outlet_ids = std::move(visible);
  return route;
}

}  // namespace

// ---- outlets and routes ----

Status RouteService::set_channel(const Actor& actor, Id outlet_id, const std::string& channel) {
  return write<bool>(*s_, [&]() -> Result<bool> {
           FieldErrors errors;
           if (!valid_channel(channel)) errors.add("channel", "a lower-case word such as \"supermarket\"");
           SC_ASSIGN_OR_RETURN(bool exists, client_exists(*s_, outlet_id));
           if (!exists) errors.add("outlet_id", "client " + std::to_string(outlet_id) + " does not exist");
           SC_RETURN_IF_ERROR(errors.to_status("outlet"));
           SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
           SC_RETURN_IF_ERROR(check_outlet(*s_, actor, scope, outlet_id, "change", "client", outlet_id));
           SC_ASSIGN_OR_RETURN(std::string before, store::outlet_channel(*s_->conn, outlet_id));
           if (before == channel) return false;  // unchanged: no write, no event
           SC_RETURN_IF_ERROR(store::upsert_outlet_channel(*s_->conn, outlet_id, channel, s_->now()));
           FieldList f;
           f.string("channel", channel);
           SC_RETURN_IF_ERROR(append_event(*s_, actor, "outlet.channel_set", "client", outlet_id, f.to_json()));
           return true;
         })
      .status();
}

Result<std::string> RouteService::channel(const Actor& actor, Id outlet_id) {
  return read<std::string>(*s_, [&]() -> Result<std::string> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    SC_ASSIGN_OR_RETURN(bool exists, client_exists(*s_, outlet_id));
    if (!exists) return not_found("client", outlet_id);
    SC_RETURN_IF_ERROR(check_outlet(*s_, actor, scope, outlet_id, "read", "client", outlet_id));
    return store::outlet_channel(*s_->conn, outlet_id);
  });
}

Result<Route> RouteService::set(const Actor& actor, Id rep_id, int weekday, const std::vector<Id>& outlet_ids) {
  return write<Route>(*s_, [&]() -> Result<Route> {
    FieldErrors errors;
    if (rep_id == 0) errors.add("rep_id", "required");
    else errors.check("rep_id", check_user_exists(*s_, rep_id, "rep_id"));
    if (weekday < 1 || weekday > 7) errors.add("weekday", "must be 1 (Monday) to 7 (Sunday)");
    std::set<Id> seen;
    for (std::size_t i = 0; i < outlet_ids.size(); ++i) {
      const std::string field = "outlet_ids[" + std::to_string(i) + "]";
      SC_ASSIGN_OR_RETURN(bool exists, client_exists(*s_, outlet_ids[i]));
      if (!exists) errors.add(field, "client " + std::to_string(outlet_ids[i]) + " does not exist");
      else if (!seen.insert(outlet_ids[i]).second) errors.add(field, "appears twice on the route");
    }
    SC_RETURN_IF_ERROR(errors.to_status("route"));
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    SC_RETURN_IF_ERROR(check_rep(*s_, actor, scope, rep_id, "change", "route", rep_id));
    for (Id outlet : outlet_ids) {
      SC_RETURN_IF_ERROR(check_outlet(*s_, actor, scope, outlet, "change", "route", rep_id));
      SC_RETURN_IF_ERROR(check_rep_works(*s_, actor, rep_id, outlet, "change", "route", rep_id));
    }
    SC_ASSIGN_OR_RETURN(Route before, load_route(*s_, rep_id, weekday));
    if (before.outlet_ids == outlet_ids) return before;
    SC_RETURN_IF_ERROR(store::replace_route(*s_->conn, rep_id, weekday, outlet_ids));
    FieldList f;
    f.id("rep_id", rep_id);
    f.number("weekday", weekday);
    f.json("outlet_ids", ids_json(outlet_ids));
    SC_RETURN_IF_ERROR(append_event(*s_, actor, "route.set", "route", rep_id, f.to_json()));
    return Route{rep_id, weekday, outlet_ids};
  });
}

Result<Route> RouteService::get(const Actor& actor, Id rep_id, int weekday) {
  return read<Route>(*s_, [&] { return read_route(*s_, actor, rep_id, weekday); });
}

Result<Route> RouteService::plan(const Actor& actor, Id rep_id, Instant date) {
  return read<Route>(*s_, [&] { return read_route(*s_, actor, rep_id, utc_weekday(date)); });
}

// ---- must-have SKUs ----

Status MustHaveService::set(const Actor& actor, const std::string& channel, const std::vector<std::string>& skus) {
  return write<bool>(*s_, [&]() -> Result<bool> {
           FieldErrors errors;
           if (!valid_channel(channel)) errors.add("channel", "a lower-case word such as \"supermarket\"");
           std::set<std::string> seen;
           for (std::size_t i = 0; i < skus.size(); ++i) {
             const std::string field = "skus[" + std::to_string(i) + "]";
             if (skus[i].empty()) errors.add(field, "required");
             else if (!seen.insert(skus[i]).second) errors.add(field, "'" + skus[i] + "' appears twice");
           }
           SC_RETURN_IF_ERROR(errors.to_status("must-have list"));
           SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
           if (!scope.may_manage_catalog()) return deny(*s_, actor, "change", "must_have", 0);
           SC_ASSIGN_OR_RETURN(auto before, store::must_have_skus(*s_->conn, channel));
           if (before == skus) return false;
           SC_RETURN_IF_ERROR(store::replace_must_have(*s_->conn, channel, skus));
           FieldList f;
           f.string("channel", channel);
           f.json("skus", json_of(skus));
           SC_RETURN_IF_ERROR(append_event(*s_, actor, "must_have.set", "must_have", 0, f.to_json()));
           return true;
         })
      .status();
}

Result<std::vector<std::string>> MustHaveService::get(const Actor& actor, const std::string& channel) {
  return read<std::vector<std::string>>(*s_, [&]() -> Result<std::vector<std::string>> {
    SC_RETURN_IF_ERROR(scope_of(*s_, actor).status());  // any active user may read the lists
    return store::must_have_skus(*s_->conn, channel);
  });
}

// ---- visits ----

Result<Visit> VisitService::check_in(const Actor& actor, Id rep_id, Id outlet_id) {
  return write<Visit>(*s_, [&]() -> Result<Visit> {
    FieldErrors errors;
    if (rep_id == 0) errors.add("rep_id", "required");
    else errors.check("rep_id", check_user_exists(*s_, rep_id, "rep_id"));
    if (outlet_id == 0) {
      errors.add("outlet_id", "required");
    } else {
      SC_ASSIGN_OR_RETURN(bool exists, client_exists(*s_, outlet_id));
      if (!exists) errors.add("outlet_id", "client " + std::to_string(outlet_id) + " does not exist");
    }
    SC_RETURN_IF_ERROR(errors.to_status("visit"));
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    SC_RETURN_IF_ERROR(check_rep(*s_, actor, scope, rep_id, "create", "visit", 0));
    SC_RETURN_IF_ERROR(check_outlet(*s_, actor, scope, outlet_id, "create", "visit", 0));
    SC_RETURN_IF_ERROR(check_rep_works(*s_, actor, rep_id, outlet_id, "create", "visit", 0));
    SC_ASSIGN_OR_RETURN(auto open, store::open_visit_of(*s_->conn, rep_id));
    if (open)
      return Status(Code::kFailedPrecondition,
                    "the rep has visit " + std::to_string(open->id) + " open (outlet " +
                        std::to_string(open->outlet_id) + "): check out of it first",
                    {{"visit_id", std::to_string(open->id)}}, "visit_open");
    Visit v;
    v.rep_id = rep_id;
    v.outlet_id = outlet_id;
    v.checked_in_at = v.created_at = v.updated_at = s_->now();
    SC_ASSIGN_OR_RETURN(auto route, store::route_outlets(*s_->conn, rep_id, utc_weekday(v.checked_in_at)));
    v.planned = std::find(route.begin(), route.end(), outlet_id) != route.end();
    SC_ASSIGN_OR_RETURN(v.id, store::insert_visit(*s_->conn, v));
    SC_RETURN_IF_ERROR(kpi_changed(*s_, static_cast<const Visit*>(nullptr), &v));
    SC_RETURN_IF_ERROR(log_visit(*s_, actor, "checked_in", v));
    return v;
  });
}

Result<Visit> VisitService::record_stock(const Actor& actor, Id visit_id,
                                         const std::map<std::string, Quantity>& stock) {
  return write<Visit>(*s_, [&]() -> Result<Visit> {
    FieldErrors errors;
    for (const auto& [sku, qty] : stock) {
      if (sku.empty()) errors.add("stock", "a SKU is required");
      else if (qty.milli < 0) errors.add("stock[" + sku + "]", "cannot be negative");
    }
    SC_RETURN_IF_ERROR(errors.to_status("stock"));
    SC_ASSIGN_OR_RETURN(Visit v, visit_for(*s_, actor, visit_id, "change"));
    SC_RETURN_IF_ERROR(require_open(v));
    SC_ASSIGN_OR_RETURN(std::string channel, store::outlet_channel(*s_->conn, v.outlet_id));
    SC_ASSIGN_OR_RETURN(auto must_have, must_have_of(*s_, channel));
    v.stock = stock;
    v.missing_must_have.clear();
    for (const auto& sku : must_have) {
      auto it = stock.find(sku);
      if (it == stock.end() || it->second.milli <= 0) v.missing_must_have.push_back(sku);
    }
    v.stock_recorded_at = v.updated_at = s_->now();
    SC_RETURN_IF_ERROR(store::replace_visit_stock(*s_->conn, v.id, v.stock));
    SC_RETURN_IF_ERROR(store::update_visit(*s_->conn, v));
    SC_RETURN_IF_ERROR(log_visit(*s_, actor, "stock_recorded", v));
    return v;
  });
}

Result<Visit> VisitService::attach_order(const Actor& actor, Id visit_id, Id order_id) {
  return write<Visit>(*s_, [&]() -> Result<Visit> {
    SC_ASSIGN_OR_RETURN(Visit v, visit_for(*s_, actor, visit_id, "change"));
    SC_RETURN_IF_ERROR(require_open(v));
    SC_ASSIGN_OR_RETURN(auto order, store::load_order(*s_->conn, order_id));
    FieldErrors errors;
    if (!order) errors.add("order_id", "order " + std::to_string(order_id) + " does not exist");
    else if (order->client_id != v.outlet_id) errors.add("order_id", "the order is for another client");
    SC_RETURN_IF_ERROR(errors.to_status("visit"));
    if (v.order_id == order_id) return v;
    const Visit before = v;
    v.order_id = order_id;
    v.updated_at = s_->now();
    SC_RETURN_IF_ERROR(store::update_visit(*s_->conn, v));
    SC_RETURN_IF_ERROR(kpi_changed(*s_, &before, &v));
    SC_RETURN_IF_ERROR(log_visit(*s_, actor, "order_taken", v));
    return v;
  });
}

Result<Visit> VisitService::check_out(const Actor& actor, Id visit_id) {
  return write<Visit>(*s_, [&]() -> Result<Visit> {
    SC_ASSIGN_OR_RETURN(Visit v, visit_for(*s_, actor, visit_id, "change", VisitReach::kRepOnly));
    SC_RETURN_IF_ERROR(require_open(v));
    v.checked_out_at = v.updated_at = s_->now();
    SC_RETURN_IF_ERROR(store::update_visit(*s_->conn, v));
    SC_RETURN_IF_ERROR(log_visit(*s_, actor, "checked_out", v));
    return v;
  });
}

Result<Visit> VisitService::get(const Actor& actor, Id visit_id) {
  return read<Visit>(*s_, [&] { return visit_for(*s_, actor, visit_id, "read"); });
}

Result<std::vector<Visit>> VisitService::find(const Actor& actor, const VisitQuery& query) {
  return read<std::vector<Visit>>(*s_, [&]() -> Result<std::vector<Visit>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::find_visits(*s_->conn, query, visible_visits(scope));
  });
}

Result<std::int64_t> VisitService::count(const Actor& actor, const VisitQuery& query) {
  return read<std::int64_t>(*s_, [&]() -> Result<std::int64_t> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::count_visits(*s_->conn, query, visible_visits(scope));
  });
}

Result<std::optional<Visit>> VisitService::open_visit(const Actor& actor, Id rep_id) {
  return read<std::optional<Visit>>(*s_, [&]() -> Result<std::optional<Visit>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    SC_RETURN_IF_ERROR(check_rep(*s_, actor, scope, rep_id, "read", "visit", 0));
    SC_ASSIGN_OR_RETURN(auto open, store::open_visit_of(*s_->conn, rep_id));
    if (open) SC_RETURN_IF_ERROR(check_outlet(*s_, actor, scope, open->outlet_id, "read", "visit", open->id));
    return open;
  });
}

Result<SuggestedOrder> VisitService::suggest_order(const Actor& actor, Id visit_id) {
  return read<SuggestedOrder>(*s_, [&]() -> Result<SuggestedOrder> {
    SC_ASSIGN_OR_RETURN(Visit v, visit_for(*s_, actor, visit_id, "read"));
    SC_ASSIGN_OR_RETURN(auto outlet, store::load_client(*s_->conn, v.outlet_id));
    if (!outlet) return not_found("client", v.outlet_id);
    SC_ASSIGN_OR_RETURN(std::string channel, store::outlet_channel(*s_->conn, v.outlet_id));
    SC_ASSIGN_OR_RETURN(auto must_have, must_have_of(*s_, channel));
    // The window ends at check-in, so the order taken at this visit does not feed its
    // own suggestion.
    const Instant from{v.checked_in_at.ms - kHistoryWeeks * 7 * kDayMs};
    SC_ASSIGN_OR_RETURN(auto sold, store::sold_to_client(*s_->conn, v.outlet_id, from, v.checked_in_at));

    SuggestedOrder out;
    out.visit_id = v.id;
    out.outlet_id = v.outlet_id;
    out.price_type = outlet->price_type;
    std::set<std::string> skus;
    for (const auto& [sku, qty] : sold) skus.insert(sku);
    skus.insert(must_have.begin(), must_have.end());
    for (const auto& sku : skus) {
      SuggestedLine line;
      line.sku = sku;
      line.sold = sold.count(sku) ? sold.at(sku) : Quantity{};
      line.stock_seen = v.stock.count(sku) ? v.stock.at(sku) : Quantity{};
      line.must_have = std::find(must_have.begin(), must_have.end(), sku) != must_have.end();
      // target = sold / weeks * cover weeks, rounded up to whole units (integer milli:
      // no floating point, so 16 units over 8 weeks is exactly 4).
      const std::int64_t cover_milli = std::max<std::int64_t>(line.sold.milli, 0) * kCoverWeeks;
      const std::int64_t per = static_cast<std::int64_t>(kHistoryWeeks) * 1000;
      const std::int64_t target_units = (cover_milli + per - 1) / per;
      std::int64_t need = target_units * 1000 - line.stock_seen.milli;
      if (line.must_have && line.stock_seen.milli <= 0) need = std::max<std::int64_t>(need, 1000);
      if (need <= 0) continue;
      line.quantity = Quantity{(need + 999) / 1000 * 1000};  // whole units are ordered
      SC_ASSIGN_OR_RETURN(auto product_id, store::product_id_by_sku(*s_->conn, sku));
      if (product_id) {
        line.product_id = *product_id;
        SC_ASSIGN_OR_RETURN(auto product, store::load_product(*s_->conn, *product_id));
        if (product && !out.price_type.empty()) {
          auto price = product->prices.find(out.price_type);
          if (price != product->prices.end()) {
            line.price_minor = price->second.minor;
            if (out.currency.empty()) out.currency = price->second.currency;
          }
        }
      }
      line.amount_minor = line_amount(line.price_minor, line.quantity);
      out.total_minor += line.amount_minor;
      out.lines.push_back(std::move(line));
    }
    if (out.currency.empty()) out.currency = s_->config.currency;
    return out;
  });
}

}  // namespace salescore
