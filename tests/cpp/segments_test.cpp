#include <gtest/gtest.h>

#include "sales_fixture.h"

namespace salescore::testing {
namespace {

class SegmentsTest : public SalesTest {
 protected:
  Segment segment_of(Id client) {
    auto s = engine->segments().get(actor, client);
    EXPECT_TRUE(s.ok()) << s.status().to_string();
    return s.ok() ? s->segment : Segment::kNew;
  }

  DueReport run_due_at(std::int64_t offset) {
    clock->set(at(offset));
    auto r = engine->run_due();
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? *r : DueReport{};
  }

  std::vector<Task> segment_tasks(Id user) {
    std::vector<Task> out;
    for (auto& t : open_tasks_of(user))
      if (t.order_id == 0 && t.lead_id == 0) out.push_back(t);
    return out;
  }

  std::vector<Event> moves_of(Id client) {
    std::vector<Event> out;
    for (auto& e : events_of("client.segment_changed"))
      if (e.entity_id == client) out.push_back(e);
    return out;
  }
};

TEST_F(SegmentsTest, TheRuleCountsWholeDaysSinceTheLastPurchase) {
  SegmentConfig cfg;
  const Instant created = at(-400 * kDay);
  const Instant last = at(0);
  auto seg = [&](std::int64_t offset) { return classify_segment(cfg, created, last, at(offset)).segment; };
  EXPECT_EQ(seg(0), Segment::kHot);
  EXPECT_EQ(seg(30 * kDay), Segment::kHot);
  EXPECT_EQ(seg(31 * kDay - 1), Segment::kHot) << "30 days and 23:59 is still within 30 whole days";
  EXPECT_EQ(seg(31 * kDay), Segment::kWarm);
  EXPECT_EQ(seg(120 * kDay), Segment::kWarm);
  EXPECT_EQ(seg(121 * kDay), Segment::kCooling);
  EXPECT_EQ(seg(180 * kDay), Segment::kCooling);
  EXPECT_EQ(seg(181 * kDay), Segment::kSleeping) << "no purchase for over 180 days";
  SegmentVerdict warm = classify_segment(cfg, created, last, at(40 * kDay));
  EXPECT_EQ(warm.since, at(31 * kDay));
  EXPECT_EQ(warm.next_change_at, at(121 * kDay));
  EXPECT_FALSE(classify_segment(cfg, created, last, at(200 * kDay)).next_change_at) << "only an order wakes them";
  EXPECT_EQ(classify_segment(cfg, at(0), std::nullopt, at(180 * kDay)).segment, Segment::kNew);
  EXPECT_EQ(classify_segment(cfg, at(0), std::nullopt, at(181 * kDay)).segment, Segment::kSleeping);
}

TEST_F(SegmentsTest, ANewOrderMakesTheClientHotAtOnceWithItsContactTask) {
  EXPECT_EQ(segment_of(anna_client), Segment::kNew);
  order_for(anna_client, 100000);
  EXPECT_EQ(segment_of(anna_client), Segment::kHot);
  auto moves = moves_of(anna_client);
  ASSERT_EQ(moves.size(), 1u);
  EXPECT_NE(moves[0].payload.find("\"from\":\"new\",\"to\":\"hot\""), std::string::npos) << moves[0].payload;
  auto tasks = segment_tasks(anna);
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].client_id, anna_client);
  EXPECT_EQ(tasks[0].due_at, at(7 * kDay)) << "the weekly message";
  order_for(anna_client, 5000);
  EXPECT_EQ(moves_of(anna_client).size(), 1u) << "hot stays hot: no move, no second task";
  EXPECT_EQ(segment_tasks(anna).size(), 1u);
}

TEST_F(SegmentsTest, TimeMovesAClientThroughTheSegmentsAtTheExactThresholds) {
  order_for(anna_client, 100000);
  EXPECT_EQ(run_due_at(30 * kDay).segment_moves, 0);
  EXPECT_EQ(segment_of(anna_client), Segment::kHot);
  EXPECT_EQ(run_due_at(31 * kDay).segment_moves, 1);
  EXPECT_EQ(segment_of(anna_client), Segment::kWarm);
  auto tasks = segment_tasks(anna);
  ASSERT_EQ(tasks.size(), 1u) << "the hot task gave way to the warm one";
  EXPECT_NE(tasks[0].title.find("раз в две недели"), std::string::npos) << tasks[0].title;
  EXPECT_EQ(tasks[0].due_at, at(45 * kDay));
  EXPECT_EQ(run_due_at(31 * kDay).segment_moves, 0) << "running again moves nobody";
  EXPECT_EQ(run_due_at(120 * kDay).segment_moves, 0);
  EXPECT_EQ(run_due_at(121 * kDay).segment_moves, 1);
  EXPECT_EQ(segment_of(anna_client), Segment::kCooling);
  run_due_at(180 * kDay);
  EXPECT_EQ(segment_of(anna_client), Segment::kCooling);
  run_due_at(181 * kDay);
  EXPECT_EQ(segment_of(anna_client), Segment::kSleeping);
  tasks = segment_tasks(anna);
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_NE(tasks[0].title.find("спящему клиенту"), std::string::npos) << tasks[0].title;  // in [company] language
  EXPECT_EQ(moves_of(anna_client).size(), 4u) << "new>hot, hot>warm, warm>cooling, cooling>sleeping";
  order_for(anna_client, 100);
  EXPECT_EQ(segment_of(anna_client), Segment::kHot) << "an order wakes a sleeping client";
}

TEST_F(SegmentsTest, AClientWhoNeverBoughtIsNewThenSleepsAndTheFirstClassificationIsSilent) {
  auto first = run_due_at(kDay);
  EXPECT_EQ(first.segment_moves, 0) << "recording the segment of clients seen for the first time is not a move";
  EXPECT_TRUE(events_of("client.segment_changed").empty());
  EXPECT_EQ(run_due_at(180 * kDay).segment_moves, 0);
  EXPECT_EQ(segment_of(boris_client), Segment::kNew);
  EXPECT_EQ(run_due_at(181 * kDay).segment_moves, 3) << "the three clients with no purchase";
  EXPECT_EQ(segment_of(boris_client), Segment::kSleeping);
  EXPECT_EQ(segment_tasks(boris).size(), 1u);
}

TEST_F(SegmentsTest, ThresholdsComeFromTheConfiguration) {
  Config config;
  ASSERT_TRUE(config.set("segments.hot_days", "7").is_ok());
  ASSERT_TRUE(config.set("segments.warm_days", "60").is_ok());
  ASSERT_TRUE(config.set("segments.sleeping_days", "60").is_ok());  // no cooling stage
  ASSERT_TRUE(config.set("segments.hot_contact_days", "3").is_ok());
  open_department(config);
  order_for(anna_client, 100000);
  EXPECT_EQ(segment_tasks(anna).front().due_at, at(3 * kDay));
  run_due_at(8 * kDay);
  EXPECT_EQ(segment_of(anna_client), Segment::kWarm);
  run_due_at(61 * kDay);
  EXPECT_EQ(segment_of(anna_client), Segment::kSleeping);
  EXPECT_FALSE(config.set("segments.hot_days", "0").is_ok());
  EXPECT_TRUE(config.set("segments.hot_weeks", "2").fields().count("segments.hot_weeks"));
}

TEST_F(SegmentsTest, ThresholdsOutOfOrderAreRefusedWhenTheFileIsRead) {
  const std::string path = "/tmp/salescore-segments-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                           "-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)) + ".ini";
  {
    std::FILE* f = std::fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("[segments]\nwarm_days = 200\nhot_days = 150\nsleeping_days = 190\n", f);
    std::fclose(f);
  }
  auto loaded = Config::load(path);
  std::remove(path.c_str());
  ASSERT_FALSE(loaded.ok());
  EXPECT_TRUE(loaded.status().fields().count("segments.sleeping_days")) << loaded.status().to_string();
}

TEST_F(SegmentsTest, ACancelledOrderIsNotAPurchase) {
  Order o = order_for(anna_client, 100000);
  ASSERT_EQ(segment_of(anna_client), Segment::kHot);
  OrderPatch cancel;
  cancel.status = OrderStatus::kCancelled;
  ASSERT_TRUE(engine->orders().update(actor, o.id, cancel).ok());
  EXPECT_EQ(segment_of(anna_client), Segment::kNew);
  EXPECT_TRUE(segment_tasks(anna).empty()) << "the hot task went with the move";
}

TEST_F(SegmentsTest, VipIsATierOnTopOfTheSegment) {
  ClientPatch vip;
  vip.tier = Tier::kVip;
  ASSERT_TRUE(engine->clients().update(actor, anna_client, vip).ok());
  order_for(anna_client, 100000);
  EXPECT_EQ(segment_of(anna_client), Segment::kHot);
  EXPECT_EQ(engine->clients().get(actor, anna_client)->tier, Tier::kVip);
}

TEST_F(SegmentsTest, SegmentsFollowTheClientsAccess) {
  order_for(anna_client, 100000);
  order_for(boris_client, 100000);
  run_due_at(kHour);
  EXPECT_EQ(engine->segments().get(as(boris), anna_client).status().code(), Code::kPermissionDenied);
  SegmentQuery hot;
  hot.segment = Segment::kHot;
  EXPECT_EQ(engine->segments().find(as(anna), hot)->size(), 1u);
  EXPECT_EQ(engine->segments().find(as(orlova), hot)->size(), 2u);
  EXPECT_EQ(engine->segments().find(as(director), {})->size(), 3u);
  EXPECT_EQ(engine->segments().get(actor, 5555).status().code(), Code::kNotFound);
}

TEST_F(SegmentsTest, TheSegmentIsAFieldOfTheClientAndAFilterOfItsLists) {
  EXPECT_EQ(engine->clients().get(actor, anna_client)->segment, "") << "not classified yet";
  order_for(anna_client, 100000);
  order_for(boris_client, 100000);
  run_due_at(kHour);
  EXPECT_EQ(engine->clients().get(actor, anna_client)->segment, "hot");
  ClientQuery hot;
  hot.segment = "hot";
  auto annas = engine->clients().find(as(anna), hot);
  ASSERT_TRUE(annas.ok()) << annas.status().to_string();
  ASSERT_EQ(annas->size(), 1u) << "her hot clients, not Boris's";
  EXPECT_EQ((*annas)[0].id, anna_client);
  EXPECT_EQ(*engine->clients().count(as(orlova), hot), 2);
  ClientQuery sleeping;
  sleeping.segment = "sleeping";
  EXPECT_TRUE(engine->clients().find(as(anna), sleeping)->empty());
  ClientQuery unknown;
  unknown.segment = "asleep";
  auto refused = engine->clients().find(actor, unknown);
  EXPECT_EQ(refused.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(refused.status().fields().count("segment"));
  auto fields = fields_of(*engine->clients().get(actor, anna_client));
  EXPECT_NE(fields.to_json().find("\"segment\":\"hot\""), std::string::npos) << fields.to_json();
}

}  // namespace
}  // namespace salescore::testing
