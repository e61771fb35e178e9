// A dead letter keeps what it knows: the reason it was given up on stays, every replay
// is recorded on it with its time and result, a replay that is refused changes nothing,
// and an outbound item that fails again after a replay comes back to the same letter.
#include "host/dead_letter_replay.h"
#include "plugin_fixture.h"

namespace salescore::plugins::testing {
namespace {

class DeadLetterReplayTest : public PluginTest {
 protected:
  std::vector<DeadLetter> every_letter() {
    DeadLetterQuery q;
    q.include_replayed = true;
    q.limit = 0;
    auto letters = engine->connectors().dead_letters(q);
    EXPECT_TRUE(letters.ok());
    return letters.ok() ? *letters : std::vector<DeadLetter>{};
  }
  DeadLetter letter(Id id) {
    auto d = engine->connectors().dead_letter(id);
    EXPECT_TRUE(d.ok()) << d.status().to_string();
    return d.ok() ? *d : DeadLetter{};
  }
  // Letters for one outbox item (its idempotency key): the connector goes on polling
  // meanwhile, and the events of its new clients make letters of their own.
  std::vector<DeadLetter> letters_for(const std::string& key) {
    std::vector<DeadLetter> out;
    for (DeadLetter& d : every_letter())
      if (d.idempotency_key == key) out.push_back(std::move(d));
    return out;
  }
  int deliveries() {
    RouteResponse stats = call_route("GET", "/example/stats");
    auto at = stats.body.find("\"deliveries\":");
    return at == std::string::npos ? -1 : std::atoi(stats.body.c_str() + at + 13);
  }
};

TEST_F(DeadLetterReplayTest, ARecordRefusedAgainForTheSameReasonIsOneLetterReceivedAgain) {
  // 1C sends the same orders file at every full exchange: its refused document must not
  // become a new letter each time.
  DeadLetter refused;
  refused.connector = "onec";
  refused.kind = "order";
  refused.source = "onec";
  refused.external_id = "92";
  refused.idempotency_key = "onec-92-a";
  refused.payload = R"({"external_id":"92"})";
  refused.code = Code::kFailedPrecondition;
  refused.reason = "external id '92' names no order";
  refused.attempts = 1;
  auto first = engine->connectors().add_dead_letter(refused);
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  refused.idempotency_key = "onec-92-b";  // another exchange, another key
  auto again = engine->connectors().add_dead_letter(refused);
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ(*again, *first);
  ASSERT_EQ(every_letter().size(), 1u);
  const DeadLetter kept = letter(*first);
  EXPECT_EQ(kept.reason, refused.reason);
  ASSERT_EQ(kept.replays.size(), 1u);
  EXPECT_EQ(kept.replays[0].outcome, "received_again");

  refused.payload = R"({"external_id":"92","status":"shipped"})";  // the record changed: a new failure
  auto changed = engine->connectors().add_dead_letter(refused);
  ASSERT_TRUE(changed.ok());
  EXPECT_NE(*changed, *first);
  EXPECT_EQ(every_letter().size(), 2u);
}

TEST_F(DeadLetterReplayTest, AnOutboundReplayThatFailsAgainComesBackToTheSameLetter) {
  start_example({{"records_per_poll", "1"}, {"deliver_result", "invalid_argument"}});
  runtime->run_due();
  ASSERT_EQ(dead_letters().size(), 1u);
  const DeadLetter original = dead_letters()[0];

  advance(60'000);
  auto requeued = runtime->replay(original.id);
  ASSERT_TRUE(requeued.ok()) << requeued.status().to_string();
  EXPECT_EQ(*requeued, ReplayOutcome::kRequeued);
  EXPECT_FALSE(letter(original.id).replayed_at) << "queued is not delivered";
  const int delivered_before = deliveries();
  advance(60'000);
  runtime->run_due();  // refused by the peer again
  EXPECT_GT(deliveries(), delivered_before);

  ASSERT_EQ(letters_for(original.idempotency_key).size(), 1u) << "no second letter for the same item";
  const DeadLetter after = letter(original.id);
  EXPECT_FALSE(after.replayed_at) << "a replay that failed is not a replay done";
  EXPECT_EQ(after.reason, original.reason);
  EXPECT_EQ(after.code, original.code);
  EXPECT_EQ(after.failed_at, original.failed_at);
  ASSERT_EQ(after.replays.size(), 2u);
  EXPECT_EQ(after.replays[0].outcome, "requeued");
  EXPECT_EQ(after.replays[0].at.ms, kStartMs + 60'000);
  EXPECT_EQ(after.replays[1].outcome, "failed");
  EXPECT_EQ(after.replays[1].at.ms, kStartMs + 120'000);
  EXPECT_EQ(after.replays[1].code, Code::kInvalidArgument);
  EXPECT_FALSE(after.replays[1].reason.empty());
  EXPECT_FALSE(engine->connectors().queued_replay(original.id)->has_value());

  // Fixed on the peer's side: the next replay delivers, and only then is it replayed.
  set_mode("deliver_result=ok");
  ASSERT_TRUE(runtime->replay(original.id).ok());
  EXPECT_EQ(runtime->replay(original.id).status().code(), Code::kFailedPrecondition)
      << "already queued: a second replay is refused";
  advance(60'000);
  runtime->run_due();
  const DeadLetter delivered = letter(original.id);
  ASSERT_TRUE(delivered.replayed_at);
  EXPECT_EQ(delivered.replayed_at->ms, kStartMs + 180'000);
  EXPECT_EQ(delivered.reason, original.reason);
  ASSERT_EQ(delivered.replays.size(), 4u);
  EXPECT_EQ(delivered.replays[3].outcome, "delivered");
  EXPECT_EQ(letters_for(original.idempotency_key).size(), 1u);
  EXPECT_FALSE(engine->connectors().queued_replay(original.id)->has_value());
}

TEST_F(DeadLetterReplayTest, AFailedInboundReplayKeepsTheOriginalReasonAndRecordsTheAttempt) {
  start_example();
  const std::string order =
      R"({"entity":"order","external_id":"o-1","fields":{"client":"w-9","lines":[{"sku":"A","quantity":1,"price":"10"}]}})";
  call_route("POST", "/example/webhook", order);
  ASSERT_EQ(dead_letters().size(), 1u);
  // The same record, given up on for another reason first (the database was busy).
  DeadLetter busy = dead_letters()[0];
  busy.code = Code::kUnavailable;
  busy.reason = "gave up after 5 attempts: database is locked";
  busy.idempotency_key += "-busy";
  auto id = engine->connectors().add_dead_letter(busy);
  ASSERT_TRUE(id.ok());

  advance(1000);
  auto replay = runtime->replay(*id);
  EXPECT_EQ(replay.status().code(), Code::kNotFound) << "the client w-9 is still unknown";
  const DeadLetter after = letter(*id);
  EXPECT_EQ(after.reason, "gave up after 5 attempts: database is locked");
  EXPECT_EQ(after.code, Code::kUnavailable);
  EXPECT_FALSE(after.replayed_at);
  ASSERT_EQ(after.replays.size(), 1u);
  EXPECT_EQ(after.replays[0].outcome, "failed");
  EXPECT_EQ(after.replays[0].code, Code::kNotFound);
  EXPECT_EQ(after.replays[0].at.ms, kStartMs + 1000);
  EXPECT_NE(after.replays[0].reason.find("w-9"), std::string::npos) << after.replays[0].reason;
}

TEST_F(DeadLetterReplayTest, ReplayingAnAutomationsLetterIsRefusedAndChangesNothing) {
  DeadLetter l;
  l.connector = "automation.mail.notify_vip";
  l.direction = DeadLetterDirection::kInbound;
  l.kind = "deal.lost";
  l.source = "events";
  l.external_id = "42";
  l.idempotency_key = "automation.mail.notify_vip:42";
  l.payload = R"({"seq":42,"type":"deal.lost","traceback":"Traceback (most recent call last): ..."})";
  l.code = Code::kInternal;
  l.reason = "RuntimeError: smtp down";
  l.attempts = 5;
  auto id = engine->connectors().add_dead_letter(l);
  ASSERT_TRUE(id.ok());
  const DeadLetter before = letter(*id);
  const std::int64_t events_before = *engine->events().last_seq();

  auto replay = replay_dead_letter(*engine, *id);
  ASSERT_FALSE(replay.ok());
  EXPECT_EQ(replay.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(replay.status().message().find("automation"), std::string::npos) << replay.status().message();

  const DeadLetter after = letter(*id);
  EXPECT_EQ(after.reason, before.reason);
  EXPECT_EQ(after.code, before.code);
  EXPECT_EQ(after.attempts, before.attempts);
  EXPECT_EQ(after.failed_at, before.failed_at);
  EXPECT_EQ(after.payload, before.payload);
  EXPECT_FALSE(after.replayed_at);
  EXPECT_TRUE(after.replays.empty());
  EXPECT_TRUE(engine->users().by_login(Actor::system(), l.connector).status().is_not_found())
      << "no integration user is made up for an automation";
  EXPECT_EQ(*engine->events().last_seq(), events_before);
}

TEST_F(DeadLetterReplayTest, AnOutboundEventLetterNamesItsEventType) {
  start_example({{"records_per_poll", "1"}, {"deliver_result", "invalid_argument"}});
  runtime->run_due();
  ASSERT_EQ(dead_letters().size(), 1u);
  EXPECT_EQ(dead_letters()[0].kind, "event");
  EXPECT_EQ(dead_letters()[0].event_type, "client.created");
}

}  // namespace
}  // namespace salescore::plugins::testing
