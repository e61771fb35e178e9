// Texts the engine writes for people follow [company] language: every text exists in
// ru, en, zh and bg with its placeholders filled, and the tasks a rule gives (a lead to
// answer, a claim to investigate) read in the configured language whoever caused them.
#include <gtest/gtest.h>

#include <set>

#include "engine/people_texts.h"
#include "engine_fixture.h"

namespace salescore::testing {
namespace {

using detail::people_text;

const char* const kKeys[] = {"lead.client_notes", "lead.deal_title", "lead.answer",      "lead.answer.escalated", "claim.investigate", "call.back",
                             "installment",      "installment.overdue",   "installment.mid",   "installment.soon",
                             "segment.hot",      "segment.warm",          "segment.cooling",   "segment.sleeping",
                             "contract.expired", "approval.decide",       "approval.asked_by", "approval.approved",
                             "approval.rejected", "subject.proposal",     "subject.contract",  "subject.discount",
                             "subject.visit",    "subject.visit_at",      "proposal.receipt",  "proposal.accepted",
                             "the_client"};

TEST(PeopleTexts, EveryTextHasEveryLanguageWithItsPlaceholdersFilled) {
  const std::vector<std::string> args = {"A1", "B2", "C3", "D4", "E5"};
  for (const char* key : kKeys) {
    std::set<std::string> forms;
    for (const char* lang : {"ru", "en", "zh", "bg"}) {
      const std::string text = people_text(lang, key, args);
      EXPECT_NE(text, key) << key << " has no " << lang << " text";
      EXPECT_EQ(text.find('{'), std::string::npos) << key << " (" << lang << "): " << text;
      forms.insert(text);
    }
    EXPECT_GE(forms.size(), 3u) << key << ": the languages should differ";
  }
  EXPECT_EQ(people_text("en", "lead.answer", {"7", "web"}), "Answer lead #7 (web)");
  EXPECT_EQ(people_text("ru", "lead.answer", {"7", "web"}), "Ответить на заявку №7 (web)");
  EXPECT_EQ(people_text("zh", "lead.answer", {"7", "web"}), "回复线索 #7（web）");
  EXPECT_EQ(people_text("bg", "lead.answer", {"7", "web"}), "Отговорете на запитване №7 (web)");
  EXPECT_EQ(people_text("fr", "lead.answer", {"7", "web"}), "Answer lead #7 (web)") << "unknown: English";
  EXPECT_EQ(people_text("en", "no.such.text"), "no.such.text") << "a missing text shows";
}

class PeopleTextsInEngine : public EngineTest, public ::testing::WithParamInterface<const char*> {};

// The lead's answer task and the claim's investigation task, made through the engine
// (what REST, Python, the CLI and connectors all call), in the configured language.
TEST_P(PeopleTextsInEngine, RuleTasksAreWrittenInTheCompanyLanguage) {
  const std::string lang = GetParam();
  Config config;
  ASSERT_TRUE(config.set("company.language", lang).is_ok());
  open_engine(config);
  const Id anna = add_manager("anna");
  Client c = client_named("Ромашка");
  c.owner_id = anna;
  auto client = engine->clients().add(actor, c);
  ASSERT_TRUE(client.ok()) << client.status().to_string();

  Lead l;
  l.channel = LeadChannel::kWeb;
  l.contact_name = "Пётр";
  l.phone = "+7 916 000-00-01";
  l.request = "нужен цемент";
  auto lead = engine->leads().add(actor, l);
  ASSERT_TRUE(lead.ok()) << lead.status().to_string();

  Order o;
  o.client_id = client->record.id;
  o.lines.push_back({});
  o.lines[0].sku = "SUGAR-50";
  o.lines[0].quantity = Quantity::units(1);
  o.lines[0].price_minor = 1000;
  auto order = engine->orders().add(actor, o);
  ASSERT_TRUE(order.ok()) << order.status().to_string();
  Claim claim;
  claim.order_id = order->record.id;
  claim.kind = ClaimKind::kQuality;
  claim.description = "мешки порваны";
  auto registered = engine->claims().add(actor, claim);
  ASSERT_TRUE(registered.ok()) << registered.status().to_string();

  TaskQuery q;
  q.assignee_id = anna;
  auto tasks = engine->tasks().find(actor, q);
  ASSERT_TRUE(tasks.ok()) << tasks.status().to_string();
  const std::string lead_id = std::to_string(lead->record.id), claim_id = std::to_string(registered->id);
  const std::string answer = people_text(lang, "lead.answer", {lead_id, "web"}) + ": нужен цемент";
  const std::string investigate = people_text(lang, "claim.investigate", {claim_id, "quality", "мешки порваны"});
  std::set<std::string> titles;
  for (const auto& t : *tasks) titles.insert(t.title);
  EXPECT_TRUE(titles.count(answer)) << "expected '" << answer << "'";
  EXPECT_TRUE(titles.count(investigate)) << "expected '" << investigate << "'";
}

INSTANTIATE_TEST_SUITE_P(Languages, PeopleTextsInEngine, ::testing::Values("ru", "en", "zh", "bg"));

}  // namespace
}  // namespace salescore::testing
