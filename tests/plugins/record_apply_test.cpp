// How a normalized record becomes an engine change: each entity's JSON maps onto its
// upsert, fields left out keep their values, references resolve to clients, and every
// problem is named by its field.
#include "host/inbox.h"
#include "host/record_apply.h"
#include "plugin_fixture.h"
#include "salescore/connector_ingest.h"
#include "salescore/refunds.h"

namespace salescore::plugins::testing {
namespace {

class RecordApplyTest : public PluginTest {
 protected:
  Result<AppliedRecord> apply(const std::string& entity, const std::string& external_id, const std::string& json,
                              const std::string& source = "shop") {
    return apply_record(*engine, actor, NormalizedRecord{entity, source, external_id, json, ""});
  }
  Actor actor{0, Role::kIntegration};
};

TEST_F(RecordApplyTest, CreatesAClientWithItsSourceKey) {
  auto r = apply("client", "cust-1",
                 R"({"name":"ООО Ромашка","inn":"7707083893","phones":["8 (495) 123-45-67"],)"
                 R"("emails":["Info@Romashka.RU"],"tier":"vip","custom":{"region":"Москва"}})");
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->outcome, WriteOutcome::kCreated);
  auto c = engine->clients().get(actor, r->id);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->name, "ООО Ромашка");
  EXPECT_EQ(c->phones, std::vector<std::string>{"+74951234567"});
  EXPECT_EQ(c->emails, std::vector<std::string>{"info@romashka.ru"});
  EXPECT_EQ(c->tier, Tier::kVip);
  EXPECT_EQ(c->source, "shop");
  EXPECT_EQ(c->external_id, "cust-1");
  EXPECT_EQ(c->custom.at("region"), "Москва");
}

TEST_F(RecordApplyTest, FieldsLeftOutKeepTheirValuesAndNullClearsThem) {
  ASSERT_TRUE(apply("client", "cust-1", R"({"name":"Alpha","notes":"call after 10","phones":["+74951234567"]})").ok());
  auto r = apply("client", "cust-1", R"({"notes":null})");
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->outcome, WriteOutcome::kUpdated);
  auto c = engine->clients().get(actor, r->id);
  EXPECT_EQ(c->name, "Alpha");
  EXPECT_EQ(c->phones.size(), 1u);
  EXPECT_EQ(c->notes, "");
  auto same = apply("client", "cust-1", R"({"name":"Alpha"})");
  EXPECT_EQ(same->outcome, WriteOutcome::kUnchanged);
}

TEST_F(RecordApplyTest, AppliesAProductKeyedBySkuWithPricesAndStock) {
  auto r = apply("product", "guid-1",
                 R"({"sku":"A-100","name":"Widget","unit":"pcs","prices":{"retail":"1 250.50",)"
                 R"("wholesale":{"amount":990,"currency":"RUB"}},"stock":"12.5"})");
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  auto p = engine->products().by_sku(actor, "A-100");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->prices.at("retail").minor, 125050);
  EXPECT_EQ(p->prices.at("wholesale").minor, 99000);
  EXPECT_EQ(p->stock.milli, 12500);
  EXPECT_EQ(p->external_id, "guid-1");

  ASSERT_TRUE(apply("product", "guid-2", R"({"name":"No article"})").ok());
  EXPECT_TRUE(engine->products().by_sku(actor, "guid-2").ok()) << "a product without SKU is keyed by its id";
}

TEST_F(RecordApplyTest, AppliesAnOrderForAClientReferencedByExternalId) {
  ASSERT_TRUE(apply("client", "cust-7", R"({"name":"Beta"})").ok());
  auto r = apply("order", "order-1001",
                 R"({"number":"1001","status":"confirmed","ordered_at":"2026-11-01T10:00:00Z",)"
                 R"("client":"cust-7","lines":[{"sku":"A-100","quantity":2,"price":"100.25"}]})");
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  auto o = engine->orders().get(actor, r->id);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->status, OrderStatus::kConfirmed);
  EXPECT_EQ(o->total_minor, 20050);
  EXPECT_EQ(o->number, "1001");

  auto status_only = apply("order", "order-1001", R"({"status":"shipped"})");
  ASSERT_TRUE(status_only.ok()) << status_only.status().to_string();
  auto shipped = engine->orders().get(actor, r->id);
  EXPECT_EQ(shipped->status, OrderStatus::kShipped);
  EXPECT_EQ(shipped->lines.size(), 1u) << "a status webhook keeps the lines";
}

TEST_F(RecordApplyTest, AnOrderOlderThanTheNewestAppliedIsSkippedNotApplied) {
  ASSERT_TRUE(apply("client", "cust-7", R"({"name":"Beta"})").ok());
  const std::string lines = R"("client":"cust-7","lines":[{"sku":"A-100","quantity":1,"price":"5"}])";
  ASSERT_TRUE(apply("order", "77", R"({"status":"new","version":1000,)" + lines + "}").ok());
  auto newer = apply("order", "77", R"({"status":"completed","version":2000,)" + lines + "}");
  ASSERT_TRUE(newer.ok()) << newer.status().to_string();
  // A shop's retry of the first delivery, late: it must not bring "new" back.
  auto stale = apply("order", "77", R"({"status":"new","version":1000,)" + lines + "}");
  ASSERT_TRUE(stale.ok()) << stale.status().to_string();
  EXPECT_EQ(stale->outcome, WriteOutcome::kUnchanged);
  EXPECT_EQ(engine->orders().get(actor, newer->id)->status, OrderStatus::kCompleted);
  // The same version again (a change within the shop's clock tick) is applied.
  auto same = apply("order", "77", R"({"status":"cancelled","version":2000,)" + lines + "}");
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(engine->orders().get(actor, newer->id)->status, OrderStatus::kCancelled);
  // Versions are per order: another order's older version is its own.
  EXPECT_TRUE(apply("order", "78", R"({"status":"new","version":10,)" + lines + "}").ok());
  // The guard is the host's (connector_record_versions), not one of the order's fields:
  // editing the order's custom fields, as anyone who may edit the order can, changes
  // nothing of it.
  EXPECT_EQ(**ConnectorIngestService(*engine).record_version("shop", "order", "77"), 2000);
  auto order = engine->orders().get(actor, newer->id);
  ASSERT_TRUE(order.ok());
  EXPECT_EQ(order->custom.count("record_version"), 0u);
  OrderPatch edit;
  edit.custom = order->custom;
  (*edit.custom)["record_version"] = "0";
  auto edited = engine->orders().update(actor, newer->id, edit);
  ASSERT_TRUE(edited.ok()) << edited.status().to_string();
  auto still_stale = apply("order", "77", R"({"status":"new","version":1000,)" + lines + "}");
  ASSERT_TRUE(still_stale.ok()) << still_stale.status().to_string();
  EXPECT_EQ(still_stale->outcome, WriteOutcome::kUnchanged);
  EXPECT_EQ(engine->orders().get(actor, newer->id)->status, OrderStatus::kCancelled);
}

TEST_F(RecordApplyTest, OrdersSharingAPaymentTransactionAreFlaggedEachWithTheOthers) {
  ASSERT_TRUE(apply("client", "cust-7", R"({"name":"Beta"})").ok());
  const std::string lines = R"("client":"cust-7","lines":[{"sku":"A-100","quantity":1,"price":"5"}])";
  auto first = apply("order", "91", R"({"payment_reference":"pi_42",)" + lines + "}");
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  EXPECT_EQ(engine->orders().get(actor, first->id)->custom.count("payment_shared_with"), 0u);
  auto second = apply("order", "92", R"({"payment_reference":"pi_42",)" + lines + "}");
  ASSERT_TRUE(second.ok()) << second.status().to_string();
  auto third = apply("order", "93", R"({"payment_reference":"pi_42",)" + lines + "}");
  ASSERT_TRUE(third.ok()) << third.status().to_string();
  EXPECT_TRUE(apply("order", "94", R"({"payment_reference":"pi_43",)" + lines + "}").ok());
  EXPECT_EQ(engine->orders().get(actor, first->id)->custom.at("payment_shared_with"), "92, 93");
  EXPECT_EQ(engine->orders().get(actor, second->id)->custom.at("payment_shared_with"), "91, 93");
  EXPECT_EQ(engine->orders().get(actor, third->id)->custom.at("payment_shared_with"), "91, 92");
  // The same order again (a webhook's retry) flags nothing twice.
  ASSERT_TRUE(apply("order", "92", R"({"payment_reference":"pi_42","status":"confirmed",)" + lines + "}").ok());
  EXPECT_EQ(engine->orders().get(actor, second->id)->custom.at("payment_shared_with"), "91, 93");
}

// "refunded" is the source's running total: the host records what it adds to the order's
// refunds, capped at salescore's order total (a shop's refunded shipping was never a sale).
TEST_F(RecordApplyTest, AnOrdersRefundedTotalBecomesRefundsOfWhatItAdds) {
  ASSERT_TRUE(apply("client", "cust-7", R"({"name":"Beta"})").ok());
  const std::string lines = R"("client":"cust-7","lines":[{"sku":"A-100","quantity":1,"price":"50"}])";
  auto placed = apply("order", "95", R"({"refunded":"10.00",)" + lines + "}");
  ASSERT_TRUE(placed.ok()) << placed.status().to_string();
  auto held = [&] { return refunds(*engine).of_order(actor, placed->id)->refunds; };
  ASSERT_EQ(held().size(), 1u);
  EXPECT_EQ(held()[0].amount.minor, 1000);
  EXPECT_EQ(held()[0].reference, "shop:refunded:10.00");
  // The same total again, or a lower one, adds nothing.
  ASSERT_TRUE(apply("order", "95", R"({"refunded":"10.00",)" + lines + "}").ok());
  ASSERT_TRUE(apply("order", "95", R"({"refunded":"5",)" + lines + "}").ok());
  EXPECT_EQ(held().size(), 1u);
  // 60.00 refunded of an order of 50.00 in salescore (plus 10.00 shipping in the shop).
  ASSERT_TRUE(apply("order", "95", R"({"refunded":"60.00",)" + lines + "}").ok());
  ASSERT_EQ(held().size(), 2u);
  EXPECT_EQ(held()[1].amount.minor, 4000);
  EXPECT_EQ(refunds(*engine).of_order(actor, placed->id)->refunded_minor, 5000);
  auto bad = apply("order", "95", R"({"refunded":"ten",)" + lines + "}");
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.status().fields().count("refunded")) << bad.status().to_string();
}

TEST_F(RecordApplyTest, AnUnknownSkuIsRefusedNamingItOrStubbedAsAsked) {
  ASSERT_TRUE(apply("client", "cust-7", R"({"name":"Beta"})").ok());
  auto refused = apply("order", "80", R"({"client":"cust-7","unknown_sku":"refuse",)"
                                      R"("lines":[{"sku":"NO-SUCH","name":"Mystery","quantity":1,"price":"5"}]})");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Code::kNotFound);
  EXPECT_NE(refused.status().message().find("lines[0].sku: no product with SKU 'NO-SUCH'"), std::string::npos)
      << refused.status().message();
  // Refused on the order as saved (its validation looked the SKUs up): nothing of it stays.
  EXPECT_FALSE(engine->connectors().id_by_source("order", "shop", "80")->has_value());
  ASSERT_TRUE(apply("product", "p-known", R"({"sku":"KNOWN-1","name":"Known"})").ok());
  auto among_known = apply("order", "79", R"({"client":"cust-7","unknown_sku":"refuse","lines":[)"
                                          R"({"sku":"KNOWN-1","quantity":1,"price":"5"},{"sku":"NOPE","quantity":1,"price":"5"}]})");
  ASSERT_FALSE(among_known.ok());
  EXPECT_NE(among_known.status().message().find("lines[1].sku: no product with SKU 'NOPE'"), std::string::npos)
      << among_known.status().message();
  EXPECT_FALSE(engine->connectors().id_by_source("order", "shop", "79")->has_value());
  auto stubbed = apply("order", "80", R"({"client":"cust-7","unknown_sku":"stub",)"
                                      R"("lines":[{"sku":"NO-SUCH","name":"Mystery","quantity":1,"price":"5"}]})");
  ASSERT_TRUE(stubbed.ok()) << stubbed.status().to_string();
  auto product = engine->products().by_sku(actor, "NO-SUCH");
  ASSERT_TRUE(product.ok());
  EXPECT_EQ(product->name, "Mystery");
  EXPECT_EQ(product->source, "shop");
  auto bad = apply("order", "81", R"({"client":"cust-7","unknown_sku":"maybe","lines":[]})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("unknown_sku"), std::string::npos);
}

TEST_F(RecordApplyTest, AnOrderForAnUnknownClientIsNotFoundNamingTheReference) {
  auto r = apply("order", "order-1", R"({"client":{"external_id":"nobody"},"lines":[]})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_NE(r.status().message().find("client.external_id: no client with source 'shop' and external_id 'nobody'"),
            std::string::npos)
      << r.status().message();
}

TEST_F(RecordApplyTest, ACallFindsItsClientByPhoneAndAnUnknownNumberIsKeptUnlinked) {
  auto client = apply("client", "c-1", R"({"name":"Gamma","phones":["+7 495 765-43-21"]})");
  ASSERT_TRUE(client.ok());
  auto call = apply("interaction", "call-1",
                    R"({"kind":"call","direction":"inbound","duration_s":95,"client":{"phone":"84957654321"}})",
                    "asterisk");
  ASSERT_TRUE(call.ok()) << call.status().to_string();
  EXPECT_EQ(engine->interactions().get(actor, call->id)->client_id, client->id);

  auto stranger = apply("interaction", "call-2", R"({"kind":"call","client":{"phone":"+74950000000"}})", "asterisk");
  ASSERT_TRUE(stranger.ok()) << stranger.status().to_string();
  EXPECT_EQ(engine->interactions().get(actor, stranger->id)->client_id, 0);
}

TEST_F(RecordApplyTest, ErrorsNameEveryBadField) {
  auto r = apply("order", "o-1",
                 R"({"status":"teleported","ordered_at":"yesterday","lines":[{"sku":"X","quantity":"a lot"}]})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  const auto& f = r.status().fields();
  EXPECT_TRUE(f.count("status")) << r.status().to_string();
  EXPECT_TRUE(f.count("ordered_at")) << r.status().to_string();
  EXPECT_TRUE(f.count("lines[0].quantity")) << r.status().to_string();
}

TEST_F(RecordApplyTest, RefusesMalformedRecords) {
  EXPECT_EQ(apply("client", "c-1", "{not json").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(apply("client", "c-1", "[1,2]").status().code(), Code::kInvalidArgument);
  auto unknown = apply("spaceship", "s-1", "{}");
  EXPECT_EQ(unknown.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(unknown.status().fields().count("entity"));
  auto keyless = apply("client", "", R"({"name":"x"})");
  EXPECT_TRUE(keyless.status().fields().count("external_id"));
  auto owner = apply("client", "c-2", R"({"name":"x","owner":"ghost"})");
  EXPECT_NE(owner.status().fields().at("owner").find("no user with login 'ghost'"), std::string::npos);
}

TEST_F(RecordApplyTest, TheSameRecordDeliveredTwiceIsAppliedOnce) {
  NormalizedRecord r{"client", "shop", "c-1", R"({"name":"Delta"})", ""};
  auto first = apply_once(*engine, actor, "shop", r);
  auto second = apply_once(*engine, actor, "shop", r);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, InboxOutcome::kApplied);
  EXPECT_EQ(*second, InboxOutcome::kDuplicate);

  NormalizedRecord changed = r;
  changed.json = R"({"name":"Delta Ltd"})";
  EXPECT_NE(idempotency_key_of(changed), idempotency_key_of(r));
  EXPECT_EQ(*apply_once(*engine, actor, "shop", changed), InboxOutcome::kApplied);
}

TEST_F(RecordApplyTest, ARecordBackAtAnEarlierStateIsAppliedAgainNotTakenForARedelivery) {
  // A web shop's order polled without keys of its own: processing -> on hold -> processing.
  auto order = [](const char* status) {
    return NormalizedRecord{"client", "shop", "c-9", std::string(R"({"name":"Delta","notes":")") + status + "\"}", ""};
  };
  auto outcome = [&](const NormalizedRecord& r) {
    auto applied = apply_once(*engine, actor, "shop", r);
    EXPECT_TRUE(applied.ok()) << applied.status().to_string();
    return applied.ok() ? *applied : InboxOutcome::kDuplicate;
  };
  EXPECT_EQ(outcome(order("processing")), InboxOutcome::kApplied);
  EXPECT_EQ(outcome(order("processing")), InboxOutcome::kDuplicate) << "a redelivery of the last state";
  EXPECT_EQ(outcome(order("on hold")), InboxOutcome::kApplied);
  EXPECT_EQ(outcome(order("processing")), InboxOutcome::kApplied) << "back at an earlier state";
  EXPECT_EQ(outcome(order("processing")), InboxOutcome::kDuplicate);
  ClientQuery delta;
  delta.name_prefix = "Delta";
  auto clients = engine->clients().find(actor, delta);
  ASSERT_TRUE(clients.ok()) << clients.status().to_string();
  ASSERT_EQ(clients->size(), 1u);
  EXPECT_EQ(clients->front().notes, "processing");

  // A key of the connector's own names one delivery: it stays applied once.
  NormalizedRecord keyed = order("on hold");
  keyed.idempotency_key = "delivery-1";
  EXPECT_EQ(outcome(keyed), InboxOutcome::kApplied);
  keyed.json = order("processing").json;
  keyed.external_id = "c-10";
  EXPECT_EQ(outcome(keyed), InboxOutcome::kDuplicate);
}

TEST_F(RecordApplyTest, AStateRecordIsAppliedEachTimeAndLeavesNoInboxKey) {
  // A price that goes A -> B -> A: content keys would skip the third delivery.
  auto price = [](const char* amount) {
    return NormalizedRecord{"product", "shop", "p-1", std::string(R"({"name":"Tea","prices":{"retail":")") +
                                                          amount + R"("}})",
                            SC_KEY_STATE};
  };
  for (const char* amount : {"10.00", "12.00", "10.00"}) {
    auto applied = apply_once(*engine, actor, "shop", price(amount));
    ASSERT_TRUE(applied.ok()) << applied.status().to_string();
    EXPECT_EQ(*applied, InboxOutcome::kApplied);
  }
  auto product = engine->products().by_sku(actor, "p-1");
  ASSERT_TRUE(product.ok());
  EXPECT_EQ(product->prices.at("retail").minor, 1000);
  EXPECT_FALSE(*engine->connectors().inbox_contains("shop", SC_KEY_STATE));
}

TEST_F(RecordApplyTest, AFailedApplyLeavesNoInboxKeyBehind) {
  NormalizedRecord bad{"client", "shop", "c-1", R"({"inn":"123"})", "delivery-77"};
  EXPECT_FALSE(apply_once(*engine, actor, "shop", bad).ok());
  EXPECT_FALSE(*engine->connectors().inbox_contains("shop", "delivery-77"))
      << "the inbox row rolled back with the change";
}

}  // namespace
}  // namespace salescore::plugins::testing
