// Idempotent writes (salescore/idempotency.h): the first run's reply kept per user and
// key, replayed to the same request, refused to another, gone after the keeping time.
#include <gtest/gtest.h>

#include "engine_fixture.h"

namespace salescore::testing {
namespace {

class IdempotencyTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    ivanov = add_manager("ivanov");
    petrova = add_manager("petrova");
  }

  // A write that creates a client named `name` and answers 201 with its id, counting runs.
  std::function<WriteReply()> create_client(const std::string& name, Id owner) {
    return [this, name, owner] {
      ++runs;
      Client c = client_named(name);
      c.owner_id = owner;
      auto saved = engine->clients().add(Actor{owner, Role::kManager}, c);
      if (!saved.ok()) return WriteReply{KeptReply{400, saved.status().message()}, false};
      return WriteReply{KeptReply{201, std::to_string(saved->record.id)}, true};
    };
  }

  std::int64_t clients_named(const std::string& name) {
    ClientQuery q;
    q.name_prefix = name;
    auto n = engine->clients().count(actor, q);
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

  Actor as(Id id) { return Actor{id, Role::kManager}; }

  Id ivanov = 0, petrova = 0;
  int runs = 0;
};

TEST_F(IdempotencyTest, TheSameRequestUnderTheSameKeyRunsOnceAndGetsTheFirstReply) {
  auto first = engine->idempotency().once(as(ivanov), "k-1", "POST /clients {a}", create_client("Ромашка", ivanov));
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  EXPECT_FALSE(first->replayed);
  const std::int64_t events = event_count();
  auto again = engine->idempotency().once(as(ivanov), "k-1", "POST /clients {a}", create_client("Ромашка", ivanov));
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->reply.status, 201);
  EXPECT_EQ(again->reply.body, first->reply.body);
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(clients_named("Ромашка"), 1);
  EXPECT_EQ(event_count(), events);
}

TEST_F(IdempotencyTest, AnotherRequestUnderAKeptKeyIsRefusedNamingTheKey) {
  ASSERT_TRUE(engine->idempotency().once(as(ivanov), "k-1", "POST /clients {a}", create_client("Ромашка", ivanov)).ok());
  auto other = engine->idempotency().once(as(ivanov), "k-1", "POST /clients {b}", create_client("Василёк", ivanov));
  ASSERT_EQ(other.status().code(), Code::kFailedPrecondition);
  EXPECT_TRUE(other.status().fields().count("Idempotency-Key"));
  EXPECT_NE(other.status().message().find("k-1"), std::string::npos);
  EXPECT_EQ(clients_named("Василёк"), 0);
}

TEST_F(IdempotencyTest, KeysBelongToTheirUser) {
  ASSERT_TRUE(engine->idempotency().once(as(ivanov), "k-1", "POST /clients {a}", create_client("Ромашка", ivanov)).ok());
  auto theirs = engine->idempotency().once(as(petrova), "k-1", "POST /clients {a}", create_client("Ромашка", petrova));
  ASSERT_TRUE(theirs.ok()) << theirs.status().to_string();
  EXPECT_FALSE(theirs->replayed);
  EXPECT_EQ(clients_named("Ромашка"), 2);
}

TEST_F(IdempotencyTest, ARefusedWriteRollsBackWhatItDidAndKeepsNoKey) {
  auto half_done = [&] {
    // It wrote a client, then found a reason to refuse: nothing of it may stay.
    create_client("Полузаписан", ivanov)();
    return WriteReply{KeptReply{422, "refused"}, false};
  };
  auto refused = engine->idempotency().once(as(ivanov), "k-1", "POST /clients {a}", half_done);
  ASSERT_TRUE(refused.ok()) << refused.status().to_string();
  EXPECT_EQ(refused->reply.status, 422);
  EXPECT_EQ(clients_named("Полузаписан"), 0);
  // The key was not kept: the corrected request runs under it.
  auto corrected = engine->idempotency().once(as(ivanov), "k-1", "POST /clients {b}", create_client("Исправлен", ivanov));
  ASSERT_TRUE(corrected.ok()) << corrected.status().to_string();
  EXPECT_FALSE(corrected->replayed);
  EXPECT_EQ(clients_named("Исправлен"), 1);
}

TEST_F(IdempotencyTest, AKeyIsKeptForTheConfiguredHoursThenPurged) {
  Config config;
  config.idempotency_hours = 2;
  open_engine(config);
  ivanov = add_manager("ivanov");
  ASSERT_TRUE(engine->idempotency().once(as(ivanov), "k-1", "POST /clients {a}", create_client("Ромашка", ivanov)).ok());
  clock->advance_ms(119 * 60'000);
  auto kept = engine->idempotency().once(as(ivanov), "k-1", "POST /clients {a}", create_client("Ромашка", ivanov));
  ASSERT_TRUE(kept.ok());
  EXPECT_TRUE(kept->replayed);
  clock->advance_ms(2 * 60'000);
  auto expired = engine->idempotency().once(as(ivanov), "k-1", "POST /clients {b}", create_client("Василёк", ivanov));
  ASSERT_TRUE(expired.ok()) << expired.status().to_string();
  EXPECT_FALSE(expired->replayed);
  EXPECT_EQ(clients_named("Василёк"), 1);
}

TEST_F(IdempotencyTest, TheKeepingTimeIsASettingOfTheConfigFile) {
  Config config;
  EXPECT_EQ(config.idempotency_hours, 24);
  ASSERT_TRUE(config.set("api.idempotency_hours", "48").is_ok());
  EXPECT_EQ(config.idempotency_hours, 48);
  Status bad = config.set("api.idempotency_hours", "0");
  ASSERT_EQ(bad.code(), Code::kInvalidArgument);
  EXPECT_TRUE(bad.fields().count("api.idempotency_hours"));
  EXPECT_EQ(config.set("api.idempotency_days", "1").code(), Code::kInvalidArgument);
}

TEST_F(IdempotencyTest, MalformedKeysAreRefusedBeforeAnythingRuns) {
  for (const std::string& key : {std::string(), std::string(256, 'k'), std::string("ключ"), std::string("a\tb"),
                                 std::string("a\x7f")}) {
    auto refused = engine->idempotency().once(as(ivanov), key, "POST /clients {a}", create_client("Ромашка", ivanov));
    ASSERT_EQ(refused.status().code(), Code::kInvalidArgument) << key;
    EXPECT_TRUE(refused.status().fields().count("Idempotency-Key")) << key;
  }
  EXPECT_EQ(runs, 0);
  EXPECT_TRUE(IdempotencyService::check_key(std::string(255, '~')).is_ok());
  EXPECT_TRUE(IdempotencyService::check_key("order 1001, try 2").is_ok());
}

}  // namespace
}  // namespace salescore::testing
