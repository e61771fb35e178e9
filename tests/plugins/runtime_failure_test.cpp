// When the connector misbehaves: an exception in any callback becomes an error with a
// message, a failing poll backs off or stops until an operator resumes it, and the
// operator can pause a connector. Also the session thread's start and stop.
#include <chrono>
#include <future>
#include <set>
#include <thread>

#include "plugin_fixture.h"

namespace salescore::plugins::testing {
namespace {

class FailureTest : public PluginTest {
 protected:
  // The calls (interactions) the example's session emitted and the host applied.
  std::size_t calls() {
    auto n = engine->interactions().find(Actor::system(), InteractionQuery{});
    return n.ok() ? n->size() : 0u;
  }
};

TEST_F(FailureTest, AnExceptionInAPollIsAnErrorNotACrash) {
  start_example({{"poll_result", "throw"}});
  runtime->run_due();
  EXPECT_EQ(client_count(), 2) << "what the poll emitted before it threw is kept";
  ConnectorHealth h = health();
  EXPECT_EQ(h.state, "failed");
  EXPECT_NE(h.last_error.find("the connector's poll callback threw: poll: example exception"), std::string::npos)
      << h.last_error;
  EXPECT_TRUE(logged("error example: the connector's poll callback threw")) << all_logs();
}

TEST_F(FailureTest, AnExceptionInARouteIsA500) {
  start_example();
  RouteResponse r = call_route("POST", "/example/throw");
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.body.find("route callback threw: route handler: example exception"), std::string::npos) << r.body;
  EXPECT_EQ(call_route("GET", "/example/stats").status, 200) << "the connector still serves";
}

TEST_F(FailureTest, AnExceptionInADeliveryIsADeadLetter) {
  start_example({{"records_per_poll", "1"}, {"deliver_result", "throw"}});
  runtime->run_due();
  auto letters = dead_letters();
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].code, Code::kInternal);
  EXPECT_NE(letters[0].reason.find("deliver callback threw"), std::string::npos) << letters[0].reason;
}

TEST_F(FailureTest, ARetryablePollFailureBacksOffThenRecovers) {
  start_example({{"poll_result", "unavailable"}, {"retry_base_ms", "1000"}});
  runtime->run_due();
  EXPECT_EQ(health().state, "retrying");
  EXPECT_EQ(stored_checkpoint(), "2") << "records emitted before the failure are committed, so is their checkpoint";
  advance(500);
  runtime->run_due();
  EXPECT_EQ(health().polls, 1);
  advance(500);
  runtime->run_due();
  EXPECT_EQ(health().polls, 2) << "retried within the first backoff window, not after the poll interval";

  set_mode("poll_result=ok");
  advance(2000);
  runtime->run_due();
  EXPECT_EQ(health().polls, 3);
  EXPECT_EQ(health().state, "running");
}

TEST_F(FailureTest, RefusedCredentialsStopPollingUntilAnOperatorResumes) {
  start_example({{"poll_result", "unauthenticated"}});
  runtime->run_due();
  ConnectorHealth h = health();
  EXPECT_EQ(h.state, "failed");
  EXPECT_NE(h.reason.find("peer refused the token"), std::string::npos) << h.reason;
  advance(600000);
  runtime->run_due();
  EXPECT_EQ(health().polls, 1) << "a refused login is not repeated: it could lock the account";

  set_mode("poll_result=ok");
  ASSERT_TRUE(runtime->resume("example").is_ok());
  runtime->run_due();
  EXPECT_EQ(health().polls, 2);
  EXPECT_EQ(health().state, "running");
}

TEST_F(FailureTest, AFailureIsWrittenForPluginsListAndAResumeAskedThroughTheDatabaseRestartsIt) {
  // `salescore plugins list` and `plugins resume` run in another process than `serve`.
  start_example({{"poll_result", "unauthenticated"}});
  runtime->run_due();
  auto written = engine->connectors().state("example");
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(written->runtime_state, "failed");
  EXPECT_NE(written->runtime_reason.find("peer refused the token"), std::string::npos) << written->runtime_reason;
  ASSERT_TRUE(written->runtime_at.has_value());

  set_mode("poll_result=ok");
  ASSERT_TRUE(engine->connectors().request_operator("example", "resume").is_ok());
  runtime->run_due();
  EXPECT_EQ(health().polls, 2) << "polled again at once";
  EXPECT_EQ(engine->connectors().state("example")->runtime_state, "running");
  EXPECT_EQ(engine->connectors().state("example")->operator_request, "") << "carried out, so taken";

  ASSERT_TRUE(engine->connectors().request_operator("example", "pause").is_ok());
  advance(60000);
  runtime->run_due();
  EXPECT_EQ(health().state, "paused");
  EXPECT_EQ(health().polls, 2) << "no poll while paused";
  EXPECT_EQ(engine->connectors().state("example")->runtime_state, "paused");
  EXPECT_EQ(engine->connectors().request_operator("example", "reboot").code(), Code::kInvalidArgument);
}

TEST_F(FailureTest, ProgressReportedByTheConnectorIsTheReasonOfItsRunningStateInPluginsList) {
  start_example();
  runtime->run_due();
  set_mode("progress=first sync of INBOX: 500 of 10000 new messages read, password tok-123456");
  runtime->run_due();
  auto written = engine->connectors().state("example");
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(written->runtime_state, "running");
  EXPECT_NE(written->runtime_reason.find("first sync of INBOX: 500 of 10000"), std::string::npos)
      << written->runtime_reason;
  EXPECT_EQ(written->runtime_reason.find("tok-123456"), std::string::npos) << "secrets are masked";
  set_mode("progress=");
  runtime->run_due();
  EXPECT_EQ(engine->connectors().state("example")->runtime_reason, "");
}

TEST_F(FailureTest, AnOperatorPauseStopsPollsDeliveriesAndPushedRecords) {
  start_example();
  ASSERT_TRUE(runtime->pause("example").is_ok());
  ASSERT_TRUE(runtime->enqueue_outbound("example", "call", R"({"phone":"+74951234567"})").ok());
  runtime->run_due();
  EXPECT_EQ(health().polls, 0);
  EXPECT_EQ(health().delivered, 0);
  EXPECT_EQ(health().state, "paused");
  EXPECT_EQ(call_route("POST", "/example/webhook",
                       R"({"entity":"client","external_id":"w-1","fields":{"name":"While paused"}})")
                .status,
            503);
  ASSERT_TRUE(runtime->resume("example").is_ok());
  runtime->run_due();
  EXPECT_EQ(health().polls, 1);
  EXPECT_EQ(health().delivered, 3) << "the queued call and the two new clients' events";
  EXPECT_EQ(runtime->pause("nobody").code(), Code::kNotFound);
}

TEST_F(FailureTest, ASessionRunsOnItsOwnThreadAndStopsWhenAsked) {
  start_example({{"session_records", "3"}, {"records_per_poll", "0"}});
  runtime->start_sessions();
  // The session thread is real: wait for its records, boundedly.
  for (int i = 0; i < 500 && calls() < 3; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(calls(), 3u);
  EXPECT_TRUE(health().last_success.has_value()) << "a session succeeds record by record";
  runtime->stop_sessions();
  RouteResponse stats = call_route("GET", "/example/stats");
  EXPECT_NE(stats.body.find("\"sessions\":1"), std::string::npos) << stats.body;
}

TEST_F(FailureTest, AStopAskedWhileTheSessionIsStillConnectingIsAskedAgainUntilItEnds) {
  // The session is deaf to session_stop() for its first 150 ms (it resets its stop flag
  // once connected, as the telephony connector does) and never reads stopping(): a stop
  // asked only once, in that window, would leave stop_sessions() joining forever.
  start_example({{"session_connect_ms", "150"}, {"session_hears_stopping", "false"}, {"records_per_poll", "0"}});
  for (int round = 0; round < 3; ++round) {
    runtime->start_sessions();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the session is connecting
    auto stopped = std::async(std::launch::async, [&] { runtime->stop_sessions(); });
    // A guard against a hang, not a timing claim: the stop takes about the 150 ms.
    ASSERT_EQ(stopped.wait_for(std::chrono::seconds(60)), std::future_status::ready) << "round " << round;
  }
}

TEST_F(FailureTest, ALostSessionIsReconnectedAndAPauseStopsItUntilResumed) {
  start_example({{"session_records", "1"},
                 {"session_fail_first", "true"},
                 {"records_per_poll", "0"},
                 {"retry_base_ms", "5"},
                 {"retry_cap_ms", "5"}});
  auto sessions = [&] {
    RouteResponse stats = call_route("GET", "/example/stats");
    auto at = stats.body.find("\"sessions\":");
    return at == std::string::npos ? -1 : std::atoi(stats.body.c_str() + at + 11);
  };
  runtime->start_sessions();
  for (int i = 0; i < 500 && calls() < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(calls(), 1u) << "the second connection emitted its call";
  EXPECT_EQ(sessions(), 2);
  EXPECT_TRUE(logged("session lost (1 in a row): session: connection refused")) << all_logs();

  ASSERT_TRUE(runtime->pause("example").is_ok());  // session_stop() ends the running session
  ASSERT_TRUE(runtime->resume("example").is_ok());
  for (int i = 0; i < 500 && calls() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(calls(), 2u) << "a new connection after the resume";
  EXPECT_EQ(sessions(), 3);
  runtime->stop_sessions();
}

TEST_F(FailureTest, ASessionPausedMidStreamSendsWhatWasRefusedOnItsNextConnection) {
  // A push-only peer (AMI) cannot be asked again: what the host refuses while paused the
  // connector keeps, and sends first once the host takes records again. Nothing is lost.
  start_example({{"session_records", "3"}, {"session_pause_after", "1"}, {"records_per_poll", "0"}});
  runtime->start_sessions();
  for (int i = 0; i < 500 && calls() < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(calls(), 1u) << "the first call, then the session waits";
  ASSERT_TRUE(runtime->pause("example").is_ok());  // the session's next two records are refused
  for (int i = 0; i < 100 && calls() < 3; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(calls(), 1u) << "nothing taken while paused";
  ASSERT_TRUE(runtime->resume("example").is_ok());
  // The next connection sends the two refused calls first, then its own three (waiting
  // after the first of all five).
  for (int i = 0; i < 500 && calls() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  runtime->stop_sessions();
  auto found = engine->interactions().find(Actor::system(), InteractionQuery{});
  ASSERT_TRUE(found.ok());
  std::set<std::string> ids;
  for (const auto& c : *found) ids.insert(c.external_id);
  EXPECT_TRUE(ids.count("s-1-0") && ids.count("s-1-1")) << "the first call, and the first refused one";
  EXPECT_TRUE(dead_letters().empty());
}

}  // namespace
}  // namespace salescore::plugins::testing
