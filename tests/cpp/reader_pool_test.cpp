// Reads on a database file go to pooled reader connections (engine/connection_slot.h):
// they see what is committed, never what a write in progress has not committed yet, do
// not wait for that write, and a read inside a write still sees the write's own changes.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <thread>
#include <vector>

#include "engine/connection_slot.h"
#include "engine_fixture.h"

namespace salescore::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class ReaderPoolTest : public EngineTest {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("salescore-readers-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    url = "sqlite:" + (dir_ / "crm.db").string();
    EngineTest::SetUp();
  }
  void TearDown() override {
    engine.reset();
    fs::remove_all(dir_);
  }

  fs::path dir_;
};

TEST_F(ReaderPoolTest, AReadDoesNotWaitForAWriteInProgressNorSeeItsUncommittedChanges) {
  const Id existing = add_client("ООО Ромашка");
  std::promise<void> written, release;
  std::shared_future<void> released = release.get_future().share();
  Id created = 0;
  std::thread writer([&] {
    Status st = engine->batch([&]() -> Status {
      auto c = engine->clients().add(actor, client_named("ООО Незавершённая"));
      if (!c.ok()) return c.status();
      created = c->record.id;
      // Inside the write, a read sees the write's own change.
      if (!engine->clients().get(actor, created).ok()) return Status::internal("own change not visible");
      written.set_value();
      released.wait();
      return Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
  });
  written.get_future().wait();

  // The writer holds its transaction open; this read must answer anyway.
  auto reading = std::async(std::launch::async, [&] {
    auto seen = engine->clients().get(actor, existing);
    auto unseen = engine->clients().get(actor, created);
    auto count = engine->clients().count(actor, ClientQuery{});
    return std::make_tuple(seen.ok(), unseen.status().code(), count.ok() ? *count : -1);
  });
  const bool answered = reading.wait_for(10s) == std::future_status::ready;
  release.set_value();
  writer.join();
  ASSERT_TRUE(answered) << "a read waited for the write transaction of another thread";
  auto [seen, unseen_code, count] = reading.get();
  EXPECT_TRUE(seen);
  EXPECT_EQ(unseen_code, Code::kNotFound);
  EXPECT_EQ(count, 1);

  // Committed now: every reader sees it.
  EXPECT_TRUE(engine->clients().get(actor, created).ok());
  EXPECT_EQ(*engine->clients().count(actor, ClientQuery{}), 2);
}

TEST_F(ReaderPoolTest, ManyThreadsReadWhileOthersWriteAndEveryoneSeesEveryCommit) {
  const Id manager = add_manager("ivanov.ii");
  constexpr int kWriters = 2, kReaders = 12, kPerWriter = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w)
    threads.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        Client c = client_named("Клиент " + std::to_string(w) + "-" + std::to_string(i));
        c.owner_id = manager;
        auto added = engine->clients().add(actor, c);
        // What this thread just committed, it reads back at once (from any reader).
        if (!added.ok() || !engine->clients().get(actor, added->record.id).ok()) ++failures;
      }
    });
  for (int r = 0; r < kReaders; ++r)
    threads.emplace_back([&] {
      std::int64_t last = 0;
      for (int i = 0; i < 60; ++i) {
        auto n = engine->clients().count(actor, ClientQuery{});
        if (!n.ok() || *n < last) ++failures;  // commits never disappear
        if (n.ok()) last = *n;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(*engine->clients().count(actor, ClientQuery{}), kWriters * kPerWriter);
}

TEST_F(ReaderPoolTest, ARefusalInAReadIsStillAudited) {
  const Id ivanov = add_manager("ivanov.ii");
  const Id petrova = add_manager("petrova.aa");
  Client theirs = client_named("ООО Чужой");
  theirs.owner_id = petrova;
  const Id foreign = engine->clients().add(actor, theirs)->record.id;
  const auto before = event_count();
  auto refused = engine->clients().get(Actor{ivanov, Role::kManager}, foreign);
  ASSERT_EQ(refused.status().code(), Code::kPermissionDenied);
  auto events = engine->events().since(before);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().type, "access.denied");
  EXPECT_EQ(events->front().entity_id, foreign);
}

TEST_F(ReaderPoolTest, ADiscardedReaderMakesRoomForANewOne) {
  store::OpenOptions options;
  options.reader = true;
  detail::ReaderPool pool(url, options, /*max_readers=*/1);
  auto first = pool.take();
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  pool.discard(std::move(*first));
  // With the only slot still counted as taken, this would wait for ever.
  auto second = std::async(std::launch::async, [&] { return pool.take(); });
  if (second.wait_for(10s) != std::future_status::ready) {
    // Unblock the waiting take (the future's destructor would wait for it), then fail.
    auto spare = store::open_connection(url, options);
    ASSERT_TRUE(spare.ok());
    pool.give_back(std::move(*spare));
    FAIL() << "the discarded reader still counted against the pool's limit";
  }
  auto reader = second.get();
  ASSERT_TRUE(reader.ok());
  pool.give_back(std::move(*reader));
}

}  // namespace
}  // namespace salescore::testing
