// Records that come in from outside through an integration user (a web shop's script, a
// site's form, a connector): of its own source, keyed by its system's id, and owned by the
// manager the lead assignment rule picks when the shop names none.
#include <algorithm>

#include <gtest/gtest.h>

#include "engine_fixture.h"

namespace salescore::testing {
namespace {

class IntakeTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    ivanov = add_manager("ivanov");
    petrova = add_manager("petrova");
    shop = add_user("webshop", Role::kIntegration);
    onec = add_user("onec", Role::kIntegration);  // a system of record by default ([access])
  }

  Id add_user(const std::string& login, Role role) {
    User u;
    u.login = login;
    u.name = login;
    u.role = role;
    auto r = engine->users().add(actor, u);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->id : 0;
  }

  static Actor as(Id user) { return Actor{user, Role::kManager}; }

  Order order_of(Id client, const std::string& external_id) {
    Order o;
    o.client_id = client;
    o.external_id = external_id;
    OrderLine tea;
    tea.sku = "TEA-1";
    tea.quantity = Quantity::units(2);
    tea.price_minor = 15000;
    o.lines = {tea};
    return o;
  }

  Id ivanov = 0, petrova = 0, shop = 0, onec = 0;
};

TEST_F(IntakeTest, AShopsClientIsOfItsSourceAndGoesToTheNextManagerOnDuty) {
  Client c = client_named("Покупатель");
  c.external_id = "cust-1";
  auto first = engine->clients().upsert(as(shop), c);
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  EXPECT_EQ(first->record.source, "webshop");
  EXPECT_EQ(first->record.external_id, "cust-1");
  c.external_id = "cust-2";
  auto second = engine->clients().add(as(shop), c);
  ASSERT_TRUE(second.ok()) << second.status().to_string();
  // Round robin, the default rule, as leads are dealt out.
  std::vector<Id> owners = {first->record.owner_id, second->record.owner_id};
  std::sort(owners.begin(), owners.end());
  EXPECT_EQ(owners, (std::vector<Id>{ivanov, petrova}));
  EXPECT_TRUE(engine->clients().get(as(first->record.owner_id), first->record.id).ok());
}

TEST_F(IntakeTest, AClientSentAgainIsTheSameClientAndKeepsItsOwner) {
  Client c = client_named("Покупатель");
  c.external_id = "cust-1";
  auto first = engine->clients().upsert(as(shop), c);
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  c.name = "Покупатель Иванов";
  auto again = engine->clients().upsert(as(shop), c);
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ(again->record.id, first->record.id);
  EXPECT_EQ(again->outcome, WriteOutcome::kUpdated);
  EXPECT_EQ(again->record.owner_id, first->record.owner_id);
}

TEST_F(IntakeTest, AnOrderSentTwiceByTheShopIsOneOrderCreditedToTheClientsManager) {
  Client c = client_named("Покупатель");
  c.owner_id = petrova;
  c.external_id = "cust-1";
  auto client = engine->clients().upsert(as(shop), c);
  ASSERT_TRUE(client.ok()) << client.status().to_string();
  EXPECT_EQ(client->record.owner_id, petrova) << "an owner the shop names is kept";
  auto first = engine->orders().upsert(as(shop), order_of(client->record.id, "web-1001"));
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  EXPECT_EQ(first->record.source, "webshop");
  EXPECT_EQ(first->record.owner_id, petrova);
  auto again = engine->orders().upsert(as(shop), order_of(client->record.id, "web-1001"));
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ(again->record.id, first->record.id);
  EXPECT_EQ(again->outcome, WriteOutcome::kUnchanged);
}

TEST_F(IntakeTest, AnOrderForAClientWithoutAManagerGoesToTheManagerOnDuty) {
  Id nobodys = add_client("Ничей клиент");
  auto order = engine->orders().add(as(shop), order_of(nobodys, ""));
  ASSERT_TRUE(order.ok()) << order.status().to_string();
  EXPECT_EQ(order->record.source, "webshop");
  EXPECT_TRUE(order->record.owner_id == ivanov || order->record.owner_id == petrova) << order->record.owner_id;
}

TEST_F(IntakeTest, AnAbsentManagerGetsNoneOfTheShopsClients) {
  Absence away;
  away.user_id = ivanov;
  away.deputy_id = petrova;
  away.starts_at = Instant{kStartMs - 1000};
  away.ends_at = Instant{kStartMs + 86'400'000};
  ASSERT_TRUE(engine->absences().add(actor, away).ok());
  for (const char* id : {"cust-1", "cust-2", "cust-3"}) {
    Client c = client_named(std::string("Покупатель ") + id);
    c.external_id = id;
    auto saved = engine->clients().upsert(as(shop), c);
    ASSERT_TRUE(saved.ok()) << saved.status().to_string();
    EXPECT_EQ(saved->record.owner_id, petrova);
  }
}

TEST_F(IntakeTest, AShopCannotWriteAnotherSourcesRecords) {
  Client c = client_named("Чужой");
  c.source = "onec";
  c.external_id = "x-1";
  EXPECT_EQ(engine->clients().upsert(as(shop), c).status().code(), Code::kPermissionDenied);
  ASSERT_TRUE(engine->clients().upsert(actor, c).ok());
  c.name = "Переписан";
  EXPECT_EQ(engine->clients().upsert(as(shop), c).status().code(), Code::kPermissionDenied);
}

TEST_F(IntakeTest, APersonCannotKeyARecordAsAConnectors) {
  // A manager's client keyed as the shop's would be the shop's to read and change.
  Client c = client_named("ООО Подделка");
  c.source = "webshop";
  c.external_id = "cust-9";
  auto refused = engine->clients().add(as(ivanov), c);
  ASSERT_EQ(refused.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(refused.status().fields().count("external_id"));
  EXPECT_TRUE(refused.status().fields().count("source"));
  c.source.clear();
  auto upsert = engine->clients().upsert(as(ivanov), c);
  ASSERT_EQ(upsert.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(upsert.status().fields().count("external_id"));
  Id client = add_client("ООО Своё");
  Order o = order_of(client, "web-9");
  o.owner_id = ivanov;
  auto order = engine->orders().upsert(as(ivanov), o);
  ASSERT_EQ(order.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(order.status().fields().count("external_id"));
}

TEST_F(IntakeTest, ASystemOfRecordsCounterpartiesKeepNoOwner) {
  // A first 1C sync brings thousands of counterparties: master data, not leads to deal out.
  Client c = client_named("ООО Контрагент");
  c.external_id = "bd72d900";
  auto saved = engine->clients().upsert(as(onec), c);
  ASSERT_TRUE(saved.ok()) << saved.status().to_string();
  EXPECT_EQ(saved->record.source, "onec");
  EXPECT_EQ(saved->record.owner_id, 0);
}

}  // namespace
}  // namespace salescore::testing
