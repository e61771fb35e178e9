// The PostgreSQL store's bulk paths (store/bulk_rows.h, PgConnection's pipeline): a write
// transaction's statements that return nothing go without waiting, a bulk insert goes as
// one COPY. What must hold: the effects in order, every error still fails the
// transaction whole (reported a few statements later), savepoints unchanged, and COPY's
// text format carrying any text. Needs a server; skipped without one.
#include <gtest/gtest.h>

#include <cstdlib>

#include "store/bulk_rows.h"
#include "store/event_rows.h"
#include "store/migrations.h"
#include "store/sql.h"
#include "pg_test_database.h"
#include "store/store_url.h"

namespace salescore::testing {
namespace {

class PostgresBulkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string url;
    SC_FRESH_PG_DATABASE_OR_SKIP(url);
    auto c = store::open_connection(url, {});
    ASSERT_TRUE(c.ok()) << c.status().to_string();
    c_ = std::move(c).value();
    ASSERT_TRUE(c_->exec("DROP TABLE IF EXISTS keyed; CREATE TABLE keyed (k TEXT PRIMARY KEY, n BIGINT NOT NULL)").is_ok());
  }

  Status insert(const std::string& k, std::int64_t n) {
    auto s = c_->prepare("INSERT INTO keyed (k, n) VALUES (?, ?)");
    if (!s.ok()) return s.status();
    store::StatementUse use(**s);
    use->bind_all(k, n);
    return use->run();
  }

  std::int64_t count(const std::string& where = "TRUE") {
    auto s = c_->prepare("SELECT COUNT(*), COALESCE(SUM(n), 0) FROM keyed WHERE " + where);
    EXPECT_TRUE(s.ok());
    store::StatementUse use(**s);
    auto row = use->step();
    EXPECT_TRUE(row.ok() && *row);
    return use->column_int(0);
  }

  std::unique_ptr<store::Connection> c_;
};

TEST_F(PostgresBulkTest, DeferredWritesAreSeenInOrderAndCommitted) {
  ASSERT_TRUE(c_->begin_write().is_ok());
  // More than one pipeline's worth (500), with a read in the middle that must see them.
  for (int i = 0; i < 700; ++i) ASSERT_TRUE(insert("k" + std::to_string(i), i).is_ok());
  EXPECT_EQ(count(), 700);
  for (int i = 700; i < 1200; ++i) ASSERT_TRUE(insert("k" + std::to_string(i), i).is_ok());
  ASSERT_TRUE(c_->exec("UPDATE keyed SET n = n + 1 WHERE k = 'k0'").is_ok());
  ASSERT_TRUE(c_->commit().is_ok());
  EXPECT_EQ(count(), 1200);
  EXPECT_EQ(count("k = 'k0' AND n = 1"), 1);
}

TEST_F(PostgresBulkTest, ADeferredErrorFailsTheWholeTransaction) {
  ASSERT_TRUE(insert("taken", 1).is_ok());  // outside a write transaction: runs at once
  ASSERT_TRUE(c_->begin_write().is_ok());
  ASSERT_TRUE(insert("a", 1).is_ok());  // learns that the INSERT answers no rows
  ASSERT_TRUE(insert("b", 2).is_ok());
  // Deferred: its duplicate key is reported by the next call that waits for the server.
  EXPECT_TRUE(insert("taken", 3).is_ok());
  EXPECT_TRUE(insert("c", 4).is_ok());
  Status committed = c_->commit();
  EXPECT_EQ(committed.code(), Code::kAlreadyExists) << committed.to_string();
  ASSERT_TRUE(c_->rollback().is_ok());
  // Nothing of the transaction stayed; the connection goes on.
  EXPECT_EQ(count(), 1);
  ASSERT_TRUE(c_->begin_write().is_ok());
  ASSERT_TRUE(insert("d", 5).is_ok());
  ASSERT_TRUE(c_->commit().is_ok());
  EXPECT_EQ(count(), 2);
}

TEST_F(PostgresBulkTest, ADeferredErrorIsReportedByTheNextRead) {
  ASSERT_TRUE(insert("taken", 1).is_ok());
  ASSERT_TRUE(c_->begin_write().is_ok());
  ASSERT_TRUE(insert("a", 1).is_ok());
  EXPECT_TRUE(insert("taken", 2).is_ok());
  auto s = c_->prepare("SELECT COUNT(*) FROM keyed");
  ASSERT_TRUE(s.ok());
  store::StatementUse use(**s);
  auto row = use->step();
  ASSERT_FALSE(row.ok());
  EXPECT_EQ(row.status().code(), Code::kAlreadyExists) << row.status().to_string();
  ASSERT_TRUE(c_->rollback().is_ok());
}

TEST_F(PostgresBulkTest, InsideASavepointErrorsComeAtOnce) {
  // Engine::attempt: an error is caught, the savepoint rolled back, and the transaction
  // goes on. So within a savepoint nothing is deferred.
  ASSERT_TRUE(insert("taken", 1).is_ok());
  ASSERT_TRUE(c_->begin_write().is_ok());
  ASSERT_TRUE(insert("a", 1).is_ok());
  ASSERT_TRUE(insert("b", 1).is_ok());
  ASSERT_TRUE(c_->exec("SAVEPOINT attempt_1").is_ok());
  EXPECT_EQ(insert("taken", 2).code(), Code::kAlreadyExists);
  ASSERT_TRUE(c_->exec("ROLLBACK TO SAVEPOINT attempt_1").is_ok());
  ASSERT_TRUE(c_->exec("RELEASE SAVEPOINT attempt_1").is_ok());
  ASSERT_TRUE(insert("c", 1).is_ok());  // deferred again after the savepoint
  ASSERT_TRUE(c_->commit().is_ok());
  EXPECT_EQ(count(), 4);
}

TEST_F(PostgresBulkTest, CopyCarriesAnyTextAndKeepsTheEventOrder) {
  ASSERT_TRUE(c_->exec("DROP TABLE keyed").is_ok());
  auto migrated = store::migrate(*c_);
  ASSERT_TRUE(migrated.ok()) << migrated.status().to_string();
  std::vector<Event> events;
  for (int i = 0; i < 40; ++i) {
    Event e;
    e.at = Instant{1000 + i};
    e.type = "client.created";
    e.entity = "client";
    e.entity_id = i + 1;
    // Tabs, newlines, carriage returns, backslashes and \N: COPY's own syntax, as text.
    e.payload = "{\"i\":" + std::to_string(i) + ",\"note\":\"a\tb\nc\r\\\\N \\\\ д\"}";
    events.push_back(e);
  }
  ASSERT_TRUE(c_->begin_write().is_ok());
  ASSERT_TRUE(store::insert_event(*c_, events[0]).is_ok());
  std::vector<Event> rest(events.begin() + 1, events.end());
  ASSERT_TRUE(store::insert_events(*c_, rest).is_ok());  // 39 rows: one COPY
  ASSERT_TRUE(c_->commit().is_ok());
  auto read = store::events_since(*c_, 0, 0);
  ASSERT_TRUE(read.ok()) << read.status().to_string();
  ASSERT_EQ(read->size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ((*read)[i].seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ((*read)[i].payload, events[i].payload);
    EXPECT_EQ((*read)[i].entity_id, events[i].entity_id);
    EXPECT_EQ((*read)[i].actor_id, 0);  // NULL through \N
  }
}

TEST_F(PostgresBulkTest, AFailedCopyUndoesItsRowsAndNamesTheTable) {
  static const store::MultiRowInsert keyed_rows{"keyed", {"k", "n"}};
  ASSERT_TRUE(c_->begin_write().is_ok());
  ASSERT_TRUE(insert("first", 1).is_ok());
  // The 30th row repeats the 3rd's key.
  Status st = store::bulk_insert(*c_, keyed_rows, 40, [](store::Statement& s, int first, std::size_t row) {
    s.bind_from(first, "row" + std::to_string(row == 29 ? 2 : row), static_cast<std::int64_t>(row));
  });
  EXPECT_EQ(st.code(), Code::kAlreadyExists) << st.to_string();
  EXPECT_NE(st.message().find("keyed"), std::string::npos) << st.message();
  ASSERT_TRUE(c_->rollback().is_ok());
  EXPECT_EQ(count(), 0);
  // The session goes on, and a good COPY commits every row.
  ASSERT_TRUE(c_->begin_write().is_ok());
  ASSERT_TRUE(store::bulk_insert(*c_, keyed_rows, 40, [](store::Statement& s, int first, std::size_t row) {
                s.bind_from(first, "row" + std::to_string(row), static_cast<std::int64_t>(row));
              }).is_ok());
  ASSERT_TRUE(c_->commit().is_ok());
  EXPECT_EQ(count(), 40);
}

}  // namespace
}  // namespace salescore::testing
