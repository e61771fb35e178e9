// What the plugin tests share: an engine on a database file with a manual clock (a
// file, so a test can lock it from a second connection the way another writer would;
// a PostgreSQL schema under with_postgres.sh),
// the example connector loaded from the test connector directory, and a runtime whose
// log lines and random numbers the test controls.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "host/connector_runtime.h"
#include "host/loader.h"
#include "salescore/engine.h"

namespace salescore::plugins::testing {

// 2026-11-02T09:00:00Z
inline constexpr std::int64_t kStartMs = 1793610000000;

inline std::string test_connector_dir() { return SALESCORE_TEST_CONNECTOR_DIR; }
inline std::string test_connector_path(const std::string& name) {
  return test_connector_dir() + "/salescore_connector_" + name + ".so";
}

// The example connector, loaded once per test.
inline std::shared_ptr<ConnectorLibrary> load_example() {
  auto lib = ConnectorLibrary::open(test_connector_path("example"), nullptr);
  EXPECT_TRUE(lib.ok()) << lib.status().to_string();
  return lib.ok() ? *lib : nullptr;
}

// Holds SQLite's write lock from a second connection, as another salescore process
// in the middle of a write would: the engine's writes fail as unavailable meanwhile.
class WriteLock {
 public:
  explicit WriteLock(const std::string& path) {
    sqlite3_open(path.c_str(), &db_);
    locked_ = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
  }
  ~WriteLock() { release(); }
  bool locked() const { return locked_; }
  void release() {
    if (!db_) return;
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
    db_ = nullptr;
  }

 private:
  sqlite3* db_ = nullptr;
  bool locked_ = false;
};

class PluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("salescore_plugins_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::create_directories(dir_);
    db_path = (dir_ / "crm.db").string();
    EngineOptions options;
    options.clock = clock;
    options.config.busy_timeout_ms = 0;  // a locked database answers at once: tests never wait
    // Under tests/postgres/with_postgres.sh (CTest's salescore_plugin_tests_postgresql)
    // the engine is a fresh PostgreSQL schema instead (store_url.h); the tests that lock
    // the SQLite file from a second connection (WriteLock) are left out of that run.
    const char* on_postgresql = std::getenv("SALESCORE_MEMORY_STORE");
    auto opened = Engine::open(on_postgresql && *on_postgresql ? "sqlite::memory:" : "sqlite:" + db_path, options);
    ASSERT_TRUE(opened.ok()) << opened.status().to_string();
    engine = std::move(opened).value();
  }

  void TearDown() override {
    runtime.reset();
    engine.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  RuntimeOptions runtime_options() {
    RuntimeOptions o;
    // The top of every backoff window, so waits are predictable: base, 2*base, 4*base...
    o.random = [this] { return random_value; };
    o.log = [this](LogLevel level, const std::string& connector, const std::string& message) {
      std::lock_guard lock(log_mutex);
      log_lines.push_back(std::string(log_level_name(level)) + " " + connector + ": " + message);
    };
    return o;
  }

  // A runtime with the example connector added under `settings` (api_token is required).
  void start_example(Settings settings = {}) {
    runtime = std::make_unique<ConnectorRuntime>(*engine, runtime_options());
    if (!settings.count("api_token")) settings["api_token"] = "tok-123456";
    example = load_example();
    ASSERT_TRUE(example);
    Status added = runtime->add(example, settings);
    ASSERT_TRUE(added.is_ok()) << added.to_string();
  }

  RouteResponse call_route(const std::string& method, const std::string& path, const std::string& body = "",
                           std::vector<std::pair<std::string, std::string>> headers = {}) {
    RouteRequest request;
    request.method = method;
    request.path = path;
    request.body = body;
    request.headers = std::move(headers);
    auto response = runtime->handle(request);
    EXPECT_TRUE(response.has_value()) << method << " " << path << " is not routed";
    return response.value_or(RouteResponse{404, {}, ""});
  }

  void set_mode(const std::string& line) {
    auto r = call_route("POST", "/example/mode", line);
    ASSERT_EQ(r.status, 200) << r.body;
  }

  ConnectorHealth health() {
    auto h = runtime->health("example");
    EXPECT_TRUE(h.ok()) << h.status().to_string();
    return h.ok() ? *h : ConnectorHealth{};
  }

  std::int64_t client_count() {
    auto n = engine->clients().count(Actor::system(), ClientQuery{});
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

  std::optional<std::string> stored_checkpoint() {
    auto st = engine->connectors().state("example");
    EXPECT_TRUE(st.ok());
    return st.ok() ? st->checkpoint : std::nullopt;
  }

  std::vector<DeadLetter> dead_letters() {
    DeadLetterQuery q;
    q.connector = "example";
    auto letters = engine->connectors().dead_letters(q);
    EXPECT_TRUE(letters.ok());
    return letters.ok() ? *letters : std::vector<DeadLetter>{};
  }

  std::int64_t outbox_pending() {
    auto n = engine->connectors().pending("example");
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

  bool logged(const std::string& fragment) {
    std::lock_guard lock(log_mutex);
    for (const auto& line : log_lines)
      if (line.find(fragment) != std::string::npos) return true;
    return false;
  }

  std::string all_logs() {
    std::lock_guard lock(log_mutex);
    std::string out;
    for (const auto& line : log_lines) out += line + "\n";
    return out;
  }

  void advance(std::int64_t ms) { clock->advance_ms(ms); }

  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(Instant{kStartMs});
  std::unique_ptr<Engine> engine;
  std::unique_ptr<ConnectorRuntime> runtime;
  std::shared_ptr<ConnectorLibrary> example;
  std::string db_path;
  double random_value = 0.999999;
  std::mutex log_mutex;
  std::vector<std::string> log_lines;

 private:
  std::filesystem::path dir_;
};

}  // namespace salescore::plugins::testing
