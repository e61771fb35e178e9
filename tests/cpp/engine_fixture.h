// An engine on a private in-memory database with a manual clock, plus a few people and
// clients every test can use.
#pragma once

#include <gtest/gtest.h>

#include "salescore/engine.h"

namespace salescore::testing {

// 2026-11-02T09:00:00Z, a Monday.
inline constexpr std::int64_t kStartMs = 1793610000000;

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override { open_engine(Config{}); }

  void open_engine(Config config) {
    EngineOptions options;
    options.config = std::move(config);
    options.clock = clock;
    auto opened = Engine::open(url, options);
    ASSERT_TRUE(opened.ok()) << opened.status().to_string();
    engine = std::move(opened).value();
  }

  Id add_manager(const std::string& login) {
    User u;
    u.login = login;
    u.name = "Manager " + login;
    u.role = Role::kManager;
    auto r = engine->users().add(actor, u);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->id : 0;
  }

  Client client_named(const std::string& name) {
    Client c;
    c.name = name;
    return c;
  }

  Id add_client(const std::string& name, std::vector<std::string> phones = {}) {
    Client c = client_named(name);
    c.phones = std::move(phones);
    auto r = engine->clients().add(actor, c);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->record.id : 0;
  }

  // The records the default pipeline's documents derive from, made as `who`: a proposal
  // of the deal sent to the client (proposal_sent), a contract of it signed
  // (contract_signed). Within a manager's authority, so no approval is asked.
  void send_proposal_for(const Actor& who, Id deal_id) {
    auto deal = engine->deals().get(actor, deal_id);
    ASSERT_TRUE(deal.ok()) << deal.status().to_string();
    Proposal p;
    p.client_id = deal->client_id;
    p.deal_id = deal_id;
    p.lines.push_back({"TEA-1", 0, "Чай", Quantity::units(10), 100'00, 0, 0});
    auto drafted = engine->proposals().add(who, p);
    ASSERT_TRUE(drafted.ok()) << drafted.status().to_string();
    auto sent = engine->proposals().send(who, drafted->record.id);
    ASSERT_TRUE(sent.ok()) << sent.status().to_string();
  }

  void sign_contract_for(const Actor& who, Id deal_id) {
    auto deal = engine->deals().get(actor, deal_id);
    ASSERT_TRUE(deal.ok()) << deal.status().to_string();
    Contract k;
    k.client_id = deal->client_id;
    k.deal_id = deal_id;
    k.number = "Д-" + std::to_string(deal_id) + "/" + std::to_string(++contracts_signed_);
    k.amount = Money{500'000'00, ""};
    auto drafted = engine->contracts().add(who, k);
    ASSERT_TRUE(drafted.ok()) << drafted.status().to_string();
    auto signed_k = engine->contracts().sign(who, drafted->record.id);
    ASSERT_TRUE(signed_k.ok()) << signed_k.status().to_string();
  }

  std::int64_t event_count() {
    auto seq = engine->events().last_seq();
    EXPECT_TRUE(seq.ok());
    return seq.ok() ? *seq : -1;
  }

  // A test that must read the database from a second connection sets a file here.
  std::string url = "sqlite::memory:";
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(Instant{kStartMs});
  std::unique_ptr<Engine> engine;
  Actor actor = Actor::system();

 private:
  int contracts_signed_ = 0;
};

}  // namespace salescore::testing
