// Route sales: outlets visited on a fixed route, visits with the stock seen and the
// order taken, must-have SKU lists per outlet channel, and the suggested order.
//
// An outlet is a client with an outlet channel ("supermarket", "kiosk", "horeca"); a
// route is a rep's ordered list of outlets for one weekday. The services are handed
// out by the Engine (engine.routes(), .visits(), .must_have()); like every service
// they take the acting user and answer expected failures with Status.
//
// Access: besides managing the rep (themself, their team), whoever touches an outlet —
// through a route, a visit, its stock or its suggested order — needs the same access to
// that client as clients().get, and a rep is routed and checked in only at outlets they
// work (docs/rules.md "Route sales").
//
// Included by engine.h once Saved and Page are declared; it includes engine.h first so
// it may also be included on its own (see approvals.h for why the guard comes after).
#include "salescore/engine.h"

#ifndef SALESCORE_ROUTES_H_
#define SALESCORE_ROUTES_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "salescore/model.h"
#include "salescore/record_fields.h"

namespace salescore {

namespace detail {
struct EngineState;
}

// A rep's outlets for one weekday, in visiting order. Weekday is ISO: 1 Monday .. 7 Sunday.
struct Route {
  Id rep_id = 0;
  int weekday = 0;
  std::vector<Id> outlet_ids;
};

struct Visit {
  Id id = 0;
  Id rep_id = 0;
  Id outlet_id = 0;   // a client
  bool planned = false;  // the outlet is on the rep's route for the check-in day (UTC)
  Instant checked_in_at;
  std::optional<Instant> checked_out_at;  // none while the visit is open
  std::map<std::string, Quantity> stock;  // SKU -> quantity seen on the shelf
  std::optional<Instant> stock_recorded_at;
  // The channel's must-have SKUs not seen (quantity 0 or absent) when stock was last
  // recorded. A snapshot: a later change of the list does not rewrite old visits.
  std::vector<std::string> missing_must_have;
  Id order_id = 0;  // the order taken at this visit, if any
  Instant created_at;
  Instant updated_at;
};

struct VisitQuery {
  std::optional<Id> rep_id, outlet_id;
  std::optional<Instant> from, to;  // checked_in_at in [from, to)
  std::optional<bool> open;         // true: not checked out yet; false: checked out
  Page page;
};

struct SuggestedLine {
  std::string sku;
  Id product_id = 0;       // 0 when the catalog does not know the SKU
  Quantity quantity;       // what to order
  Quantity sold;           // sold to the outlet over the history window
  Quantity stock_seen;
  bool must_have = false;
  std::int64_t price_minor = 0;   // per unit for the outlet's price type; 0 when unknown
  std::int64_t amount_minor = 0;  // price * quantity
};

// The suggested order (建议订单) for a visit; docs/rules.md "Route sales" has the formula.
struct SuggestedOrder {
  Id visit_id = 0;
  Id outlet_id = 0;
  std::string price_type;
  std::string currency;  // the prices' currency, or the configured one
  std::vector<SuggestedLine> lines;  // sorted by SKU
  std::int64_t total_minor = 0;
};

class RouteService {
 public:
  explicit RouteService(detail::EngineState* s) : s_(s) {}
  // Sets an outlet's channel. Whoever may see the client may set it; the channel is a
  // lower-case word ("supermarket").
  Status set_channel(const Actor& actor, Id outlet_id, const std::string& channel);
  // "" when the outlet has no channel yet.
  Result<std::string> channel(const Actor& actor, Id outlet_id);
  // Replaces the rep's route for `weekday` (1-7) with `outlet_ids`, in that order. The
  // rep themself, their head, a director or an admin may do it, with outlets that both
  // the actor and the rep may see.
  Result<Route> set(const Actor& actor, Id rep_id, int weekday, const std::vector<Id>& outlet_ids);
  // Lists only the outlets the reader may see.
  Result<Route> get(const Actor& actor, Id rep_id, int weekday);
  // The outlets planned for `date`: the route of its weekday, computed in UTC.
  Result<Route> plan(const Actor& actor, Id rep_id, Instant date);

 private:
  detail::EngineState* s_;
};

class MustHaveService {
 public:
  explicit MustHaveService(detail::EngineState* s) : s_(s) {}
  // Replaces the channel's must-have SKUs. Heads, directors and admins (those who may
  // manage the catalog) may set it.
  Status set(const Actor& actor, const std::string& channel, const std::vector<std::string>& skus);
  Result<std::vector<std::string>> get(const Actor& actor, const std::string& channel);

 private:
  detail::EngineState* s_;
};

class VisitService {
 public:
  explicit VisitService(detail::EngineState* s) : s_(s) {}
  // Opens a visit at the clock's now. A rep has one open visit at a time: a second
  // check-in is refused (failed_precondition, reason "visit_open") naming the open one.
  Result<Visit> check_in(const Actor& actor, Id rep_id, Id outlet_id);
  // Replaces the stock seen at the outlet and lists the missing must-have SKUs.
  Result<Visit> record_stock(const Actor& actor, Id visit_id, const std::map<std::string, Quantity>& stock);
  // Links the order taken at the visit: an existing order of the same outlet.
  Result<Visit> attach_order(const Actor& actor, Id visit_id, Id order_id);
  // Needs the rep only, not the outlet: a visit at an outlet handed over meanwhile can
  // still be closed.
  Result<Visit> check_out(const Actor& actor, Id visit_id);
  Result<Visit> get(const Actor& actor, Id visit_id);
  // The rep's open visit, if any.
  Result<std::optional<Visit>> open_visit(const Actor& actor, Id rep_id);
  // Visits of the reps the actor may see (themself, their team) at outlets they may see,
  // in id order.
  Result<std::vector<Visit>> find(const Actor& actor, const VisitQuery& query);
  Result<std::int64_t> count(const Actor& actor, const VisitQuery& query);
  // What the rep should offer the outlet, from its sales history and the stock seen.
  Result<SuggestedOrder> suggest_order(const Actor& actor, Id visit_id);

 private:
  detail::EngineState* s_;
};

FieldList fields_of(const Visit& v);

}  // namespace salescore

#endif  // SALESCORE_ROUTES_H_
