// A 1C buyer's name from what the file gives (a site's private buyers have an empty
// Наименование), and the order a document makes: keyed by its Ид alone, naming its buyer
// every way the file does, so the host can tell our orders from 1C's (record_apply.h).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "commerceml.h"
#include "records.h"

namespace salescore::onec {
namespace {

Counterparty person(std::string id) {
  Counterparty c;
  c.id = std::move(id);
  c.role = "Покупатель";
  return c;
}

TEST(OnecBuyer, TheNameIsTheFirstOfFullNameNamePersonsNameIdTailPhoneEmail) {
  Counterparty c = person("17#ivanova#  Иванова Мария ");
  c.phones = {"+7 916 123-45-67"};
  c.emails = {"m@example.ru"};
  EXPECT_EQ(buyer_name(c), "Иванова Мария");
  c.surname = "Иванова";
  c.given_name = "Мария";
  c.patronymic = "Петровна";
  EXPECT_EQ(buyer_name(c), "Иванова Мария Петровна");
  c.name = "Маша";
  EXPECT_EQ(buyer_name(c), "Маша");
  c.full_name = "Иванова Мария Петровна (сайт)";
  EXPECT_EQ(buyer_name(c), "Иванова Мария Петровна (сайт)");

  Counterparty anonymous = person("19#guest#");
  anonymous.emails = {"guest@example.ru"};
  EXPECT_EQ(buyer_name(anonymous), "guest@example.ru");
  anonymous.phones = {"+7 903 555-01-02"};
  EXPECT_EQ(buyer_name(anonymous), "+7 903 555-01-02");
  EXPECT_EQ(buyer_name(person("20##")), "") << "nothing to name it by: the host refuses the client, saying so";
}

TEST(OnecBuyer, AReportOnAnOrderIsKeyedByItsIdAndNeverBySalescoresOwnId) {
  Document report;
  report.id = "92";
  report.operation = "Заказ товара";
  report.requisites = {{"Проведен", "true"}, {"Номер по 1С", "MM92"}};
  std::string why;
  auto order = order_record(report, "+03:00", why);
  ASSERT_TRUE(order);
  EXPECT_EQ(order->external_id, "92");
  EXPECT_EQ(order->json.find("\"id\""), std::string::npos) << order->json;
  EXPECT_NE(order->json.find("\"status\":\"confirmed\""), std::string::npos) << order->json;
}

TEST(OnecBuyer, ASiteModulesDocumentsFileGivesEachBuyerANameOrNoneAtAll) {
  std::ifstream file(std::string(SALESCORE_OWN_COMMERCEML_FIXTURES) + "/site-3.1_documents.xml", std::ios::binary);
  ASSERT_TRUE(file) << "tests/fixtures/commerceml/site-3.1_documents.xml";
  Classifier classifier;
  FileFacts facts;
  ParseError error;
  std::vector<Document> documents;
  CommerceMlSink sink;
  sink.document = [&](const Document& d) { documents.push_back(d); };
  ASSERT_TRUE(read_commerceml(file, classifier, sink, facts, error)) << error.line << ": " << error.reason;
  EXPECT_EQ(facts.schema_version, "3.1");
  ASSERT_EQ(documents.size(), 4u);
  std::vector<std::string> names;
  for (const Document& d : documents) {
    ASSERT_EQ(d.counterparties.size(), 1u) << d.id;
    names.push_back(buyer_name(d.counterparties[0]));
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Иванова Мария", "Петров Пётр Ильич", "guest-1003@example.ru", ""}));
  // The order names its buyer by Ид, phone and e-mail: the host takes the first that finds one.
  std::string why;
  auto order = order_record(documents[0], "+03:00", why);
  ASSERT_TRUE(order);
  EXPECT_NE(order->json.find(R"("client":{"external_id":"17#ivanova#Иванова Мария","phone":"+7 916 123-45-67",)"
                             R"("email":"m.ivanova@example.ru"})"),
            std::string::npos)
      << order->json;
}

}  // namespace
}  // namespace salescore::onec
