// A writer held up past the lock timeout by another process's write is told to retry
// (`unavailable`, HTTP 503) and writes again once the other is done: the failed wait
// leaves nothing behind on its connection. On PostgreSQL the timed-out wait for the
// writer lock (PgConnection::begin_write) aborted the transaction just begun, which was
// left open: every later write of that engine failed with "current transaction is
// aborted" until the process restarted. Runs on a SQLite file and on PostgreSQL (skipped
// without a server: run under tests/postgres/with_postgres.sh).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "both_stores.h"
#include "salescore/engine.h"

namespace salescore::testing {
namespace {

using namespace std::chrono_literals;

class WriterLockTimeoutTest : public BothStoresTest {
 protected:
  void SetUp() override { open_store("writer_lock_timeout"); }
};

Result<Saved<Client>> add_client(Engine& e, const std::string& name) {
  Client c;
  c.name = name;
  return e.clients().add(Actor::system(), c);
}

TEST_P(WriterLockTimeoutTest, AWriterHeldUpPastTheTimeoutIsToldToRetryAndWritesAgainAfterwards) {
  auto holder = Engine::open(url_);
  ASSERT_TRUE(holder.ok()) << holder.status().to_string();
  EngineOptions impatient;
  impatient.config.busy_timeout_ms = 100;
  auto waiter = Engine::open(url_, impatient);
  ASSERT_TRUE(waiter.ok()) << waiter.status().to_string();
  ASSERT_TRUE(add_client(**waiter, "before").ok());

  for (int round = 0; round < 2; ++round) {
    std::atomic<bool> holding{false}, done{false};
    std::thread other([&] {
      // Another process's write that keeps the lock well past the waiter's timeout.
      Status st = (*holder)->batch([&]() -> Status {
        auto r = add_client(**holder, "held " + std::to_string(round));
        holding = true;
        while (!done) std::this_thread::sleep_for(5ms);
        return r.status();
      });
      EXPECT_TRUE(st.is_ok()) << st.to_string();
    });
    while (!holding) std::this_thread::sleep_for(5ms);
    auto refused = add_client(**waiter, "refused " + std::to_string(round));
    done = true;
    other.join();
    EXPECT_EQ(refused.status().code(), Code::kUnavailable) << refused.status().to_string();
    auto later = add_client(**waiter, "later " + std::to_string(round));
    EXPECT_TRUE(later.ok()) << "round " << round << ": " << later.status().to_string();
  }
  ClientQuery all;
  auto listed = (*holder)->clients().find(Actor::system(), all);
  ASSERT_TRUE(listed.ok()) << listed.status().to_string();
  std::vector<std::string> names;
  for (const Client& c : *listed) names.push_back(c.name);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"before", "held 0", "held 1", "later 0", "later 1"}))
      << "nothing of a refused write is kept";
}

SC_ON_BOTH_STORES(WriterLockTimeoutTest);

}  // namespace
}  // namespace salescore::testing
