#include <gtest/gtest.h>

#include "engine_fixture.h"

namespace salescore::testing {
namespace {

constexpr std::int64_t kMinute = 60'000;

class LeadRulesTest : public EngineTest {
 protected:
  void SetUp() override {
    Config config;
    ASSERT_TRUE(config.set("leads.sla_minutes", "60").is_ok());
    ASSERT_TRUE(config.set("leads.sla_minutes.phone", "5").is_ok());
    ASSERT_TRUE(config.set("leads.max_reassignments", "2").is_ok());
    configure(config);
  }

  void configure(Config config) {
    open_engine(std::move(config));
    User h;
    h.login = "head";
    h.name = "Head";
    h.role = Role::kHead;
    head = engine->users().add(actor, h)->id;
    for (const char* login : {"anna", "boris", "vera"}) {
      User u;
      u.login = login;
      u.name = login;
      u.role = Role::kManager;
      u.head_id = head;
      managers.push_back(engine->users().add(actor, u)->id);
    }
  }

  Lead web_lead(const std::string& request, bool concrete = false) {
    Lead l;
    l.channel = LeadChannel::kWeb;
    l.contact_name = "Пётр";
    l.phone = "+7 916 000-00-01";
    l.request = request;
    l.concrete = concrete;
    return l;
  }

  Id head = 0;
  std::vector<Id> managers;
};

TEST_F(LeadRulesTest, RoundRobinSpreadsLeadsOverManagersOnDuty) {
  std::vector<Id> got;
  for (int i = 0; i < 4; ++i) got.push_back(engine->leads().add(actor, web_lead("q"))->record.assignee_id);
  EXPECT_EQ(got, (std::vector<Id>{managers[0], managers[1], managers[2], managers[0]}));
}

TEST_F(LeadRulesTest, AnAbsentManagerIsSkipped) {
  Absence a;
  a.user_id = managers[0];
  a.deputy_id = managers[1];
  a.starts_at = clock->now();
  a.ends_at = Instant{clock->now().ms + 86'400'000};
  ASSERT_TRUE(engine->absences().add(actor, a).ok());
  std::vector<Id> got;
  for (int i = 0; i < 3; ++i) got.push_back(engine->leads().add(actor, web_lead("q"))->record.assignee_id);
  EXPECT_EQ(got, (std::vector<Id>{managers[1], managers[2], managers[1]}));
}

TEST_F(LeadRulesTest, TheAssigneeGetsATaskDueAtTheChannelsSla) {
  Lead call = web_lead("нужен прайс");
  call.channel = LeadChannel::kPhone;
  auto lead = engine->leads().add(actor, call);
  ASSERT_TRUE(lead.ok()) << lead.status().to_string();
  EXPECT_EQ(lead->record.sla_due_at.ms, kStartMs + 5 * kMinute);
  EXPECT_EQ(lead->record.phone, "+79160000001");
  TaskQuery q;
  q.lead_id = lead->record.id;
  auto tasks = engine->tasks().find(actor, q);
  ASSERT_EQ(tasks->size(), 1u);
  EXPECT_EQ(tasks->front().assignee_id, lead->record.assignee_id);
  EXPECT_EQ(tasks->front().due_at->ms, kStartMs + 5 * kMinute);
}

TEST_F(LeadRulesTest, AtTheExactSlaBoundaryTheLeadPassesToTheNextManager) {
  auto lead = engine->leads().add(actor, web_lead("q"))->record;
  clock->set(Instant{lead.sla_due_at.ms - 1});
  EXPECT_EQ(engine->run_due()->leads_reassigned, 0) << "one millisecond before the SLA nothing happens";
  clock->set(lead.sla_due_at);
  auto report = engine->run_due();
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  EXPECT_EQ(report->leads_reassigned, 1);
  auto after = engine->leads().get(actor, lead.id);
  EXPECT_EQ(after->assignee_id, managers[1]);
  EXPECT_EQ(after->reassignments, 1);
  EXPECT_EQ(after->sla_due_at.ms, lead.sla_due_at.ms + 60 * kMinute);
  EXPECT_EQ(engine->run_due()->leads_reassigned, 0) << "running the timers again changes nothing";
  // The first assignee's task is cancelled; the new one has its own.
  TaskQuery q;
  q.lead_id = lead.id;
  q.status = TaskStatus::kOpen;
  auto open = engine->tasks().find(actor, q);
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(open->front().assignee_id, managers[1]);
}

TEST_F(LeadRulesTest, AfterTooManyPassesTheLeadEscalatesToTheHead) {
  auto lead = engine->leads().add(actor, web_lead("q"))->record;
  for (int i = 0; i < 3; ++i) {
    clock->advance_ms(60 * kMinute);
    ASSERT_TRUE(engine->run_due().ok());
  }
  auto after = engine->leads().get(actor, lead.id);
  EXPECT_TRUE(after->escalated);
  EXPECT_EQ(after->assignee_id, head);
  clock->advance_ms(600 * kMinute);
  EXPECT_EQ(engine->run_due()->leads_escalated, 0) << "an escalated lead is the head's; no more passes";
  // Every breach is in the log.
  int breaches = 0;
  auto events = engine->events().since(0, 0);
  for (const auto& e : *events) breaches += e.type == "lead.sla_breached";
  EXPECT_EQ(breaches, 3);
}

TEST_F(LeadRulesTest, AFirstCallStopsTheSlaClock) {
  auto lead = engine->leads().add(actor, web_lead("q"))->record;
  clock->advance_ms(59 * kMinute);
  auto touched = engine->leads().touch(Actor{lead.assignee_id, Role::kManager}, lead.id, "call");
  ASSERT_TRUE(touched.ok()) << touched.status().to_string();
  EXPECT_EQ(touched->status, LeadStatus::kInProgress);
  EXPECT_EQ(touched->first_action_at->ms, kStartMs + 59 * kMinute);
  clock->advance_ms(120 * kMinute);
  EXPECT_EQ(engine->run_due()->leads_reassigned, 0);
  EXPECT_FALSE(engine->leads().touch(actor, lead.id, "dance").ok());
}

TEST_F(LeadRulesTest, ConcreteRequestsComeFirstInTheQueue) {
  auto vague = engine->leads().add(actor, web_lead("просто интересуюсь"))->record;
  clock->advance_ms(kMinute);
  Lead concrete = web_lead("200 кг сахара к пятнице", true);
  concrete.assignee_id = vague.assignee_id;
  auto c = engine->leads().add(actor, concrete)->record;
  LeadQuery q;
  q.assignee_id = vague.assignee_id;
  auto queue = engine->leads().queue(actor, q);
  ASSERT_EQ(queue->size(), 2u);
  EXPECT_EQ(queue->front().id, c.id);
}

TEST_F(LeadRulesTest, ALeadFromAKnownClientGoesToItsOwnerAndConvertsIntoADeal) {
  Config config;
  ASSERT_TRUE(config.set("leads.assignment", "owner").is_ok());
  configure(config);
  Client known;
  known.name = "ООО Ромашка";
  known.phones = {"+7 916 000-00-01"};
  known.owner_id = managers[2];
  Id client = engine->clients().add(actor, known)->record.id;
  auto lead = engine->leads().add(actor, web_lead("повторный заказ"));
  ASSERT_TRUE(lead.ok());
  EXPECT_EQ(lead->record.client_id, client);
  EXPECT_EQ(lead->record.assignee_id, managers[2]);

  auto converted = engine->leads().convert(Actor{managers[2], Role::kManager}, lead->record.id);
  ASSERT_TRUE(converted.ok()) << converted.status().to_string();
  EXPECT_FALSE(converted->client_created);
  EXPECT_EQ(converted->client_id, client);
  auto deal = engine->deals().get(actor, converted->deal_id);
  ASSERT_TRUE(deal.ok());
  EXPECT_EQ(deal->stage, "new");
  EXPECT_EQ(deal->owner_id, managers[2]);
  EXPECT_EQ(engine->leads().get(actor, lead->record.id)->status, LeadStatus::kConverted);
  EXPECT_EQ(engine->leads().convert(actor, lead->record.id).status().code(), Code::kConflict);
}

TEST_F(LeadRulesTest, AnUnknownLeadBecomesANewClientOnConversion) {
  Lead l = web_lead("хотим стать дилером");
  l.company = "ООО Новый Дилер";
  l.email = "Boss@Dealer.RU";
  auto lead = engine->leads().add(actor, l)->record;
  auto converted = engine->leads().convert(actor, lead.id, "Дилерский договор");
  ASSERT_TRUE(converted.ok()) << converted.status().to_string();
  EXPECT_TRUE(converted->client_created);
  auto client = engine->clients().get(actor, converted->client_id);
  EXPECT_EQ(client->name, "ООО Новый Дилер");
  EXPECT_EQ(client->emails, std::vector<std::string>{"boss@dealer.ru"});
  EXPECT_EQ(client->owner_id, lead.assignee_id);
}

TEST_F(LeadRulesTest, BadLeadsAreRefusedNamingTheField) {
  Lead l;
  l.phone = "not a phone";
  auto r = engine->leads().add(actor, l);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().fields().count("phone"));
  Lead empty;
  EXPECT_TRUE(engine->leads().add(actor, empty).status().fields().count("contact_name"));
}

TEST_F(LeadRulesTest, TheSameLeadDeliveredTwiceIsKeptOnce) {
  Lead l = web_lead("q");
  l.source = "website";
  l.external_id = "form-77";
  auto first = engine->leads().add(actor, l);
  auto second = engine->leads().add(actor, l);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(second->outcome, WriteOutcome::kUnchanged);
  EXPECT_EQ(second->record.id, first->record.id);
}

}  // namespace
}  // namespace salescore::testing
