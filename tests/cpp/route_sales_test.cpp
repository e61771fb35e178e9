#include <gtest/gtest.h>

#include <algorithm>

#include "engine_fixture.h"
#include "salescore/routes.h"

namespace salescore::testing {
namespace {

constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kWeek = 7 * kDay;

class RouteSalesTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    User h;
    h.login = "head";
    h.name = "Head";
    h.role = Role::kHead;
    head = engine->users().add(actor, h)->id;
    User r;
    r.login = "rep1";
    r.name = "Rep One";
    r.role = Role::kManager;
    r.head_id = head;
    rep = engine->users().add(actor, r)->id;
    other = add_manager("rep2");
    kiosk = add_outlet("Киоск у метро", "retail");
    shop = add_outlet("Магазин у дома", "retail");
    cafe = add_outlet("Кафе", "");
    ASSERT_TRUE(engine->routes().set_channel(actor, kiosk, "kiosk").is_ok());
    ASSERT_TRUE(engine->must_have().set(actor, "kiosk", {"TEA-1", "COFFEE-1"}).is_ok());
  }

  Id add_outlet(const std::string& name, const std::string& price_type) {
    Client c = client_named(name);
    c.owner_id = rep;
    c.price_type = price_type;
    auto r = engine->clients().add(actor, c);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->record.id : 0;
  }

  Id add_order(Id client, const std::string& sku, std::int64_t units, Instant at) {
    Order o;
    o.client_id = client;
    o.ordered_at = at;
    OrderLine l;
    l.sku = sku;
    l.quantity = Quantity::units(units);
    l.price_minor = 100'00;
    o.lines.push_back(l);
    auto r = engine->orders().add(actor, o);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->record.id : 0;
  }

  bool has_event(const std::string& type) {
    auto events = engine->events().since(0, 0);
    EXPECT_TRUE(events.ok());
    return std::any_of(events->begin(), events->end(), [&](const Event& e) { return e.type == type; });
  }

  Actor as_rep() const { return Actor{rep, Role::kManager}; }
  Actor as_other() const { return Actor{other, Role::kManager}; }
  Actor as_head() const { return Actor{head, Role::kHead}; }

  Id head = 0, rep = 0, other = 0, kiosk = 0, shop = 0, cafe = 0;
};

TEST_F(RouteSalesTest, PlanFollowsTheWeekdayInUtc) {
  ASSERT_TRUE(engine->routes().set(as_rep(), rep, 1, {shop, kiosk}).ok());
  ASSERT_TRUE(engine->routes().set(as_head(), rep, 2, {cafe}).ok());

  // kStartMs is Monday 09:00 UTC.
  EXPECT_EQ(engine->routes().plan(as_rep(), rep, Instant{kStartMs})->outlet_ids, (std::vector<Id>{shop, kiosk}));
  const std::int64_t monday_last_ms = kStartMs + 15 * 3'600'000LL - 1;  // 23:59:59.999 UTC
  EXPECT_EQ(engine->routes().plan(as_rep(), rep, Instant{monday_last_ms})->weekday, 1);
  auto tuesday = engine->routes().plan(as_rep(), rep, Instant{monday_last_ms + 1});
  EXPECT_EQ(tuesday->weekday, 2);
  EXPECT_EQ(tuesday->outlet_ids, (std::vector<Id>{cafe}));
  auto sunday = engine->routes().plan(as_rep(), rep, Instant{kStartMs + 6 * kDay});
  EXPECT_EQ(sunday->weekday, 7);
  EXPECT_TRUE(sunday->outlet_ids.empty());
  EXPECT_EQ(engine->routes().plan(as_rep(), rep, Instant{kStartMs + kWeek})->outlet_ids.size(), 2u);

  // set replaces the whole list.
  ASSERT_TRUE(engine->routes().set(as_rep(), rep, 1, {kiosk}).ok());
  EXPECT_EQ(engine->routes().get(as_rep(), rep, 1)->outlet_ids, (std::vector<Id>{kiosk}));
  EXPECT_TRUE(has_event("route.set"));
}

TEST_F(RouteSalesTest, CheckInAndOutMarkPlannedVisits) {
  ASSERT_TRUE(engine->routes().set(as_rep(), rep, 1, {kiosk}).ok());
  auto in = engine->visits().check_in(as_rep(), rep, kiosk);
  ASSERT_TRUE(in.ok()) << in.status().to_string();
  EXPECT_TRUE(in->planned);
  EXPECT_EQ(in->checked_in_at.ms, kStartMs);
  EXPECT_FALSE(in->checked_out_at.has_value());
  EXPECT_EQ((*engine->visits().open_visit(as_rep(), rep))->id, in->id);

  clock->advance_ms(20 * 60'000);
  auto out = engine->visits().check_out(as_rep(), in->id);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  EXPECT_EQ(out->checked_out_at->ms, kStartMs + 20 * 60'000);
  EXPECT_FALSE(engine->visits().open_visit(as_rep(), rep)->has_value());
  EXPECT_EQ(engine->visits().check_out(as_rep(), in->id).status().reason(), "visit_closed");

  auto unplanned = engine->visits().check_in(as_rep(), rep, cafe);
  ASSERT_TRUE(unplanned.ok());
  EXPECT_FALSE(unplanned->planned);
  EXPECT_TRUE(has_event("visit.checked_in"));
  EXPECT_TRUE(has_event("visit.checked_out"));
}

TEST_F(RouteSalesTest, ASecondOpenVisitIsRefusedNamingTheOpenOne) {
  auto first = engine->visits().check_in(as_rep(), rep, kiosk);
  ASSERT_TRUE(first.ok());
  auto second = engine->visits().check_in(as_rep(), rep, shop);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(second.status().reason(), "visit_open");
  EXPECT_NE(second.status().message().find("visit " + std::to_string(first->id)), std::string::npos);
  // Another rep is not blocked by it (at an outlet of their own: shop is rep's).
  Client own = client_named("Магазин второго");
  own.owner_id = other;
  Id other_shop = engine->clients().add(actor, own)->record.id;
  EXPECT_TRUE(engine->visits().check_in(as_other(), other, other_shop).ok());
}

TEST_F(RouteSalesTest, StockIsRecordedAndMissingMustHavesListed) {
  auto v = engine->visits().check_in(as_rep(), rep, kiosk);
  ASSERT_TRUE(v.ok());
  auto recorded = engine->visits().record_stock(
      as_rep(), v->id, {{"TEA-1", Quantity::units(5)}, {"COFFEE-1", Quantity{}}, {"JUICE-1", Quantity::units(2)}});
  ASSERT_TRUE(recorded.ok()) << recorded.status().to_string();
  EXPECT_EQ(recorded->missing_must_have, (std::vector<std::string>{"COFFEE-1"}));
  auto again = engine->visits().get(as_rep(), v->id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->stock.at("TEA-1"), Quantity::units(5));
  EXPECT_EQ(again->stock.size(), 3u);
  EXPECT_EQ(again->missing_must_have, (std::vector<std::string>{"COFFEE-1"}));
  EXPECT_TRUE(has_event("visit.stock_recorded"));

  // An outlet without a channel has no must-haves to miss.
  ASSERT_TRUE(engine->visits().check_out(as_rep(), v->id).ok());
  auto cafe_visit = engine->visits().check_in(as_rep(), rep, cafe);
  EXPECT_TRUE(engine->visits().record_stock(as_rep(), cafe_visit->id, {})->missing_must_have.empty());
}

TEST_F(RouteSalesTest, SuggestedOrderCoversTwoWeeksOfAverageSales) {
  Product tea;
  tea.sku = "TEA-1";
  tea.name = "Чай чёрный";
  tea.prices["retail"] = Money{120'00, "RUB"};
  ASSERT_TRUE(engine->products().add(actor, tea).ok());
  // TEA-1: 2 units a week for the 8 weeks before the visit (the oldest exactly 8 weeks
  // back, inside the window) = 16 units -> 2/week -> target 4; 10 units 9 weeks back
  // are outside the window.
  for (int k = 1; k <= 8; ++k) add_order(kiosk, "TEA-1", 2, Instant{kStartMs - k * kWeek});
  add_order(kiosk, "TEA-1", 10, Instant{kStartMs - 9 * kWeek});
  // JUICE-1: 3 units in 8 weeks -> 0.75 a week -> 1.5 -> target 2; stock 5 covers it.
  add_order(kiosk, "JUICE-1", 3, Instant{kStartMs - 2 * kWeek});
  // WATER-1: 1 unit -> 0.25 a week -> 0.5 -> rounded up to a target of 1; none seen.
  add_order(kiosk, "WATER-1", 1, Instant{kStartMs - 3 * kWeek});

  auto v = engine->visits().check_in(as_rep(), rep, kiosk);
  ASSERT_TRUE(engine->visits()
                  .record_stock(as_rep(), v->id, {{"TEA-1", Quantity::units(1)}, {"JUICE-1", Quantity::units(5)}})
                  .ok());
  auto s = engine->visits().suggest_order(as_rep(), v->id);
  ASSERT_TRUE(s.ok()) << s.status().to_string();
  ASSERT_EQ(s->lines.size(), 3u);
  EXPECT_EQ(s->lines[0].sku, "COFFEE-1");  // must-have never bought, none on the shelf: 1
  EXPECT_EQ(s->lines[0].quantity, Quantity::units(1));
  EXPECT_TRUE(s->lines[0].must_have);
  EXPECT_EQ(s->lines[0].price_minor, 0) << "no price known";
  EXPECT_EQ(s->lines[1].sku, "TEA-1");
  EXPECT_EQ(s->lines[1].sold, Quantity::units(16));
  EXPECT_EQ(s->lines[1].quantity, Quantity::units(3));  // 4 - 1 on the shelf
  EXPECT_EQ(s->lines[1].price_minor, 120'00);
  EXPECT_EQ(s->lines[1].amount_minor, 360'00);
  EXPECT_EQ(s->lines[2].sku, "WATER-1");
  EXPECT_EQ(s->lines[2].quantity, Quantity::units(1));
  EXPECT_EQ(s->total_minor, 360'00);
  EXPECT_EQ(s->currency, "RUB");

  // The order taken is linked to the visit; an order of another outlet is not.
  Id taken = add_order(kiosk, "TEA-1", 3, clock->now());
  auto linked = engine->visits().attach_order(as_rep(), v->id, taken);
  ASSERT_TRUE(linked.ok()) << linked.status().to_string();
  EXPECT_EQ(linked->order_id, taken);
  Id foreign = add_order(shop, "TEA-1", 1, clock->now());
  EXPECT_TRUE(engine->visits().attach_order(as_rep(), v->id, foreign).status().fields().count("order_id"));
  // The order taken at the visit does not feed its own suggestion.
  EXPECT_EQ(engine->visits().suggest_order(as_rep(), v->id)->lines[1].quantity, Quantity::units(3));
}

TEST_F(RouteSalesTest, BadInputIsNamedByField) {
  auto route = engine->routes().set(as_rep(), rep, 8, {kiosk, 9999, kiosk});
  ASSERT_FALSE(route.ok());
  EXPECT_EQ(route.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(route.status().fields().count("weekday"));
  EXPECT_TRUE(route.status().fields().count("outlet_ids[1]"));
  EXPECT_TRUE(route.status().fields().count("outlet_ids[2]"));
  EXPECT_TRUE(engine->routes().get(as_rep(), rep, 0).status().fields().count("weekday"));

  auto list = engine->must_have().set(actor, "Big Shops", {"TEA-1", "", "TEA-1"});
  EXPECT_TRUE(list.fields().count("channel"));
  EXPECT_TRUE(list.fields().count("skus[1]"));
  EXPECT_TRUE(list.fields().count("skus[2]"));
  EXPECT_TRUE(engine->routes().set_channel(actor, 9999, "kiosk").fields().count("outlet_id"));

  EXPECT_TRUE(engine->visits().check_in(as_rep(), rep, 0).status().fields().count("outlet_id"));
  auto v = engine->visits().check_in(as_rep(), rep, kiosk);
  auto stock = engine->visits().record_stock(as_rep(), v->id, {{"TEA-1", Quantity{-1000}}});
  ASSERT_FALSE(stock.ok());
  EXPECT_TRUE(stock.status().fields().count("stock[TEA-1]"));
  EXPECT_TRUE(engine->visits().attach_order(as_rep(), v->id, 9999).status().fields().count("order_id"));
}

TEST_F(RouteSalesTest, AnotherRepsVisitsAndRoutesAreDenied) {
  auto v = engine->visits().check_in(as_rep(), rep, kiosk);
  ASSERT_TRUE(v.ok());
  const auto events_before = event_count();
  EXPECT_EQ(engine->visits().get(as_other(), v->id).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(engine->visits().check_out(as_other(), v->id).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(engine->visits().check_in(as_other(), rep, shop).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(engine->routes().set(as_other(), rep, 1, {shop}).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(engine->must_have().set(as_rep(), "kiosk", {"TEA-1"}).code(), Code::kPermissionDenied);
  EXPECT_GT(event_count(), events_before) << "refusals are audited";
  EXPECT_TRUE(has_event("access.denied"));
  EXPECT_FALSE(engine->visits().get(as_rep(), v->id)->checked_out_at.has_value());

  // The rep's head manages the department's visits.
  EXPECT_TRUE(engine->visits().get(as_head(), v->id).ok());
  EXPECT_TRUE(engine->visits().check_out(as_head(), v->id).ok());
}

}  // namespace
}  // namespace salescore::testing
