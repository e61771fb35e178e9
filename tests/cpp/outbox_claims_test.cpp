// Outbox items claimed for delivery with a lease (several processes on one database):
// an item under another process's live lease is passed over, a lease that ran out (its
// process died mid-delivery) is taken over, a rescheduled or released item is free
// again. Runs on SQLite and, under tests/postgres/with_postgres.sh, on PostgreSQL.
#include <cstdlib>

#include "engine_fixture.h"
#include "salescore/connectors.h"

namespace salescore::testing {
namespace {

class OutboxClaimsTest : public EngineTest {
 protected:
  Id queue(const std::string& key) {
    OutboxItem item;
    item.connector = "shop";
    item.kind = "event";
    item.payload = "{}";
    item.idempotency_key = key;
    auto id = engine->connectors().enqueue(item);
    EXPECT_TRUE(id.ok() && *id) << id.status().to_string();
    return id.ok() && *id ? **id : 0;
  }
  std::vector<Id> claim(const std::string& holder, int limit = 10, std::int64_t lease_ms = 60'000) {
    const Instant now = clock->now();
    auto items = engine->connectors().claim_due("shop", now, limit, holder, Instant{now.ms + lease_ms});
    EXPECT_TRUE(items.ok()) << items.status().to_string();
    std::vector<Id> ids;
    if (items.ok())
      for (const OutboxItem& i : *items) ids.push_back(i.id);
    return ids;
  }
};

TEST_F(OutboxClaimsTest, ALiveLeaseKeepsItemsFromOtherProcesses) {
  const Id a = queue("k1"), b = queue("k2"), c = queue("k3");
  EXPECT_EQ(claim("host-a:1", 2), (std::vector<Id>{a, b})) << "oldest first, up to the limit";
  EXPECT_EQ(claim("host-b:2"), (std::vector<Id>{c})) << "what another process holds is passed over";
  EXPECT_TRUE(claim("host-c:3").empty()) << "everything is held";
  EXPECT_EQ(claim("host-a:1"), (std::vector<Id>{a, b})) << "a holder's own claims are its own";
}

TEST_F(OutboxClaimsTest, AnExpiredLeaseIsTakenOver) {
  const Id a = queue("k1");
  EXPECT_EQ(claim("host-a:1", 10, 60'000), (std::vector<Id>{a}));
  clock->advance_ms(59'999);
  EXPECT_TRUE(claim("host-b:2").empty());
  clock->advance_ms(1);
  EXPECT_EQ(claim("host-b:2"), (std::vector<Id>{a})) << "host-a died mid-delivery: its lease ran out";
}

TEST_F(OutboxClaimsTest, RescheduledAndReleasedItemsAreFree) {
  const Id a = queue("k1"), b = queue("k2");
  EXPECT_EQ(claim("host-a:1"), (std::vector<Id>{a, b}));
  ASSERT_TRUE(engine->connectors().reschedule(a, 1, clock->now(), "peer down").is_ok());
  ASSERT_TRUE(engine->connectors().release_claims("shop", "host-a:1").is_ok());
  EXPECT_EQ(claim("host-b:2"), (std::vector<Id>{a, b}));
  auto item = engine->connectors().outbox_item(a);
  ASSERT_TRUE(item.ok() && *item);
  EXPECT_EQ((*item)->attempts, 1);
  // Not yet due again: not claimed.
  ASSERT_TRUE(engine->connectors().reschedule(b, 1, Instant{clock->now().ms + 1000}, "peer down").is_ok());
  EXPECT_EQ(claim("host-c:3"), (std::vector<Id>{})) << "a is host-b's, b is not due";
}

TEST_F(OutboxClaimsTest, ADeadProcesssClaimsAreGivenBackAtStartWhereOneProcessWrites) {
  const Id a = queue("k1"), b = queue("k2");
  EXPECT_EQ(claim("host-a:1", 1), (std::vector<Id>{a}));
  EXPECT_EQ(claim("host-b:2", 1), (std::vector<Id>{b}));
  ASSERT_TRUE(engine->connectors().release_stale_claims("shop", "host-b:2").is_ok());
  // Under tests/postgres/with_postgres.sh the fixture's in-memory engine is a PostgreSQL
  // schema (SALESCORE_MEMORY_STORE).
  const char* redirected = std::getenv("SALESCORE_MEMORY_STORE");
  if (url.starts_with("postgresql") || (redirected && *redirected)) {
    // Another process may be alive: its lease decides.
    EXPECT_EQ(claim("host-b:2"), (std::vector<Id>{b})) << "host-a's item stays host-a's";
  } else {
    // SQLite: host-a can only have been an earlier process, killed mid-delivery.
    EXPECT_EQ(claim("host-b:2"), (std::vector<Id>{a, b}));
  }
}

TEST_F(OutboxClaimsTest, AClaimNeedsItsHolder) {
  queue("k1");
  auto items = engine->connectors().claim_due("shop", clock->now(), 10, "", clock->now());
  EXPECT_EQ(items.status().code(), Code::kInvalidArgument);
}

TEST_F(OutboxClaimsTest, OneProcessHoldsEveryRunLockOfASqliteDatabase) {
  // (On PostgreSQL the lock is the server's: the second engine is another session.)
  auto held = engine->connectors().hold_run_lock("mail");
  ASSERT_TRUE(held.ok()) << held.status().to_string();
  EXPECT_TRUE(*held);
  EXPECT_TRUE(*engine->connectors().hold_run_lock("mail")) << "kept at the next step";
  engine->connectors().release_run_lock("mail");
  EXPECT_TRUE(*engine->connectors().hold_run_lock("mail"));
  EXPECT_EQ(engine->connectors().hold_run_lock("").status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace salescore::testing
