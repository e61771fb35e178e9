// The clock jumping (issue 23, docs/reliability.md): a day forward, then an hour back.
// The runtime's timers, polls and delivery retries, fire once for the day they missed
// (not once per missed interval); after the step back nothing fires a second time, and
// nothing waits the hour out: each timer keeps the wait it was given.
#include "plugin_fixture.h"

namespace salescore::plugins::testing {
namespace {

constexpr std::int64_t kMinute = 60'000, kHour = 60 * kMinute, kDay = 24 * kHour;

class ClockJumpTest : public PluginTest {
 protected:
  int stat(const std::string& name) {
    RouteResponse stats = call_route("GET", "/example/stats");
    auto at = stats.body.find("\"" + name + "\":");
    return at == std::string::npos ? -1 : std::atoi(stats.body.c_str() + at + name.size() + 3);
  }
};

TEST_F(ClockJumpTest, ADayForwardPollsOnceAndAnHourBackNeitherRepeatsNorStalls) {
  start_example({{"records_per_poll", "1"}, {"poll_interval_ms", std::to_string(kMinute)}});
  runtime->run_due();
  ASSERT_EQ(stat("polls"), 1);
  advance(kDay);
  runtime->run_due();
  runtime->run_due();
  EXPECT_EQ(stat("polls"), 2) << "one poll for the day missed, not 1,440";
  EXPECT_EQ(client_count(), 2);

  advance(-kHour);
  runtime->run_due();
  EXPECT_EQ(stat("polls"), 2) << "back an hour: no poll before its minute";
  advance(kMinute - 1);
  runtime->run_due();
  EXPECT_EQ(stat("polls"), 2);
  advance(1);
  runtime->run_due();
  EXPECT_EQ(stat("polls"), 3) << "the poll's minute after the last one, not an hour and a minute";
  EXPECT_EQ(client_count(), 3);
  EXPECT_TRUE(logged("the clock went back 3600000 ms")) << all_logs();
}

TEST_F(ClockJumpTest, ARetryWaitingWhenTheClockJumpsIsDeliveredOnceAfterItsOwnWait) {
  start_example({{"records_per_poll", "1"},
                 {"poll_interval_ms", std::to_string(kDay * 30)},
                 {"deliver_result", "unavailable"},
                 {"retry_base_ms", "10000"},
                 {"retry_cap_ms", "10000"},
                 {"retry_limit", "100"}});
  runtime->run_due();  // the poll's client: its event fails once
  ASSERT_EQ(stat("deliveries"), 1);
  ASSERT_EQ(outbox_pending(), 1);
  advance(kDay);
  runtime->run_due();
  EXPECT_EQ(stat("deliveries"), 2) << "one retry for the day missed";
  set_mode("deliver_result=ok");
  advance(-kHour);
  runtime->run_due();
  EXPECT_EQ(stat("deliveries"), 2) << "back an hour: the retry waits its 10 s, not more";
  advance(9'998);  // the backoff's top is 9,999 ms (random_value just under 1)
  runtime->run_due();
  EXPECT_EQ(stat("deliveries"), 2);
  advance(1);
  runtime->run_due();
  EXPECT_EQ(stat("deliveries"), 3) << "delivered 10 s after the failure, not an hour later";
  EXPECT_EQ(outbox_pending(), 0);
  advance(kHour);
  runtime->run_due();
  EXPECT_EQ(stat("deliveries"), 3) << "and never again";
  EXPECT_TRUE(dead_letters().empty());
}

}  // namespace
}  // namespace salescore::plugins::testing
