#include <gtest/gtest.h>

#include "engine_fixture.h"

namespace salescore::testing {
namespace {

class StageGatesTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    manager = add_manager("ivanov");
    Client c = client_named("ООО Ромашка");
    c.owner_id = manager;
    client = engine->clients().add(actor, c)->record.id;
    Deal d;
    d.client_id = client;
    d.title = "Поставка чая";
    deal = engine->deals().add(actor, d)->record.id;
  }

  Actor owner() const { return Actor{manager, Role::kManager}; }

  Id manager = 0, client = 0, deal = 0;
};

TEST_F(StageGatesTest, AMoveWithoutWhatTheStageNeedsNamesEverythingMissing) {
  auto r = engine->deals().advance(owner(), deal, "proposal");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(r.status().reason(), "stage_gate");
  EXPECT_TRUE(r.status().fields().count("expected_amount"));
  EXPECT_TRUE(r.status().fields().count("expected_close"));
  EXPECT_EQ(engine->deals().get(actor, deal)->stage, "new") << "a refused move changes nothing";
}

TEST_F(StageGatesTest, SkippingAStageDoesNotSkipItsRequirements) {
  DealPatch with;
  with.expected_amount = Money{500'000'00, ""};
  with.expected_close = Instant{kStartMs + 30LL * 86'400'000};
  auto r = engine->deals().advance(owner(), deal, "contract", with);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().fields().size(), 1u);
  EXPECT_TRUE(r.status().fields().count("proposal_sent"));
  send_proposal_for(owner(), deal);
  auto moved = engine->deals().advance(owner(), deal, "contract", with);
  ASSERT_TRUE(moved.ok()) << moved.status().to_string();
  EXPECT_EQ(moved->record.stage, "contract");
}

TEST_F(StageGatesTest, WinningNeedsASignedContractAndTimeInStageIsRecorded) {
  DealPatch with;
  with.expected_amount = Money{500'000'00, ""};
  ASSERT_TRUE(engine->deals().advance(owner(), deal, "qualified", with).ok());
  clock->advance_ms(2 * 86'400'000LL);
  with.expected_close = Instant{kStartMs + 30LL * 86'400'000};
  ASSERT_TRUE(engine->deals().advance(owner(), deal, "proposal", with).ok());
  send_proposal_for(owner(), deal);
  clock->advance_ms(86'400'000);
  EXPECT_TRUE(engine->deals().advance(owner(), deal, "won").status().fields().count("contract_signed"));
  sign_contract_for(owner(), deal);
  auto won = engine->deals().advance(owner(), deal, "won");
  ASSERT_TRUE(won.ok()) << won.status().to_string();

  auto history = engine->deals().stage_history(owner(), deal);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 4u);
  EXPECT_EQ((*history)[0].stage, "new");
  EXPECT_EQ((*history)[1].stage, "qualified");
  EXPECT_EQ((*history)[1].left_at->ms - (*history)[1].entered_at.ms, 2 * 86'400'000LL);
  EXPECT_EQ((*history)[3].stage, "won");
  EXPECT_FALSE((*history)[3].left_at.has_value());
}

TEST_F(StageGatesTest, LostNeedsAReasonFromTheList) {
  auto no_reason = engine->deals().lose(owner(), deal, "");
  ASSERT_FALSE(no_reason.ok());
  EXPECT_TRUE(no_reason.status().fields().count("lost_reason"));
  auto odd = engine->deals().lose(owner(), deal, "bad weather");
  EXPECT_EQ(odd.status().reason(), "stage_gate");
  auto lost = engine->deals().lose(owner(), deal, "competitor");
  ASSERT_TRUE(lost.ok()) << lost.status().to_string();
  EXPECT_EQ(lost->record.lost_reason, "competitor");
  int lost_events = 0;
  auto events = engine->events().since(0, 0);
  for (const auto& e : *events) lost_events += e.type == "deal.lost";
  EXPECT_EQ(lost_events, 1);
}

TEST_F(StageGatesTest, OnlyAHeadReopensAClosedDeal) {
  ASSERT_TRUE(engine->deals().lose(owner(), deal, "no_budget").ok());
  auto reopen = engine->deals().advance(owner(), deal, "new");
  ASSERT_FALSE(reopen.ok());
  EXPECT_EQ(reopen.status().code(), Code::kPermissionDenied);
  auto by_system = engine->deals().advance(actor, deal, "new");
  ASSERT_TRUE(by_system.ok()) << by_system.status().to_string();
  EXPECT_EQ(by_system->record.lost_reason, "") << "a reopened deal is no longer lost for that reason";
}

TEST_F(StageGatesTest, UnknownStagesAndCustomPipelinesFromTheConfiguration) {
  EXPECT_TRUE(engine->deals().advance(owner(), deal, "dreaming").status().fields().count("stage"));
  Config config;
  ASSERT_TRUE(config.set("pipeline.stages", "lead, offer, won, lost").is_ok());
  ASSERT_TRUE(config.set("pipeline.requires.offer", "price_list_version").is_ok());
  open_engine(config);
  manager = add_manager("ivanov");
  Client c = client_named("ООО Ромашка");
  c.owner_id = manager;
  client = engine->clients().add(actor, c)->record.id;
  Deal d;
  d.client_id = client;
  d.title = "x";
  auto created = engine->deals().add(actor, d);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->record.stage, "lead");
  EXPECT_TRUE(engine->deals().advance(owner(), created->record.id, "offer").status().fields().count("price_list_version"));
  DealPatch with;
  with.custom = std::map<std::string, std::string>{{"price_list_version", "2026-11"}};
  auto offered = engine->deals().advance(owner(), created->record.id, "offer", with);
  EXPECT_TRUE(offered.ok()) << offered.status().to_string();
  Config broken;
  EXPECT_FALSE(broken.set("pipeline.stages", "a, b").is_ok()) << "won and lost are required";
}

TEST_F(StageGatesTest, DealsAndOrdersFollowTheAccessRules) {
  Id colleague = add_manager("petrova");
  Actor other{colleague, Role::kManager};
  EXPECT_EQ(engine->deals().get(other, deal).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(engine->deals().find(other, DealQuery{})->size(), 0u);
  EXPECT_EQ(*engine->deals().count(owner(), DealQuery{}), 1);
  Order o;
  o.client_id = client;
  o.lines.push_back({"TEA-1", 0, "", Quantity::units(1), 100, 0, 0});
  auto order = engine->orders().add(owner(), o);
  ASSERT_TRUE(order.ok()) << order.status().to_string();
  EXPECT_EQ(engine->orders().get(other, order->record.id).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(*engine->orders().count(other, OrderQuery{}), 0);
  EXPECT_EQ(engine->orders().add(other, o).status().code(), Code::kPermissionDenied)
      << "an order for a colleague's client is credited to the colleague and is not yours to take";
}

}  // namespace
}  // namespace salescore::testing
