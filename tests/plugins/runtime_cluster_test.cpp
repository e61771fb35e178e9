// Two processes on one PostgreSQL database load the same connector: one runs it (polls,
// deliveries), the other stands by, and takes it over where the first left off (its
// checkpoint and event offset) when the first stops or loses its run lock. Two engines
// stand for the two processes (each its own sessions, so its own advisory locks); the
// lock of a killed process is tested with a real kill in postgres_cluster_test.cpp.
// Needs a server: run under tests/postgres/with_postgres.sh (CTest's
// salescore_plugin_tests_postgresql), skipped otherwise.
#include <chrono>
#include <cstdlib>
#include <thread>

#include "plugin_fixture.h"
#include "store/sql.h"
#include "store/store_url.h"

namespace salescore::plugins::testing {
namespace {

class RuntimeClusterTest : public PluginTest {
 protected:
  void SetUp() override {
    const char* server = std::getenv("SALESCORE_MEMORY_STORE");
    if (!server || !*server) GTEST_SKIP() << "no PostgreSQL server (run under tests/postgres/with_postgres.sh)";
    auto url = store::private_store_url("sqlite::memory:");
    ASSERT_TRUE(url.ok()) << url.status().to_string();
    url_ = *url;
    engine = open_engine();
    other_engine = open_engine();
    ASSERT_TRUE(engine && other_engine);
  }
  void TearDown() override {
    other_runtime.reset();
    other_engine.reset();
    PluginTest::TearDown();
  }

  std::unique_ptr<Engine> open_engine() {
    EngineOptions options;
    options.clock = clock;
    auto opened = Engine::open(url_, options);
    EXPECT_TRUE(opened.ok()) << opened.status().to_string();
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  std::unique_ptr<ConnectorRuntime> start(Engine& e, const std::string& process) {
    RuntimeOptions o = runtime_options();
    o.process_name = process;
    auto r = std::make_unique<ConnectorRuntime>(e, o);
    auto lib = load_example();
    EXPECT_TRUE(lib);
    Status added = r->add(lib, {{"api_token", "tok-123456"}});
    EXPECT_TRUE(added.is_ok()) << added.to_string();
    return r;
  }

  static int stat(ConnectorRuntime& r, const std::string& name) {
    RouteRequest request;
    request.method = "GET";
    request.path = "/example/stats";
    auto out = r.handle(request);
    if (!out) return -1;
    auto at = out->body.find("\"" + name + "\":");
    return at == std::string::npos ? -1 : std::atoi(out->body.c_str() + at + name.size() + 3);
  }
  static ConnectorHealth health_of(ConnectorRuntime& r) {
    auto h = r.health("example");
    return h.ok() ? *h : ConnectorHealth{};
  }

  std::string url_;
  std::unique_ptr<Engine> other_engine;
  std::unique_ptr<ConnectorRuntime> other_runtime;
};

TEST_F(RuntimeClusterTest, OneProcessRunsTheConnectorAndAnotherTakesOverWhereItLeftOff) {
  runtime = start(*engine, "host-a:1");
  other_runtime = start(*other_engine, "host-b:2");
  runtime->run_due();
  other_runtime->run_due();
  EXPECT_EQ(stat(*runtime, "polls"), 1);
  EXPECT_EQ(stat(*runtime, "deliveries"), 2) << "the two clients its poll made";
  EXPECT_EQ(stat(*other_runtime, "polls"), 0) << "the standby process does not poll";
  EXPECT_EQ(stat(*other_runtime, "deliveries"), 0);
  EXPECT_EQ(health_of(*other_runtime).state, "standby");
  EXPECT_EQ(health_of(*runtime).state, "running");

  // The first process stops: its connector is handed on.
  runtime.reset();
  advance(60'000);
  other_runtime->run_due();
  EXPECT_TRUE(logged("runs in this process now (host-b:2)")) << all_logs();
  EXPECT_EQ(stat(*other_runtime, "polls"), 1);
  EXPECT_EQ(health_of(*other_runtime).duplicates, 0) << "the poll went on from the first process's checkpoint";
  EXPECT_EQ(stat(*other_runtime, "deliveries"), 2) << "only its own poll's clients: the first's events went once";
  EXPECT_EQ(client_count(), 4);
}

TEST_F(RuntimeClusterTest, AProcessThatLosesItsRunLockStopsAndTheOtherRunsIt) {
  runtime = start(*engine, "host-a:1");
  other_runtime = start(*other_engine, "host-b:2");
  runtime->run_due();
  // The first process's lock session is cut (a network cut, a server restart).
  auto admin = store::open_connection(url_, {});
  ASSERT_TRUE(admin.ok());
  auto cut = (*admin)->prepare("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' "
                               "AND classid = 1396919372 AND granted");
  ASSERT_TRUE(cut.ok());
  {
    store::StatementUse use(**cut);
    auto row = use->step();
    ASSERT_TRUE(row.ok() && *row);
    ASSERT_EQ(use->column_int(0), 1);
  }
  // The server drops the lock as the cut session ends; the other process takes it then.
  bool taken = false;
  for (int i = 0; i < 200 && !taken; ++i) {
    auto held = other_engine->connectors().hold_run_lock("example");
    taken = held.ok() && *held;
    if (!taken) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(taken);
  advance(60'000);
  runtime->run_due();  // learns it lost the lock: stops here
  EXPECT_EQ(stat(*runtime, "polls"), 1);
  EXPECT_EQ(health_of(*runtime).state, "standby");
  other_runtime->run_due();
  EXPECT_EQ(stat(*other_runtime, "polls"), 1) << all_logs();
  advance(60'000);
  runtime->run_due();
  EXPECT_EQ(stat(*runtime, "polls"), 1) << "the other holds it now";
}

}  // namespace
}  // namespace salescore::plugins::testing
