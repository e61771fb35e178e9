// Records coming in: polled and pushed records are applied once, a checkpoint is saved
// only after the records before it are committed, refused records become dead letters
// that replay once fixed, and a busy database delays records without losing them.
#include "host/webhook_signature.h"
#include "plugin_fixture.h"

namespace salescore::plugins::testing {
namespace {

class InboundTest : public PluginTest {};

TEST_F(InboundTest, APollAppliesItsRecordsAndSavesTheCheckpointAfterTheCommit) {
  start_example({{"records_per_poll", "3"}});
  runtime->run_due();
  EXPECT_EQ(client_count(), 3);
  EXPECT_EQ(stored_checkpoint(), "3");
  EXPECT_EQ(health().applied, 3);
  EXPECT_EQ(health().state, "running");
  ASSERT_TRUE(health().last_success.has_value());

  runtime->run_due();
  EXPECT_EQ(health().polls, 1) << "the next poll waits for poll_interval_ms";
  advance(60000);
  runtime->run_due();
  EXPECT_EQ(client_count(), 6);
  EXPECT_EQ(stored_checkpoint(), "6");
}

TEST_F(InboundTest, ARecordDeliveredTwiceIsAppliedOnce) {
  start_example({{"emit_duplicates", "true"}});
  runtime->run_due();
  EXPECT_EQ(client_count(), 2);
  EXPECT_EQ(health().applied, 2);
  EXPECT_EQ(health().duplicates, 2);
  auto events = engine->events().since(0);
  ASSERT_TRUE(events.ok());
  int created = 0;
  for (const Event& e : *events) created += e.type == "client.created";
  EXPECT_EQ(created, 2) << "one client.created per client, none for the copies";

  const std::string body = R"({"entity":"client","external_id":"w-1","fields":{"name":"Pushed twice"}})";
  EXPECT_EQ(call_route("POST", "/example/webhook", body).status, 200);
  EXPECT_EQ(call_route("POST", "/example/webhook", body).status, 200);
  EXPECT_EQ(client_count(), 3);
  EXPECT_EQ(health().duplicates, 3);
}

TEST_F(InboundTest, ASignedWebhookIsCheckedByTheHostBeforeAnythingIsApplied) {
  const std::string secret = "shop-signing-secret-42";
  start_example({{"webhook_secret", secret}});
  const std::string body = R"({"entity":"client","external_id":"s-1","fields":{"name":"Signed"}})";
  const std::string now_s = std::to_string(clock->now().ms / 1000);
  const std::string good = "sha256=" + hmac_sha256_hex(secret, now_s + "." + body);
  auto post = [&](std::string signature, std::string stamp, const std::string& payload) {
    return call_route("POST", "/example/signed", payload, {{"X-Signature", signature}, {"X-Timestamp", stamp}});
  };
  const auto before = client_count();
  EXPECT_EQ(post(good, now_s, body + " ").status, 401) << "the body was changed";
  EXPECT_EQ(post("sha256=" + std::string(64, '0'), now_s, body).status, 401);
  EXPECT_EQ(post("", now_s, body).status, 401);
  const std::string old_s = std::to_string(clock->now().ms / 1000 - 301);
  EXPECT_EQ(post("sha256=" + hmac_sha256_hex(secret, old_s + "." + body), old_s, body).status, 401)
      << "a replay outside the 5-minute window";
  EXPECT_EQ(client_count(), before) << "nothing applied from a refused request";
  RouteResponse ok = post(good, now_s, body);
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(client_count(), before + 1);
  EXPECT_TRUE(webhook_signature_matches(secret, now_s + "." + body, good.substr(7)));
}

TEST_F(InboundTest, IdempotencyKeysAreForgottenAfterInboxDays) {
  start_example({{"inbox_days", "2"}});
  const std::string body = R"({"entity":"client","external_id":"w-1","fields":{"name":"Pushed"}})";
  EXPECT_EQ(call_route("POST", "/example/webhook", body).status, 200);
  const std::string key = idempotency_key_of({"client", "example", "w-1", R"({"name":"Pushed"})", ""});
  runtime->run_due();
  EXPECT_TRUE(*engine->connectors().inbox_contains("example", key)) << "kept for two days";
  advance(47LL * 3600 * 1000);
  runtime->run_due();
  EXPECT_TRUE(*engine->connectors().inbox_contains("example", key));
  advance(2LL * 3600 * 1000);  // past two days, and past the hourly pruning step
  runtime->run_due();
  EXPECT_FALSE(*engine->connectors().inbox_contains("example", key)) << "forgotten after inbox_days";
  // Delivered again now, it is applied again: the upsert changes nothing.
  const auto clients = client_count();
  EXPECT_EQ(call_route("POST", "/example/webhook", body).status, 200);
  EXPECT_EQ(client_count(), clients);
  EXPECT_TRUE(*engine->connectors().inbox_contains("example", key)) << "and remembered afresh";
}

TEST_F(InboundTest, TheCheckpointIsNotAdvancedWhileTheApplyFails) {
  start_example({{"retry_base_ms", "1000"}});
  {
    WriteLock lock(db_path);
    ASSERT_TRUE(lock.locked());
    runtime->run_due();
    EXPECT_EQ(client_count(), 0);
    EXPECT_EQ(stored_checkpoint(), std::nullopt) << "its records are not in the database";
    ConnectorHealth h = health();
    EXPECT_EQ(h.state, "retrying");
    EXPECT_EQ(h.waiting_records, 2);
    EXPECT_NE(h.last_error.find("locked"), std::string::npos) << h.last_error;
  }
  advance(1000);
  runtime->run_due();
  EXPECT_EQ(client_count(), 2);
  EXPECT_EQ(stored_checkpoint(), "2") << "saved once the records before it are committed";
  EXPECT_EQ(health().waiting_records, 0);
  EXPECT_TRUE(dead_letters().empty());
}

TEST_F(InboundTest, NoNewPollWhileRecordsWaitForTheDatabase) {
  start_example({{"retry_base_ms", "1000"}});
  {
    WriteLock lock(db_path);
    runtime->run_due();
    advance(60000);
    runtime->run_due();
    EXPECT_EQ(health().polls, 1) << "a new poll would only stack more records behind the held ones";
  }
  advance(2000);
  runtime->run_due();  // the held records go in first, then the poll that was due
  EXPECT_EQ(health().polls, 2);
  EXPECT_EQ(client_count(), 4);
  EXPECT_EQ(stored_checkpoint(), "4");
}

TEST_F(InboundTest, HeldRecordsAreRetriedWithBackoffInTheirOrder) {
  start_example({{"retry_base_ms", "1000"}, {"retry_cap_ms", "8000"}});
  WriteLock lock(db_path);
  runtime->run_due();  // first attempt fails: retry 1 within 1 s
  advance(1000);
  runtime->run_due();  // fails again: retry 2 within 2 s
  advance(1000);
  lock.release();
  runtime->run_due();
  EXPECT_EQ(client_count(), 0) << "the second retry is not due yet";
  advance(1000);
  runtime->run_due();
  EXPECT_EQ(client_count(), 2);
  auto first = engine->clients().find(Actor::system(), ClientQuery{});
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].external_id, "c-0");
  EXPECT_EQ((*first)[1].external_id, "c-1");
}

TEST_F(InboundTest, ARefusedRecordIsADeadLetterAtOnceAndReplaysOnceFixed) {
  start_example();
  const std::string order =
      R"({"entity":"order","external_id":"o-1","fields":{"client":"w-9","lines":[{"sku":"A","quantity":1,"price":"10"}]}})";
  RouteResponse refused = call_route("POST", "/example/webhook", order);
  EXPECT_EQ(refused.status, 404) << refused.body;
  auto letters = dead_letters();
  ASSERT_EQ(letters.size(), 1u);
  const DeadLetter& letter = letters[0];
  EXPECT_EQ(letter.direction, DeadLetterDirection::kInbound);
  EXPECT_EQ(letter.kind, "order");
  EXPECT_EQ(letter.external_id, "o-1");
  EXPECT_EQ(letter.code, Code::kNotFound);
  EXPECT_NE(letter.reason.find("no client with source 'example' and external_id 'w-9'"), std::string::npos)
      << letter.reason;
  EXPECT_EQ(health().dead_letters, 1);

  auto too_early = runtime->replay(letter.id);
  EXPECT_EQ(too_early.status().code(), Code::kNotFound);
  EXPECT_EQ(engine->connectors().dead_letter(letter.id)->attempts, 2) << "a failed replay is counted";

  ASSERT_EQ(call_route("POST", "/example/webhook",
                       R"({"entity":"client","external_id":"w-9","fields":{"name":"Late client"}})")
                .status,
            200);
  auto replayed = runtime->replay(letter.id);
  ASSERT_TRUE(replayed.ok()) << replayed.status().to_string();
  EXPECT_EQ(*replayed, ReplayOutcome::kApplied);
  auto orders = engine->orders().count(Actor::system(), OrderQuery{});
  EXPECT_EQ(*orders, 1);
  EXPECT_TRUE(dead_letters().empty()) << "a replayed letter is no longer listed";
  EXPECT_TRUE(engine->connectors().dead_letter(letter.id)->replayed_at.has_value());
  EXPECT_EQ(runtime->replay(letter.id).status().code(), Code::kFailedPrecondition) << "replayed once only";
}

TEST_F(InboundTest, AnInvalidRecordIsRefusedWithTheFieldsNamed) {
  start_example();
  RouteResponse r = call_route("POST", "/example/webhook",
                               R"({"entity":"client","external_id":"w-2","fields":{"name":"X","inn":"12345"}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("inn"), std::string::npos) << r.body;
  auto letters = dead_letters();
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].code, Code::kInvalidArgument);
}

TEST_F(InboundTest, ARouteAsksTheSenderToRetryWhenTheDatabaseIsBusy) {
  start_example();
  const std::string body = R"({"entity":"client","external_id":"w-3","fields":{"name":"Busy"}})";
  {
    WriteLock lock(db_path);
    RouteResponse busy = call_route("POST", "/example/webhook", body);
    EXPECT_EQ(busy.status, 503);
    bool retry_after = false;
    for (const auto& [name, value] : busy.headers) retry_after = retry_after || name == "Retry-After";
    EXPECT_TRUE(retry_after);
    EXPECT_EQ(health().waiting_records, 0) << "the sender keeps it, not the host";
  }
  EXPECT_EQ(call_route("POST", "/example/webhook", body).status, 200);
  EXPECT_EQ(client_count(), 1);
}

TEST_F(InboundTest, ABatchIsAppliedAllOrNothing) {
  start_example();
  const std::string good1 = R"({"entity":"client","external_id":"b-1","fields":{"name":"First"}})";
  const std::string good2 = R"({"entity":"client","external_id":"b-2","fields":{"name":"Second"}})";
  const std::string bad = R"({"entity":"client","external_id":"b-3","fields":{"name":"Third","inn":"1"}})";
  RouteResponse refused = call_route("POST", "/example/batch", good1 + "\n" + bad + "\n" + good2);
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("client example/b-3: invalid client"), std::string::npos) << refused.body;
  EXPECT_EQ(client_count(), 0) << "nothing of a refused batch is applied";
  EXPECT_TRUE(dead_letters().empty()) << "the sender hears the reason and sends the batch again";

  RouteResponse applied = call_route("POST", "/example/batch", good1 + "\n" + good2);
  EXPECT_EQ(applied.status, 200) << applied.body;
  EXPECT_EQ(applied.body, "applied 2\n");
  EXPECT_EQ(client_count(), 2);
}

TEST_F(InboundTest, ACheckpointSavedInsideABatchThatFailsIsTakenBack) {
  start_example();
  const std::string good = R"({"entity":"client","external_id":"b-1","fields":{"name":"First"}})";
  const std::string bad = R"({"entity":"client","external_id":"b-3","fields":{"name":"Third","inn":"1"}})";
  ASSERT_EQ(call_route("POST", "/example/batch", good + "\ncheckpoint 7").status, 200);
  EXPECT_EQ(stored_checkpoint(), "7");

  RouteResponse refused = call_route("POST", "/example/batch", good + "\ncheckpoint 9\n" + bad);
  EXPECT_EQ(refused.status, 400) << refused.body;
  // A record applied afterwards settles what was staged: not the lost batch's position.
  ASSERT_EQ(call_route("POST", "/example/webhook", R"({"entity":"client","external_id":"w-1","fields":{"name":"W"}})")
                .status,
            200);
  EXPECT_EQ(stored_checkpoint(), "7") << "a restart resumes before the records the batch lost";
  EXPECT_EQ(client_count(), 2);
}

TEST_F(InboundTest, AnUnknownRouteIsNotTheRuntimes) {
  start_example();
  RouteRequest request{"GET", "/nothing/here", "", {}, "", ""};
  EXPECT_FALSE(runtime->handle(request).has_value());
  RouteRequest wrong_method{"GET", "/example/webhook", "", {}, "", ""};
  EXPECT_FALSE(runtime->handle(wrong_method).has_value());
}

}  // namespace
}  // namespace salescore::plugins::testing
