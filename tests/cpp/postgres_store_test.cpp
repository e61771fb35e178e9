// The PostgreSQL store's own behaviour: URLs, errors, schema versions and the event log's
// order across connections (several processes). The rest of the suite runs on PostgreSQL
// through SALESCORE_MEMORY_STORE (tests/postgres/with_postgres.sh); these tests need a
// server and are skipped without one.
#include <gtest/gtest.h>

#include <cstdlib>
#include <future>
#include <thread>

#include "salescore/engine.h"
#include "store/event_rows.h"
#include "store/migrations.h"
#include "store/sql.h"
#include "pg_test_database.h"
#include "store/store_url.h"

namespace salescore::testing {
namespace {

using namespace std::chrono_literals;

// A fresh, empty database (a schema of the test server) for each test.
class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SC_FRESH_PG_DATABASE_OR_SKIP(url_);
  }

  std::unique_ptr<store::Connection> connect() {
    auto c = store::open_connection(url_, {});
    EXPECT_TRUE(c.ok()) << c.status().to_string();
    return c.ok() ? std::move(c).value() : nullptr;
  }

  static Event event(const std::string& type) {
    Event e;
    e.at = Instant{1};
    e.type = type;
    e.entity = "client";
    e.entity_id = 1;
    e.payload = "{}";
    return e;
  }

  std::string url_;
};

TEST(StoreUrl, PasswordNeverShown) {
  EXPECT_EQ(store::redacted_url("postgresql://sales:s3cret@db.example:5432/crm"), "postgresql://sales:***@db.example:5432/crm");
  EXPECT_EQ(store::redacted_url("postgres://u@h/db?password=s3cret&sslmode=require"),
            "postgres://u@h/db?password=***&sslmode=require");
  EXPECT_EQ(store::redacted_url("sqlite:crm.db"), "sqlite:crm.db");
  EXPECT_EQ(redacted_store_url("postgresql://a:b@c/d"), "postgresql://a:***@c/d");
}

TEST(StoreUrl, UnreachableServerIsUnavailableWithoutThePassword) {
  // Port 1 on loopback: nothing listens there.
  auto e = Engine::open("postgresql://sales:s3cret@127.0.0.1:1/crm?connect_timeout=2");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), Code::kUnavailable) << e.status().to_string();
  EXPECT_EQ(e.status().message().find("s3cret"), std::string::npos) << e.status().message();
  EXPECT_NE(e.status().message().find("sales:***@127.0.0.1"), std::string::npos) << e.status().message();
}

TEST_F(PostgresStoreTest, EngineOpensMigratesAndReopens) {
  {
    auto e = Engine::open(url_);
    ASSERT_TRUE(e.ok()) << e.status().to_string();
    EXPECT_EQ((*e)->schema_version(), store::latest_schema_version());
  }
  auto again = Engine::open(url_);
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ((*again)->schema_version(), store::latest_schema_version());
}

TEST_F(PostgresStoreTest, DatabaseOfANewerSalescoreIsRefused) {
  ASSERT_TRUE(Engine::open(url_).ok());
  auto c = connect();
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->exec("INSERT INTO schema_version(version, description, applied_at) VALUES (9999, 'future', 0)").is_ok());
  auto e = Engine::open(url_);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().reason(), "schema_too_new") << e.status().to_string();
}

TEST_F(PostgresStoreTest, ErrorsMapToTheStoreCodes) {
  ASSERT_TRUE(Engine::open(url_).ok());
  auto c = connect();
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->exec("CREATE TABLE keyed (k TEXT PRIMARY KEY)").is_ok());
  auto ins = c->prepare("INSERT INTO keyed(k) VALUES (?)");
  ASSERT_TRUE(ins.ok());
  {
    store::StatementUse use(**ins);
    use->bind_all("a");
    ASSERT_TRUE(use->run().is_ok());
  }
  store::StatementUse use(**ins);
  use->bind_all("a");
  EXPECT_EQ(use->run().code(), Code::kAlreadyExists);
  // A transaction a statement failed in does not commit as if nothing happened.
  ASSERT_TRUE(c->begin_write().is_ok());
  EXPECT_FALSE(c->exec("SELECT no_such_column FROM keyed").is_ok());
  EXPECT_FALSE(c->commit().is_ok());
}

TEST_F(PostgresStoreTest, LastInsertIdAndNoLimit) {
  ASSERT_TRUE(Engine::open(url_).ok());
  auto c = connect();
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->exec("CREATE TABLE notes (id " + c->dialect().id_column() + ", body TEXT)").is_ok());
  for (int i = 0; i < 3; ++i) {
    auto ins = c->prepare("INSERT INTO notes(body) VALUES (?)");
    ASSERT_TRUE(ins.ok()) << ins.status().to_string();
    store::StatementUse use(**ins);
    use->bind_all("x");
    ASSERT_TRUE(use->run().is_ok());
    EXPECT_EQ(c->last_insert_id(), i + 1);
  }
  auto q = c->prepare("SELECT id FROM notes ORDER BY id LIMIT ?");
  ASSERT_TRUE(q.ok()) << q.status().to_string();
  store::StatementUse use(**q);
  use->bind_all(-1);  // SQLite's "no limit"
  int rows = 0;
  while (*use->step()) ++rows;
  EXPECT_EQ(rows, 3);
}

// Two writers on two connections (as two `salescore serve` processes): the first takes a
// sequence number and commits late; the second commits meanwhile. A consumer reading
// `events after <cursor>` in between must not see the second's event before the first's,
// or it would move its cursor past the first for good.
TEST_F(PostgresStoreTest, EventLogIsInCommitOrderAcrossWriters) {
  ASSERT_TRUE(Engine::open(url_).ok());
  auto slow = connect();
  auto fast = connect();
  auto reader = connect();
  ASSERT_TRUE(slow && fast && reader);

  ASSERT_TRUE(slow->begin_write().is_ok());
  ASSERT_TRUE(store::insert_event(*slow, event("slow.first")).is_ok());
  auto fast_done = std::async(std::launch::async, [&] {
    Status st = fast->begin_write();
    if (st.is_ok()) st = store::insert_event(*fast, event("fast.second"));
    if (st.is_ok()) st = fast->commit();
    return st;
  });
  // Give the fast writer every chance to commit ahead (no time is asserted: with the
  // sequence taken at INSERT and no lock, it would commit here and the reader see it).
  fast_done.wait_for(300ms);
  std::int64_t cursor = 0;
  auto seen = store::events_since(*reader, cursor, 100);
  ASSERT_TRUE(seen.ok()) << seen.status().to_string();
  EXPECT_TRUE(seen->empty()) << "a later transaction's event became visible before the earlier one committed";
  for (const Event& e : *seen) cursor = std::max(cursor, e.seq);

  ASSERT_TRUE(slow->commit().is_ok());
  ASSERT_TRUE(fast_done.get().is_ok());
  auto all = store::events_since(*reader, cursor, 100);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].type, "slow.first");
  EXPECT_EQ((*all)[1].type, "fast.second");
  EXPECT_LT((*all)[0].seq, (*all)[1].seq);
}

// Many writers appending at once: every event is seen exactly once, in seq order, by a
// consumer that polls while they write.
TEST_F(PostgresStoreTest, ConsumerSeesEveryEventOnceWhileWritersRun) {
  ASSERT_TRUE(Engine::open(url_).ok());
  constexpr int kWriters = 3, kEach = 40;
  std::vector<std::future<Status>> writers;
  for (int w = 0; w < kWriters; ++w)
    writers.push_back(std::async(std::launch::async, [&, w]() -> Status {
      auto c = store::open_connection(url_, {});
      if (!c.ok()) return c.status();
      for (int i = 0; i < kEach; ++i) {
        SC_RETURN_IF_ERROR((*c)->begin_write());
        SC_RETURN_IF_ERROR(store::insert_event(**c, event("w" + std::to_string(w))));
        if (i % 3 == 0) std::this_thread::sleep_for(1ms);  // commit late now and then
        SC_RETURN_IF_ERROR((*c)->commit());
      }
      return Status::ok();
    }));
  auto reader = connect();
  ASSERT_TRUE(reader);
  std::int64_t cursor = 0;
  int seen = 0;
  auto poll = [&] {
    auto batch = store::events_since(*reader, cursor, 1000);
    ASSERT_TRUE(batch.ok());
    for (const Event& e : *batch) {
      ASSERT_GT(e.seq, cursor);
      cursor = e.seq;
      ++seen;
    }
  };
  for (auto& w : writers) {
    while (w.wait_for(0ms) != std::future_status::ready) poll();
    ASSERT_TRUE(w.get().is_ok());
  }
  poll();
  EXPECT_EQ(seen, kWriters * kEach);
}

}  // namespace
}  // namespace salescore::testing
