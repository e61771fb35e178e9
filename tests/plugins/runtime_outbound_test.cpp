// Going out: events a connector subscribed to reach its deliver(); failures back off
// with full jitter and become dead letters past the retry limit; a peer that is down
// is not stormed; intake pauses while the outbox backlog is over its limit.
#include "plugin_fixture.h"

namespace salescore::plugins::testing {
namespace {

class OutboundTest : public PluginTest {
 protected:
  int deliveries() {
    RouteResponse stats = call_route("GET", "/example/stats");
    auto at = stats.body.find("\"deliveries\":");
    return at == std::string::npos ? -1 : std::atoi(stats.body.c_str() + at + 13);
  }
  std::vector<OutboxItem> outbox() {
    auto items = engine->connectors().due("example", Instant{INT64_MAX}, 0);
    EXPECT_TRUE(items.ok());
    return items.ok() ? *items : std::vector<OutboxItem>{};
  }
};

TEST_F(OutboundTest, EventsTheConnectorSubscribedToAreDelivered) {
  Client before;
  before.name = "Typed in before the connector started";
  ASSERT_TRUE(engine->clients().add(Actor::system(), before).ok());
  start_example();
  runtime->run_due();  // the poll creates two clients, their events are queued and delivered
  EXPECT_EQ(deliveries(), 2) << "only changes after the connector's first start";
  EXPECT_EQ(outbox_pending(), 0);
  EXPECT_EQ(health().delivered, 2);
}

TEST_F(OutboundTest, AFailingDeliveryBacksOffAndBecomesADeadLetterAfterTheLimit) {
  start_example({{"records_per_poll", "1"},
                 {"deliver_result", "unavailable"},
                 {"retry_base_ms", "1000"},
                 {"retry_cap_ms", "3000"},
                 {"retry_limit", "3"}});
  runtime->run_due();
  ASSERT_EQ(outbox().size(), 1u);
  OutboxItem item = outbox()[0];
  EXPECT_EQ(item.attempts, 1);
  EXPECT_EQ(item.next_attempt_at.ms, clock->now().ms + 999) << "full jitter within base * 2^0";
  EXPECT_NE(item.last_error.find("deliver: peer unavailable"), std::string::npos);

  runtime->run_due();
  EXPECT_EQ(deliveries(), 1) << "not retried before its time";
  const std::int64_t ceilings[] = {2000, 3000, 3000};  // doubling, then the cap
  for (std::int64_t ceiling : ceilings) {
    clock->set(outbox()[0].next_attempt_at);
    runtime->run_due();
    if (outbox().empty()) break;
    EXPECT_LE(outbox()[0].next_attempt_at.ms - clock->now().ms, ceiling);
    EXPECT_GE(outbox()[0].next_attempt_at.ms - clock->now().ms, ceiling - 1);
  }
  EXPECT_EQ(deliveries(), 4) << "the first attempt and three retries";
  EXPECT_TRUE(outbox().empty());
  auto letters = dead_letters();
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].direction, DeadLetterDirection::kOutbound);
  EXPECT_EQ(letters[0].kind, "event");
  EXPECT_EQ(letters[0].code, Code::kUnavailable);
  EXPECT_EQ(letters[0].attempts, 4);
  EXPECT_NE(letters[0].reason.find("gave up after 4 attempts: deliver: peer unavailable"), std::string::npos)
      << letters[0].reason;
  EXPECT_NE(letters[0].payload.find("\"type\":\"client.created\""), std::string::npos) << letters[0].payload;
}

TEST_F(OutboundTest, ARejectedDeliveryIsADeadLetterAtOnceAndReplaysLater) {
  start_example({{"records_per_poll", "1"}, {"deliver_result", "invalid_argument"}});
  runtime->run_due();
  auto letters = dead_letters();
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].code, Code::kInvalidArgument);
  EXPECT_EQ(letters[0].attempts, 1);
  EXPECT_EQ(outbox_pending(), 0);

  set_mode("deliver_result=ok");
  auto replayed = runtime->replay(letters[0].id);
  ASSERT_TRUE(replayed.ok()) << replayed.status().to_string();
  EXPECT_EQ(*replayed, ReplayOutcome::kRequeued);
  EXPECT_EQ(outbox_pending(), 1);
  runtime->run_due();
  EXPECT_EQ(outbox_pending(), 0);
  EXPECT_EQ(deliveries(), 2);
  EXPECT_TRUE(dead_letters().empty());
}

TEST_F(OutboundTest, ARetryStormHitsADownPeerOncePerBackoffPeriod) {
  start_example({{"records_per_poll", "20"},
                 {"deliver_result", "unavailable"},
                 {"retry_base_ms", "500"},
                 {"retry_cap_ms", "4000"},
                 {"retry_limit", "50"}});
  runtime->run_due();
  EXPECT_EQ(outbox_pending(), 20);
  EXPECT_EQ(deliveries(), 1) << "the first failure holds back the other 19";
  for (int i = 0; i < 10; ++i) {
    runtime->run_due();  // nothing is due yet
    clock->set(outbox()[0].next_attempt_at);
    runtime->run_due();
    EXPECT_LE(outbox()[0].next_attempt_at.ms - clock->now().ms, 4000) << "never longer than the cap";
  }
  EXPECT_EQ(deliveries(), 11) << "one attempt per backoff period, not twenty";
  EXPECT_TRUE(dead_letters().empty());
  EXPECT_EQ(health().state, "retrying");

  set_mode("deliver_result=ok");
  clock->set(outbox()[0].next_attempt_at);
  runtime->run_due();
  EXPECT_EQ(outbox_pending(), 0) << "the peer is back: the backlog drains in one step";
}

TEST_F(OutboundTest, BackpressurePausesIntakeAndResumesWhenTheBacklogDrains) {
  start_example({{"records_per_poll", "5"},
                 {"deliver_result", "unavailable"},
                 {"outbox_limit", "4"},
                 {"poll_interval_ms", "1000"},
                 {"retry_base_ms", "100"},
                 {"retry_cap_ms", "100"}});
  runtime->run_due();
  EXPECT_EQ(outbox_pending(), 4) << "the fifth event waits in the event log";
  EXPECT_EQ(health().state, "backpressure");
  EXPECT_TRUE(logged("intake paused")) << all_logs();

  advance(1000);
  runtime->run_due();
  EXPECT_EQ(health().polls, 1) << "no poll while paused";
  RouteResponse pushed = call_route("POST", "/example/webhook",
                                    R"({"entity":"client","external_id":"w-1","fields":{"name":"Pushed"}})");
  EXPECT_EQ(pushed.status, 503) << pushed.body;
  EXPECT_EQ(client_count(), 5);
  EXPECT_EQ(runtime->enqueue_outbound("example", "call", R"({"phone":"+74950000000"})").status().code(),
            Code::kResourceExhausted);

  set_mode("deliver_result=ok");
  advance(1000);
  runtime->run_due();
  EXPECT_EQ(outbox_pending(), 0);
  EXPECT_TRUE(logged("intake resumed")) << all_logs();
  EXPECT_NE(health().state, "backpressure");
  runtime->run_due();
  EXPECT_EQ(health().polls, 2) << "polling again";
  EXPECT_EQ(call_route("POST", "/example/webhook",
                       R"({"entity":"client","external_id":"w-1","fields":{"name":"Pushed"}})")
                .status,
            200);
}

TEST_F(OutboundTest, ABacklogOverABatchDrainsAStepAtATimeAndRunDueSaysMoreIsWaiting) {
  // 250 events, 100 deliveries a step (RuntimeOptions::delivery_batch): the scheduler of
  // `salescore serve` steps again at once while run_due() says so, without its pause.
  start_example({{"records_per_poll", "250"}, {"poll_interval_ms", "60000"}});
  EXPECT_TRUE(runtime->run_due()) << "a whole batch went: more is waiting";
  EXPECT_EQ(deliveries(), 100);
  EXPECT_EQ(outbox_pending(), 150) << "the delivered batch left the outbox in its one transaction";
  EXPECT_TRUE(runtime->run_due());
  EXPECT_EQ(outbox_pending(), 50);
  EXPECT_FALSE(runtime->run_due()) << "the last, partial batch: nothing more now";
  EXPECT_EQ(deliveries(), 250);
  EXPECT_EQ(outbox_pending(), 0);
  EXPECT_EQ(health().delivered, 250);
  EXPECT_FALSE(runtime->run_due());
  EXPECT_EQ(deliveries(), 250) << "each once";
}

TEST_F(OutboundTest, AfterBeginShutdownNoPollOrDeliveryStartsAndTheNextStartDeliversTheRestOnce) {
  // `salescore serve` calls begin_shutdown() before it joins its scheduler: a batch in hand
  // ends at the item in hand, what it claimed goes back to the outbox, no poll starts.
  const Settings settings{{"records_per_poll", "250"}, {"poll_interval_ms", "1000"}};
  start_example(settings);
  EXPECT_TRUE(runtime->run_due());
  EXPECT_EQ(deliveries(), 100);
  runtime->begin_shutdown();
  advance(5000);  // a poll is due again
  EXPECT_FALSE(runtime->run_due());
  EXPECT_EQ(deliveries(), 100) << "nothing delivered once the shutdown began";
  EXPECT_EQ(health().polls, 1) << "no poll started";
  EXPECT_EQ(outbox_pending(), 150) << "the batch's claims went back to the outbox";
  EXPECT_EQ(health().last_error, "") << "a shutdown is not the peer's failure";

  runtime.reset();
  Settings again = settings;
  again["records_per_poll"] = "0";  // its own poll adds nothing: only the rest is delivered
  start_example(again);
  while (runtime->run_due()) {
  }
  EXPECT_EQ(outbox_pending(), 0);
  EXPECT_EQ(deliveries(), 150) << "the rest, each once, with no wait for the claims' lease";
}

TEST_F(OutboundTest, AFailureStopsTheBatchAndRunDueWaitsForTheBackoff) {
  start_example({{"records_per_poll", "150"},
                 {"poll_interval_ms", "60000"},
                 {"deliver_result", "unavailable"},
                 {"retry_base_ms", "1000"}});
  EXPECT_FALSE(runtime->run_due()) << "a failing peer is no backlog to hurry through";
  EXPECT_EQ(deliveries(), 1);
  EXPECT_EQ(outbox_pending(), 150);
}

TEST_F(OutboundTest, AnOutboundActionIsQueuedOncePerKeyAndDelivered) {
  start_example({{"records_per_poll", "0"}});
  auto first = runtime->enqueue_outbound("example", "call", R"({"phone":"+74951234567"})", "click-1");
  auto second = runtime->enqueue_outbound("example", "call", R"({"phone":"+74951234567"})", "click-1");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_TRUE(first->has_value());
  EXPECT_FALSE(second->has_value()) << "a double click queues one call";
  runtime->run_due();
  EXPECT_EQ(deliveries(), 1);
  EXPECT_TRUE(logged("deliver call click-1 attempt 1")) << all_logs();
  EXPECT_EQ(runtime->enqueue_outbound("nobody", "call", "{}").status().code(), Code::kNotFound);
}

// subscribe (ABI 1.5): an instance narrows the event types its table declares ("client.")
// in create(); the events it does not receive take no outbox row and the offset moves on.
TEST_F(OutboundTest, AnInstanceReceivesOnlyTheEventTypesItsCreateNarrowedTo) {
  start_example({{"receive", "client.updated"}});
  runtime->run_due();  // the poll creates two clients: two client.created events
  ASSERT_EQ(client_count(), 2);
  EXPECT_EQ(deliveries(), 0);
  EXPECT_EQ(outbox_pending(), 0) << "no row for an event the instance does not receive";
  auto last = engine->events().last_seq();
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(engine->connectors().state("example")->event_offset, *last) << "the offset passed them";

  auto clients = engine->clients().find(Actor::system(), ClientQuery{});
  ASSERT_TRUE(clients.ok() && !clients->empty());
  ClientPatch rename;
  rename.name = "ООО Переименовано";
  ASSERT_TRUE(engine->clients().update(Actor::system(), clients->front().id, rename).ok());
  runtime->run_due();
  EXPECT_EQ(deliveries(), 1) << "client.updated is received";
  EXPECT_EQ(health().delivered, 1);
}

TEST_F(OutboundTest, AnInstanceThatReceivesNoEventStillMovesItsOffset) {
  start_example({{"receive", "none"}, {"records_per_poll", "3"}});
  runtime->run_due();
  EXPECT_EQ(client_count(), 3);
  EXPECT_EQ(deliveries(), 0);
  EXPECT_EQ(outbox_pending(), 0);
  auto last = engine->events().last_seq();
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(engine->connectors().state("example")->event_offset, *last);
  // Its own actions still arrive.
  ASSERT_TRUE(runtime->enqueue_outbound("example", "call", "{}", "click-1").ok());
  runtime->run_due();
  EXPECT_EQ(deliveries(), 1);
}

TEST_F(OutboundTest, AnInstanceCannotWidenWhatItsTableDeclaresNorSubscribeAfterCreate) {
  runtime = std::make_unique<ConnectorRuntime>(*engine, runtime_options());
  Status refused = runtime->add(load_example(), {{"api_token", "tok-123456"}, {"receive", "client.,deal."}});
  EXPECT_EQ(refused.code(), Code::kInvalidArgument);
  EXPECT_NE(refused.message().find("subscribe: 'deal.' is not within the event types the connector declares"),
            std::string::npos)
      << refused.message();

  start_example();
  auto late = call_route("POST", "/example/mode", "subscribe=client.updated");
  EXPECT_NE(late.status, 200);
  EXPECT_TRUE(logged("subscribe: only inside create()")) << all_logs();
  Client c;
  c.name = "ООО Все события";
  ASSERT_TRUE(engine->clients().add(Actor::system(), c).ok());
  runtime->run_due();
  EXPECT_EQ(deliveries(), 3) << "the poll's two clients and this one: the table's whole list still holds";
}

}  // namespace
}  // namespace salescore::plugins::testing
