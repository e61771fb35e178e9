// Partial shipments (the lines and quantities that left, what is still to ship) and the
// orders a contract covers (salescore/fulfilment.h).
#include <gtest/gtest.h>

#include "sales_fixture.h"
#include "salescore/exports.h"
#include "salescore/fulfilment.h"

namespace salescore::testing {
namespace {

class FulfilmentTest : public SalesTest {
 protected:
  // Anna's order of 10 sacks of sugar and 4 boxes of tea.
  Order two_lines() {
    Order o;
    o.client_id = anna_client;
    for (auto [sku, qty] : {std::pair{"SUGAR-50", 10}, std::pair{"TEA-100", 4}}) {
      OrderLine l;
      l.sku = sku;
      l.quantity = Quantity::units(qty);
      l.price_minor = 100'00;
      o.lines.push_back(l);
    }
    auto r = engine->orders().add(actor, o);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->record : Order{};
  }

  Id shipment_of(const Order& o) {
    Shipment sh;
    sh.order_id = o.id;
    sh.planned_at = at(kDay);
    auto r = engine->shipments().add(actor, sh);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->id : 0;
  }

  Id contract_of(Id client, const std::string& number) {
    Contract k;
    k.client_id = client;
    k.number = number;
    auto r = engine->contracts().add(actor, k);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->record.id : 0;
  }

  FulfilmentService service() { return fulfilment(*engine); }
};

TEST_F(FulfilmentTest, APartialShipmentLeavesTheRestToShipPerLine) {
  Order o = two_lines();
  Id first = shipment_of(o);
  auto set = service().set_shipment_lines(as(anna), first, {{1, "", Quantity::units(6)}, {0, "TEA-100", Quantity::units(4)}});
  ASSERT_TRUE(set.ok()) << set.status().to_string();
  ASSERT_EQ(set->size(), 2u);
  EXPECT_EQ((*set)[1].line, 2) << "the SKU found its line";
  EXPECT_EQ((*set)[1].sku, "TEA-100");

  auto planned = service().to_ship(as(anna), o.id);
  ASSERT_TRUE(planned.ok());
  EXPECT_EQ(planned->lines[0].planned, Quantity::units(6));
  EXPECT_EQ(planned->lines[0].remaining, Quantity::units(4));
  EXPECT_EQ(planned->lines[0].shipped, Quantity{});
  EXPECT_FALSE(planned->complete);

  ASSERT_TRUE(engine->shipments().ship(actor, first).ok());
  auto left = service().to_ship(as(anna), o.id);
  EXPECT_EQ(left->lines[0].shipped, Quantity::units(6));
  EXPECT_EQ(left->lines[1].shipped, Quantity::units(4));
  EXPECT_EQ(left->lines[1].remaining, Quantity{});
  EXPECT_EQ(left->lines[0].remaining, Quantity::units(4)) << "ordered 10 - shipped 6";

  Id second = shipment_of(o);
  auto too_much = service().set_shipment_lines(as(anna), second, {{1, "", Quantity::units(5)}});
  ASSERT_EQ(too_much.status().code(), Code::kInvalidArgument);
  EXPECT_NE(too_much.status().message().find("line 1 (SUGAR-50)"), std::string::npos) << too_much.status().message();
  EXPECT_NE(too_much.status().message().find("4 left to ship"), std::string::npos) << too_much.status().message();
  EXPECT_TRUE(too_much.status().fields().count("lines[0].quantity"));
  EXPECT_TRUE(service().shipment_lines(as(anna), second)->empty()) << "nothing of a refusal is written";

  ASSERT_TRUE(service().set_shipment_lines(as(anna), second, {{1, "", Quantity{4000}}}).ok());
  ASSERT_TRUE(engine->shipments().deliver(actor, second).ok());
  auto done = service().to_ship(as(anna), o.id);
  EXPECT_TRUE(done->complete);
  EXPECT_EQ(events_of("shipment.lines_set").size(), 2u);
  EXPECT_EQ(service().set_shipment_lines(as(anna), second, {}).status().code(), Code::kFailedPrecondition)
      << "a delivered shipment's lines stay as they left";
}

TEST_F(FulfilmentTest, ACancelledShipmentGivesItsQuantitiesBack) {
  Order o = two_lines();
  Id first = shipment_of(o);
  ASSERT_TRUE(service().set_shipment_lines(as(anna), first, {{1, "", Quantity::units(10)}}).ok());
  Id second = shipment_of(o);
  EXPECT_EQ(service().set_shipment_lines(as(anna), second, {{1, "", Quantity::units(1)}}).status().code(),
            Code::kInvalidArgument)
      << "the planned shipment holds all ten";
  ASSERT_TRUE(engine->shipments().cancel(actor, first).ok());
  EXPECT_TRUE(service().set_shipment_lines(as(anna), second, {{1, "", Quantity::units(10)}}).ok());
}

TEST_F(FulfilmentTest, BadLinesAreNamedFieldByField) {
  Order o = two_lines();
  Id sh = shipment_of(o);
  auto r = service().set_shipment_lines(
      as(anna), sh,
      {{3, "", Quantity::units(1)}, {0, "COFFEE", Quantity::units(1)}, {2, "", Quantity{}}, {2, "", Quantity::units(1)},
       {1, "TEA-100", Quantity::units(1)}});
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  const auto& f = r.status().fields();
  EXPECT_TRUE(f.count("lines[0].line")) << "the order has two lines";
  EXPECT_TRUE(f.count("lines[1].sku")) << "no such SKU on the order";
  EXPECT_TRUE(f.count("lines[2].quantity")) << "not positive";
  EXPECT_TRUE(f.count("lines[3].line")) << "line 2 twice";
  EXPECT_TRUE(f.count("lines[4].sku")) << "line 1 is not TEA-100";
  EXPECT_EQ(service().set_shipment_lines(as(anna), 9999, {}).status().code(), Code::kNotFound);
  EXPECT_EQ(service().to_ship(as(anna), 9999).status().code(), Code::kNotFound);
}

TEST_F(FulfilmentTest, OnlyThoseWhoSeeTheOrderSeeOrSetItsShipmentLines) {
  Order o = two_lines();
  Id sh = shipment_of(o);
  EXPECT_EQ(service().set_shipment_lines(as(boris), sh, {{1, "", Quantity::units(1)}}).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(service().shipment_lines(as(boris), sh).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(service().to_ship(as(sokolov), o.id).status().code(), Code::kPermissionDenied);
  EXPECT_TRUE(service().to_ship(as(orlova), o.id).ok()) << "Anna's head";
  EXPECT_TRUE(service().set_shipment_lines(Actor{director, Role::kDirector}, sh, {{1, "", Quantity::units(1)}}).ok());
  EXPECT_FALSE(events_of("access.denied").empty()) << "refusals are audited";
}

TEST_F(FulfilmentTest, AContractNamesTheOrdersItCovers) {
  Order a = two_lines(), b = two_lines();
  Order other = order_for(boris_client, 500'00);
  Id k = contract_of(anna_client, "Д-2026/201");
  auto set = service().set_contract_orders(as(anna), k, {b.id, a.id});
  ASSERT_TRUE(set.ok()) << set.status().to_string();
  EXPECT_EQ(*set, (std::vector<Id>{a.id, b.id}));
  EXPECT_EQ(*service().contract_orders(as(anna), k), (std::vector<Id>{a.id, b.id}));
  EXPECT_EQ(*service().contract_of_order(as(anna), a.id), k);
  EXPECT_EQ(events_of("contract.orders_set").size(), 1u);
  ASSERT_TRUE(service().set_contract_orders(as(anna), k, {a.id, b.id}).ok());
  EXPECT_EQ(events_of("contract.orders_set").size(), 1u) << "the same list again changes nothing";

  auto wrong = service().set_contract_orders(actor, k, {a.id, other.id, 9999, a.id});
  ASSERT_EQ(wrong.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(wrong.status().fields().count("order_ids[1]")) << "another client's order";
  EXPECT_TRUE(wrong.status().fields().count("order_ids[2]")) << "no such order";
  EXPECT_TRUE(wrong.status().fields().count("order_ids[3]")) << "listed twice";

  Id k2 = contract_of(anna_client, "Д-2026/202");
  auto taken = service().set_contract_orders(as(anna), k2, {a.id});
  ASSERT_EQ(taken.status().code(), Code::kInvalidArgument);
  EXPECT_NE(taken.status().message().find("covered by contract " + std::to_string(k)), std::string::npos);

  ASSERT_TRUE(service().set_contract_orders(as(anna), k, {b.id}).ok());
  EXPECT_EQ(*service().contract_of_order(as(anna), a.id), 0) << "a is free again";
  EXPECT_TRUE(service().set_contract_orders(as(anna), k2, {a.id}).ok());

  ASSERT_TRUE(engine->contracts().terminate(actor, k2, "withdrawn").ok());
  EXPECT_EQ(service().set_contract_orders(as(anna), k2, {}).status().code(), Code::kFailedPrecondition);
}

TEST_F(FulfilmentTest, AColleagueCannotNameOrdersOfAContractOutOfReach) {
  Order a = two_lines();
  Id k = contract_of(anna_client, "Д-2026/203");
  EXPECT_EQ(service().set_contract_orders(as(boris), k, {a.id}).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(service().contract_orders(as(sokolov), k).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(service().contract_of_order(as(boris), a.id).status().code(), Code::kPermissionDenied);
  EXPECT_TRUE(service().set_contract_orders(as(orlova), k, {a.id}).ok()) << "Anna's head";
}

TEST_F(FulfilmentTest, TheOrdersExportCarriesTheContractAndWhatIsLeftToShip) {
  Order o = two_lines();
  Id sh = shipment_of(o);
  ASSERT_TRUE(service().set_shipment_lines(actor, sh, {{1, "", Quantity::units(6)}}).ok());
  ASSERT_TRUE(engine->shipments().ship(actor, sh).ok());
  Id k = contract_of(anna_client, "Д-2026/204");
  ASSERT_TRUE(service().set_contract_orders(actor, k, {o.id}).ok());
  auto page = export_page(*engine, as(anna), "orders", Page{0, 10});
  ASSERT_TRUE(page.ok()) << page.status().to_string();
  ASSERT_EQ(page->rows.size(), 1u);
  std::map<std::string, std::string> row;
  for (const Field& f : page->rows[0].fields()) row[f.name] = f.text;
  EXPECT_EQ(row["contract_id"], std::to_string(k));
  EXPECT_EQ(row["to_ship"],
            "[{\"line\":1,\"shipped\":\"6\",\"planned\":\"0\",\"remaining\":\"4\"},"
            "{\"line\":2,\"shipped\":\"0\",\"planned\":\"0\",\"remaining\":\"4\"}]");
}

}  // namespace
}  // namespace salescore::testing
