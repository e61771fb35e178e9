// Which of salescore's records a connector's record is about. An order record changes
// only an order of the connector's own source or one salescore sent to that connector
// under that very id: a number that merely equals one of ours (1C's document "92",
// salescore's order 92) changes nothing. A client record new to its source updates the
// client the company has by INN, else by its only client with that phone or e-mail.
#include "host/record_apply.h"
#include "plugin_fixture.h"

namespace salescore::plugins::testing {
namespace {

class RecordMatchingTest : public PluginTest {
 protected:
  Result<AppliedRecord> apply(const std::string& entity, const std::string& external_id, const std::string& json) {
    return apply_record(*engine, actor, NormalizedRecord{entity, "onec", external_id, json, ""});
  }
  // An order a manager entered (no source), confirmed.
  Order managers_order() {
    Client c;
    c.name = "ООО Ромашка";
    auto client = engine->clients().add(actor, c);
    EXPECT_TRUE(client.ok()) << client.status().to_string();
    Order o;
    o.number = "M-1";
    o.client_id = client->record.id;
    o.status = OrderStatus::kConfirmed;
    OrderLine line;
    line.sku = "TEA-1";
    line.quantity = Quantity::units(1);
    line.price_minor = 5000;
    o.lines.push_back(line);
    auto order = engine->orders().add(actor, o);
    EXPECT_TRUE(order.ok()) << order.status().to_string();
    return order->record;
  }
  Actor actor{0, Role::kIntegration};
};

TEST_F(RecordMatchingTest, AReportUnderABareNumberEqualToOurOrderChangesNothingAndNamesTheId) {
  const Order ours = managers_order();
  const std::string number = std::to_string(ours.id);
  auto r = apply("order", number, R"({"status":"completed","custom":{"1c.number":"MM92"}})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_NE(r.status().message().find("'" + number + "'"), std::string::npos) << r.status().message();
  auto after = engine->orders().get(actor, ours.id);
  EXPECT_EQ(after->status, OrderStatus::kConfirmed);
  EXPECT_EQ(after->custom.count("1c.number"), 0u);
  EXPECT_EQ(after->updated_at.ms, ours.updated_at.ms);
}

TEST_F(RecordMatchingTest, AReportUnderTheIdOurOrderWasSentAsChangesItsStatusAndRequisitesOnly) {
  const Order ours = managers_order();
  ASSERT_TRUE(engine->connectors().note_sent("onec", "order", ours.id, "SC-" + std::to_string(ours.id)).is_ok());
  auto r = apply("order", "SC-" + std::to_string(ours.id), R"({"status":"shipped","custom":{"1c.number":"УТ-1"}})");
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->id, ours.id);
  auto after = engine->orders().get(actor, ours.id);
  EXPECT_EQ(after->status, OrderStatus::kShipped);
  EXPECT_EQ(after->custom.at("1c.number"), "УТ-1");
  EXPECT_EQ(after->source, "") << "still the manager's order";
  EXPECT_EQ(after->number, "M-1");
  // Sent to onec, not to another connector: the shop's record under that id is its own.
  EXPECT_FALSE(engine->connectors().id_sent("shop", "order", "SC-" + std::to_string(ours.id))->has_value());
}

TEST_F(RecordMatchingTest, AnOrderRecordCannotNameOurOrderBySalescoresId) {
  const Order ours = managers_order();
  auto r = apply("order", "x-1", R"({"id":)" + std::to_string(ours.id) + R"(,"status":"cancelled"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(engine->orders().get(actor, ours.id)->status, OrderStatus::kConfirmed);
}

TEST_F(RecordMatchingTest, ADocumentWithABuyerAndLinesUnderAnUnknownIdIsANewOrderOfItsSource) {
  const Order ours = managers_order();
  ASSERT_TRUE(apply("client", "cp-1", R"({"name":"ИП Сидоров"})").ok());
  auto r = apply("order", std::to_string(ours.id),
                 R"({"number":"36","client":{"external_id":"cp-1"},"lines":[{"sku":"A","quantity":1,"price":"1"}]})");
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_NE(r->id, ours.id);
  EXPECT_EQ(engine->orders().get(actor, r->id)->source, "onec");
  EXPECT_EQ(engine->orders().get(actor, ours.id)->number, "M-1");
}

TEST_F(RecordMatchingTest, AnIdThatIsBothItsSourcesOrderAndOneWeSentIsRefusedAsAmbiguous) {
  const Order ours = managers_order();
  ASSERT_TRUE(apply("client", "cp-1", R"({"name":"ИП Сидоров"})").ok());
  auto theirs = apply("order", "SC-1", R"({"client":"cp-1","lines":[{"sku":"A","quantity":1,"price":"1"}]})");
  ASSERT_TRUE(theirs.ok()) << theirs.status().to_string();
  ASSERT_TRUE(engine->connectors().note_sent("onec", "order", ours.id, "SC-1").is_ok());
  auto r = apply("order", "SC-1", R"({"status":"cancelled"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(engine->orders().get(actor, ours.id)->status, OrderStatus::kConfirmed);
}

TEST_F(RecordMatchingTest, ABuyerNewToItsSourceIsTheOnlyClientWithItsPhoneElseItsEmail) {
  Client known;
  known.name = "Мария (звонила)";
  known.phones = {"+7 916 123-45-67"};
  auto by_phone = engine->clients().add(actor, known);
  ASSERT_TRUE(by_phone.ok()) << by_phone.status().to_string();
  Client mailed;
  mailed.name = "Пётр (писал)";
  mailed.emails = {"petrov@example.ru"};
  auto by_email = engine->clients().add(actor, mailed);
  ASSERT_TRUE(by_email.ok());

  auto maria = apply("client", "17#ivanova#Иванова Мария",
                     R"({"name":"Иванова Мария","phones":["8 916 123 45 67"],"emails":["m@example.ru"]})");
  ASSERT_TRUE(maria.ok()) << maria.status().to_string();
  EXPECT_EQ(maria->id, by_phone->record.id);
  EXPECT_EQ(engine->clients().get(actor, maria->id)->emails, std::vector<std::string>{"m@example.ru"});
  auto petr = apply("client", "18#petrov#", R"({"name":"Петров Пётр","emails":["Petrov@Example.ru"]})");
  ASSERT_TRUE(petr.ok()) << petr.status().to_string();
  EXPECT_EQ(petr->id, by_email->record.id);
  // An order naming the buyer by its Ид finds the matched client through its phone.
  auto order = apply("order", "site-1001",
                     R"({"client":{"external_id":"17#ivanova#Иванова Мария","phone":"+79161234567"},)"
                     R"("lines":[{"sku":"A","quantity":1,"price":"1"}]})");
  ASSERT_TRUE(order.ok()) << order.status().to_string();
  EXPECT_EQ(engine->orders().get(actor, order->id)->client_id, by_phone->record.id);
}

TEST_F(RecordMatchingTest, APhoneTwoClientsShareMatchesNeitherAndTheBuyerIsCreated) {
  for (const char* name : {"Склад", "Бухгалтерия"}) {
    Client c;
    c.name = name;
    c.phones = {"+7 495 000-00-01"};
    ASSERT_TRUE(engine->clients().add(actor, c).ok());
  }
  auto buyer = apply("client", "9#office#", R"({"name":"Офис","phones":["+74950000001"]})");
  ASSERT_TRUE(buyer.ok()) << buyer.status().to_string();
  EXPECT_EQ(buyer->outcome, WriteOutcome::kCreated);
  EXPECT_EQ(engine->clients().get(actor, buyer->id)->source, "onec");
}

}  // namespace
}  // namespace salescore::plugins::testing
