// Rules that read what an order has so far and write on it ("never more than is left
// unrefunded", "no payment beyond the open balance", "never ship more than ordered"),
// hammered by several writers at once on one database, as several `salescore serve`
// processes or a serve and a connector host do. Each writer is an engine of its own (its
// own connection, as a process has), released at the same moment by a barrier against
// the same order, round after round. Whatever the interleaving, the sum on an order never
// passes its total, every accepted refund or payment is recorded exactly once (its row
// and its event), and every refused one is refused with a clear error naming the field.
//
// Run on a SQLite file (the writers wait for SQLite's one write lock, BEGIN IMMEDIATE)
// and on PostgreSQL (the writers wait for the database's writer lock taken at BEGIN,
// PgConnection::begin_write; the PostgreSQL case skips without a server: run under
// tests/postgres/with_postgres.sh). Without that lock the PostgreSQL case fails: two or
// more writers pass the check against the same committed state (docs/reliability.md).
#include <gtest/gtest.h>

#include <barrier>
#include <functional>
#include <map>
#include <set>
#include <thread>

#include "both_stores.h"
#include "salescore/engine.h"
#include "salescore/fulfilment.h"
#include "salescore/refunds.h"

namespace salescore::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kWriters = 4;
constexpr int kRounds = 20;
constexpr std::int64_t kTotal = 100'00;  // each order's total
constexpr std::int64_t kBig = 60'00;     // more than half: only one writer's fits
constexpr std::int64_t kSmall = 10'00;

// What one writer's call answered.
struct Answer {
  Code code = Code::kOk;
  Id id = 0;
  WriteOutcome outcome = WriteOutcome::kUnchanged;
  std::map<std::string, std::string> fields;  // of a refusal
  std::string message;
};

template <class T>
Answer answer_of(const Result<Saved<T>>& r) {
  Answer a;
  a.code = r.status().code();
  a.message = r.status().to_string();
  a.fields = r.status().fields();
  if (r.ok()) {
    a.id = r->record.id;
    a.outcome = r->outcome;
  }
  return a;
}

Refund refund_of(Id order_id, std::int64_t minor, const std::string& reference) {
  Refund r;
  r.order_id = order_id;
  r.amount = Money{minor, ""};
  r.reference = reference;
  return r;
}

Payment payment_of(Id order_id, std::int64_t minor) {
  Payment p;
  p.order_id = order_id;
  p.amount = Money{minor, ""};
  return p;
}

class OrderMoneyRaceTest : public BothStoresTest {
 protected:
  void SetUp() override {
    open_store("order_money_race");
    if (IsSkipped()) return;
    for (int i = 0; i < kWriters; ++i) {
      auto e = Engine::open(url_);
      ASSERT_TRUE(e.ok()) << e.status().to_string();
      writers_.push_back(std::move(e).value());
    }
    Client c;
    c.name = "ООО Ромашка";
    auto client = writers_[0]->clients().add(actor_, c);
    ASSERT_TRUE(client.ok()) << client.status().to_string();
    client_ = client->record.id;
  }

  void TearDown() override {
    writers_.clear();  // before the file goes
    BothStoresTest::TearDown();
  }

  // A fresh order of one line (kTotal: 10 units at 10.00) per round.
  std::vector<Order> orders() {
    std::vector<Order> out;
    for (int i = 0; i < kRounds; ++i) {
      Order o;
      o.client_id = client_;
      OrderLine l;
      l.sku = "SUGAR-50";
      l.quantity = Quantity::units(10);
      l.price_minor = kTotal / 10;
      o.lines.push_back(l);
      auto r = writers_[0]->orders().add(actor_, o);
      EXPECT_TRUE(r.ok()) << r.status().to_string();
      out.push_back(r.ok() ? r->record : Order{});
    }
    return out;
  }

  // Every writer calls `call(engine, writer, round)` at the same moment of each round;
  // what each answered, by round then writer. A writer held up past the lock timeout
  // (unavailable, "retry later") tries again, as a client of a 503 does.
  std::vector<std::vector<Answer>> race(const std::function<Answer(Engine&, int, int)>& call) {
    std::vector<std::vector<Answer>> answers(kRounds, std::vector<Answer>(kWriters));
    std::barrier<> start(kWriters);
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w)
      threads.emplace_back([&, w] {
        for (int round = 0; round < kRounds; ++round) {
          start.arrive_and_wait();
          Answer a = call(*writers_[w], w, round);
          for (int i = 0; i < 50 && a.code == Code::kUnavailable; ++i) {
            std::this_thread::sleep_for(5ms);
            a = call(*writers_[w], w, round);
          }
          answers[round][w] = std::move(a);
        }
      });
    for (auto& t : threads) t.join();
    return answers;
  }

  // One writer's call was accepted (created) and every other was refused naming `field`.
  // The id accepted in each round.
  std::vector<Id> expect_one_accepted(const std::vector<std::vector<Answer>>& answers, const std::string& field) {
    std::vector<Id> accepted;
    for (int round = 0; round < kRounds; ++round) {
      int created = 0;
      Id id = 0;
      for (const Answer& a : answers[round]) {
        if (a.code == Code::kOk) {
          EXPECT_EQ(a.outcome, WriteOutcome::kCreated);
          ++created;
          id = a.id;
        } else {
          EXPECT_EQ(a.code, Code::kInvalidArgument) << a.message;
          EXPECT_EQ(a.fields.count(field), 1u) << "a refusal names " << field << ": " << a.message;
        }
      }
      EXPECT_EQ(created, 1) << "round " << round << ": " << created << " writers passed the check at once";
      accepted.push_back(id);
    }
    return accepted;
  }

  // The same record told by every writer at once: created by one, the others get it back
  // unchanged. The id of each round's.
  std::vector<Id> expect_once(const std::vector<std::vector<Answer>>& answers) {
    std::vector<Id> ids;
    for (int round = 0; round < kRounds; ++round) {
      int created = 0;
      std::set<Id> seen;
      for (const Answer& a : answers[round]) {
        EXPECT_EQ(a.code, Code::kOk) << "round " << round << ": " << a.message;
        if (a.outcome == WriteOutcome::kCreated) ++created;
        seen.insert(a.id);
      }
      EXPECT_EQ(created, 1) << "round " << round;
      EXPECT_EQ(seen.size(), 1u) << "round " << round << ": every writer got the same record back";
      ids.push_back(*seen.begin());
    }
    return ids;
  }

  // How many events of `type` each entity id has.
  std::map<Id, int> events_per_entity(const std::string& type) {
    std::map<Id, int> out;
    auto all = writers_[0]->events().since(0, 0);
    EXPECT_TRUE(all.ok()) << all.status().to_string();
    if (all.ok())
      for (const Event& e : *all)
        if (e.type == type) ++out[e.entity_id];
    return out;
  }

  std::vector<std::unique_ptr<Engine>> writers_;
  Actor actor_ = Actor::system();
  Id client_ = 0;
};

TEST_P(OrderMoneyRaceTest, RefundsOfOneOrderAtOnceNeverPassItsTotalAndEachIsRecordedOnce) {
  const std::vector<Order> os = orders();
  ASSERT_FALSE(HasFailure());
  // Each writer refunds 60.00 of the order's 100.00 under a reference of its own.
  auto big = race([&](Engine& e, int w, int round) {
    return answer_of(refunds(e).refund(actor_, refund_of(os[round].id, kBig, "writer-" + std::to_string(w))));
  });
  const std::vector<Id> accepted = expect_one_accepted(big, "amount");
  // Then every writer tells the same 10.00 refund (one shop refund delivered to each).
  auto same = race([&](Engine& e, int, int round) {
    return answer_of(refunds(e).refund(actor_, refund_of(os[round].id, kSmall, "shop:refund-1")));
  });
  const std::vector<Id> once = expect_once(same);

  std::map<Id, int> events = events_per_entity("order.refunded");
  for (int round = 0; round < kRounds; ++round) {
    auto held = refunds(*writers_[0]).of_order(actor_, os[round].id);
    ASSERT_TRUE(held.ok()) << held.status().to_string();
    EXPECT_LE(held->refunded_minor, kTotal) << "round " << round << ": refunded more than the order's total";
    EXPECT_EQ(held->refunded_minor, kBig + kSmall) << "round " << round;
    std::multiset<Id> ids;
    for (const Refund& r : held->refunds) ids.insert(r.id);
    EXPECT_EQ(ids, (std::multiset<Id>{accepted[round], once[round]})) << "round " << round;
    EXPECT_EQ(events[os[round].id], 2) << "round " << round << ": one order.refunded per refund";
  }
}

TEST_P(OrderMoneyRaceTest, PaymentsOfOneOrderAtOnceNeverPassItsTotalAndEachIsRecordedOnce) {
  const std::vector<Order> os = orders();
  ASSERT_FALSE(HasFailure());
  auto big = race([&](Engine& e, int, int round) {
    return answer_of(e.payments().record(actor_, payment_of(os[round].id, kBig)));
  });
  const std::vector<Id> accepted = expect_one_accepted(big, "amount");
  // The same bank transfer imported by every writer at once: its key is (source, external_id).
  auto same = race([&](Engine& e, int, int round) {
    Payment p = payment_of(os[round].id, kSmall);
    p.source = "bank";
    p.external_id = "transfer-" + std::to_string(round);
    return answer_of(e.payments().record(actor_, p));
  });
  const std::vector<Id> once = expect_once(same);

  std::map<Id, int> events = events_per_entity("payment.received");
  for (int round = 0; round < kRounds; ++round) {
    PaymentQuery q;
    q.order_id = os[round].id;
    auto paid = writers_[0]->payments().find(actor_, q);
    ASSERT_TRUE(paid.ok()) << paid.status().to_string();
    std::int64_t sum = 0;
    std::multiset<Id> ids;
    for (const Payment& p : *paid) {
      sum += p.amount.minor;
      ids.insert(p.id);
      EXPECT_EQ(events[p.id], 1) << "payment " << p.id << ": one payment.received";
    }
    EXPECT_LE(sum, kTotal) << "round " << round << ": paid more than the order's total";
    EXPECT_EQ(ids, (std::multiset<Id>{accepted[round], once[round]})) << "round " << round;
  }
}

TEST_P(OrderMoneyRaceTest, ShipmentsOfOneOrderAtOnceNeverShipMoreThanOrdered) {
  const std::vector<Order> os = orders();
  ASSERT_FALSE(HasFailure());
  // A planned shipment per writer and order; each writer puts 6 of the 10 units on its own.
  std::vector<std::vector<Id>> shipments(kRounds);
  for (int round = 0; round < kRounds; ++round)
    for (int w = 0; w < kWriters; ++w) {
      Shipment sh;
      sh.order_id = os[round].id;
      sh.planned_at = Instant{writers_[0]->clock().now().ms + 86'400'000};
      auto r = writers_[0]->shipments().add(actor_, sh);
      ASSERT_TRUE(r.ok()) << r.status().to_string();
      shipments[round].push_back(r->id);
    }
  auto lines = race([&](Engine& e, int w, int round) {
    auto r = fulfilment(e).set_shipment_lines(actor_, shipments[round][w], {{1, "", Quantity::units(6)}});
    Answer a;
    a.code = r.status().code();
    a.message = r.status().to_string();
    a.fields = r.status().fields();
    a.outcome = WriteOutcome::kCreated;
    a.id = r.ok() ? shipments[round][w] : 0;
    return a;
  });
  expect_one_accepted(lines, "lines[0].quantity");
  for (int round = 0; round < kRounds; ++round) {
    auto left = fulfilment(*writers_[0]).to_ship(actor_, os[round].id);
    ASSERT_TRUE(left.ok()) << left.status().to_string();
    EXPECT_EQ(left->lines[0].planned, Quantity::units(6)) << "round " << round;
  }
}

SC_ON_BOTH_STORES(OrderMoneyRaceTest);

}  // namespace
}  // namespace salescore::testing
