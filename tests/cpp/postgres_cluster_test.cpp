// Several salescore processes on one PostgreSQL database: outbox claims that never
// overlap, a connector's run lock that passes to another process when its holder is
// killed or loses its connection, timers that fire once, and two processes hammering
// one manager's month (KPI aggregates exact, every event seen once in order, idempotency
// keys unique). Real processes (fork) where a death or a second process is the point.
// Needs a server: run under tests/postgres/with_postgres.sh, skipped otherwise.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "salescore/connectors.h"
#include "salescore/engine.h"
#include "salescore/idempotency.h"
#include "salescore/payments.h"
#include "store/event_signal.h"
#include "store/kpi_rows.h"
#include "store/sql.h"
#include "pg_test_database.h"
#include "store/store_url.h"

namespace salescore::testing {
namespace {

using namespace std::chrono_literals;

class PostgresClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SC_FRESH_PG_DATABASE_OR_SKIP(url_);
  }

  // A process of its own on the database: runs `work` in a child and gives its pid;
  // the child exits 0 when `work` succeeds, 1 (saying why on stderr) when not.
  pid_t spawn(const std::function<Status()>& work) {
    std::fflush(nullptr);
    pid_t pid = fork();
    if (pid == 0) {
      Status st = work();
      if (!st.is_ok()) std::fprintf(stderr, "child %d: %s\n", getpid(), st.to_string().c_str());
      std::fflush(nullptr);
      _exit(st.is_ok() ? 0 : 1);  // no destructors: the parent's connections are not ours
    }
    return pid;
  }
  static int exit_code(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  std::unique_ptr<Engine> open() {
    auto e = Engine::open(url_);
    EXPECT_TRUE(e.ok()) << e.status().to_string();
    return e.ok() ? std::move(e).value() : nullptr;
  }

  std::int64_t count(const std::string& sql) {
    auto c = store::open_connection(url_, {});
    if (!c.ok()) return -1;
    auto s = (*c)->prepare(sql);
    if (!s.ok()) return -1;
    store::StatementUse use(**s);
    auto row = use->step();
    return row.ok() && *row ? use->column_int(0) : -1;
  }

  std::string url_;
};

const Status& status_of(const Status& s) { return s; }
template <class T>
const Status& status_of(const Result<T>& r) {
  return r.status();
}

// Retries what another writer held up past the lock timeout, as a client of a 503 does.
template <class F>
auto retrying(F&& f) {
  auto r = f();
  for (int i = 0; i < 20 && status_of(r).code() == Code::kUnavailable; ++i) {
    std::this_thread::sleep_for(10ms);
    r = f();
  }
  return r;
}

TEST_F(PostgresClusterTest, TwoProcessesClaimEveryOutboxItemOnce) {
  auto first = open();
  auto second = open();
  ASSERT_TRUE(first && second);
  constexpr int kItems = 120;
  for (int i = 0; i < kItems; ++i) {
    OutboxItem item;
    item.connector = "shop";
    item.kind = "event";
    item.payload = "{}";
    item.idempotency_key = "k" + std::to_string(i);
    ASSERT_TRUE(first->connectors().enqueue(item).ok());
  }
  auto deliver = [](Engine& e, const std::string& holder) -> Result<std::vector<Id>> {
    std::vector<Id> delivered;
    while (true) {
      const Instant now = e.clock().now();
      auto items = retrying([&] { return e.connectors().claim_due("shop", now, 7, holder, Instant{now.ms + 60'000}); });
      if (!items.ok()) return items.status();
      if (items->empty()) return delivered;
      for (const OutboxItem& item : *items) {
        delivered.push_back(item.id);
        SC_RETURN_IF_ERROR(retrying([&] { return e.connectors().remove_from_outbox(item.id); }));
      }
    }
  };
  auto a = std::async(std::launch::async, deliver, std::ref(*first), "host-a:1");
  auto b = std::async(std::launch::async, deliver, std::ref(*second), "host-b:2");
  auto got_a = a.get(), got_b = b.get();
  ASSERT_TRUE(got_a.ok()) << got_a.status().to_string();
  ASSERT_TRUE(got_b.ok()) << got_b.status().to_string();
  std::multiset<Id> all(got_a->begin(), got_a->end());
  all.insert(got_b->begin(), got_b->end());
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kItems));
  EXPECT_EQ(std::set<Id>(all.begin(), all.end()).size(), static_cast<std::size_t>(kItems)) << "an item went twice";
}

TEST_F(PostgresClusterTest, AConnectorsRunLockPassesOnWhenItsProcessIsKilled) {
  ASSERT_TRUE(open());
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t holder = spawn([&]() -> Status {
    auto e = Engine::open(url_);
    if (!e.ok()) return e.status();
    auto held = (*e)->connectors().hold_run_lock("onec");
    const char answer = held.ok() && *held ? '1' : '0';
    if (write(ready[1], &answer, 1) != 1) return Status::internal("pipe");
    while (true) pause();  // runs the connector until killed
  });
  char answer = 0;
  ASSERT_EQ(read(ready[0], &answer, 1), 1);
  ASSERT_EQ(answer, '1') << "the first process takes the lock";
  auto standby = open();
  ASSERT_TRUE(standby);
  EXPECT_FALSE(*standby->connectors().hold_run_lock("onec")) << "one process at a time";
  EXPECT_TRUE(*standby->connectors().hold_run_lock("mail")) << "another connector's lock is free";

  kill(holder, SIGKILL);
  EXPECT_EQ(exit_code(holder), 128 + SIGKILL);
  // The server drops a dead session's locks once it notices the closed socket.
  bool taken = false;
  for (int i = 0; i < 200 && !taken; ++i) {
    auto held = standby->connectors().hold_run_lock("onec");
    taken = held.ok() && *held;
    if (!taken) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(taken) << "the lock of a killed process is taken over";
  close(ready[0]);
  close(ready[1]);
}

TEST_F(PostgresClusterTest, ARunLockLostWithItsConnectionStopsItsHolder) {
  auto first = open();
  auto second = open();
  ASSERT_TRUE(first && second);
  ASSERT_TRUE(*first->connectors().hold_run_lock("ami"));
  ASSERT_FALSE(*second->connectors().hold_run_lock("ami"));
  // The server ends the holder's lock session (a restart or a network cut does the same).
  ASSERT_EQ(count("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND "
                  "classid = 1396919372 AND granted"),
            1);
  bool taken = false;
  for (int i = 0; i < 200 && !taken; ++i) {
    auto held = second->connectors().hold_run_lock("ami");
    taken = held.ok() && *held;
    if (!taken) std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(taken);
  // The first learns at its next step that it lost it (an error, then no), never yes.
  for (int step = 0; step < 3; ++step) {
    auto held = first->connectors().hold_run_lock("ami");
    EXPECT_FALSE(held.ok() && *held) << "step " << step;
  }
  second->connectors().release_run_lock("ami");
  EXPECT_TRUE(*first->connectors().hold_run_lock("ami")) << "given back, taken again";
}

TEST_F(PostgresClusterTest, ATimerFiresOnceWhenTwoProcessesRunDue) {
  auto clock = std::make_shared<ManualClock>(Instant{1793610000000});
  EngineOptions options;
  options.clock = clock;
  ASSERT_TRUE(options.config.set("leads.sla_minutes", "60").is_ok());
  auto first = Engine::open(url_, options);
  auto second = Engine::open(url_, options);
  ASSERT_TRUE(first.ok() && second.ok());
  const Actor system = Actor::system();
  for (const char* login : {"anna", "boris"}) {
    User u;
    u.login = login;
    u.name = login;
    u.role = Role::kManager;
    ASSERT_TRUE((*first)->users().add(system, u).ok());
  }
  constexpr int kLeads = 12;
  for (int i = 0; i < kLeads; ++i) {
    Lead l;
    l.channel = LeadChannel::kWeb;
    l.contact_name = "Пётр";
    l.phone = "+7 916 000-00-" + std::to_string(10 + i);
    l.request = "q";
    ASSERT_TRUE((*first)->leads().add(system, l).ok());
  }
  first->reset();
  second->reset();
  // Two processes run the timers at the same instant; each exits with how many missed
  // SLAs it handled.
  clock->advance_ms(60 * 60'000);
  auto run_due = [&]() -> Status {
    auto e = Engine::open(url_, options);
    if (!e.ok()) return e.status();
    auto due = retrying([&] { return (*e)->run_due(); });
    if (!due.ok()) return due.status();
    std::fflush(nullptr);
    _exit(due->leads_reassigned);
  };
  const pid_t a = spawn(run_due), b = spawn(run_due);
  const int handled_a = exit_code(a), handled_b = exit_code(b);
  EXPECT_EQ(handled_a + handled_b, kLeads) << "each missed SLA handled by one process (" << handled_a << " + "
                                           << handled_b << ")";
  EXPECT_EQ(count("SELECT COUNT(*) FROM events WHERE type = 'lead.sla_breached'"), kLeads);
}

// A long poll of one process wakes on another process's commit (LISTEN/NOTIFY), not at
// the end of its wait: the wait is a minute, and only a notice moves the generation.
TEST_F(PostgresClusterTest, AWaitingLongPollWakesOnAnotherProcessesCommit) {
  auto writer = open();
  ASSERT_TRUE(writer);
  store::EventSignal signal(url_, {});
  // The first wait starts the listener, which counts its (re)connection as a move.
  signal.wait_past(signal.generation(), 10'000);
  const std::uint64_t before = signal.generation();
  auto woke = std::async(std::launch::async, [&] {
    signal.wait_past(before, 60'000);
    return signal.generation();
  });
  // Writes until the listener hears one (a write before its LISTEN took effect is
  // not announced to it).
  for (int i = 0; woke.wait_for(20ms) != std::future_status::ready && i < 500; ++i) {
    Client c;
    c.name = "Клиент " + std::to_string(i);
    ASSERT_TRUE(writer->clients().add(Actor::system(), c).ok());
  }
  EXPECT_GT(woke.get(), before);
}

// The test: two processes write orders, payments and deal moves of the same
// manager in the same month, and some writes under the same idempotency keys, while a
// consumer reads the event log. After they stop: the KPI aggregates are what a rebuild
// gives, the consumer saw every event once and in order, and each key wrote once.
TEST_F(PostgresClusterTest, TwoProcessesHammeringOneManagersMonthStayExact) {
  auto engine = open();
  ASSERT_TRUE(engine);
  const Actor system = Actor::system();
  User m;
  m.login = "anna";
  m.name = "Anna";
  m.role = Role::kManager;
  auto anna = engine->users().add(system, m);
  ASSERT_TRUE(anna.ok());
  Client c;
  c.name = "ООО Ромашка";
  c.owner_id = anna->id;
  auto client = engine->clients().add(system, c);
  ASSERT_TRUE(client.ok());
  const Id client_id = client->record.id;
  constexpr int kRounds = 25, kKeys = 10;

  auto hammer = [&](int process) -> Status {
    auto opened = Engine::open(url_);
    if (!opened.ok()) return opened.status();
    Engine& e = **opened;
    for (int i = 0; i < kRounds; ++i) {
      Order o;
      o.client_id = client_id;
      OrderLine l;
      l.sku = "SUGAR-50";
      l.quantity = Quantity::units(1 + i % 3);
      l.price_minor = 1000 * (process + 1) + i;
      o.lines.push_back(l);
      auto order = retrying([&] { return e.orders().add(system, o); });
      if (!order.ok()) return order.status();
      Payment p;
      p.order_id = order->record.id;
      p.amount = Money{500 + i, ""};
      SC_RETURN_IF_ERROR(retrying([&] { return e.payments().record(system, p); }).status());
      Deal d;
      d.client_id = client_id;
      d.title = "deal " + std::to_string(process) + "/" + std::to_string(i);
      d.expected_amount = Money{10000 + i, ""};
      d.expected_close = Instant{e.clock().now().ms + 86'400'000};
      auto deal = retrying([&] { return e.deals().add(system, d); });
      if (!deal.ok()) return deal.status();
      SC_RETURN_IF_ERROR(retrying([&] { return e.deals().advance(system, deal->record.id, "qualified"); }).status());
      if (i % 2) SC_RETURN_IF_ERROR(retrying([&] { return e.deals().lose(system, deal->record.id, "price"); }).status());
      // Both processes send the same keys: each writes once in all.
      if (i < kKeys) {
        auto once = retrying([&] {
          return e.idempotency().once(system, "key-" + std::to_string(i), "POST /clients", [&]() -> WriteReply {
            Client k;
            k.name = "Idem " + std::to_string(i);
            auto added = e.clients().add(system, k);
            return {{added.ok() ? 201 : 500, added.ok() ? std::to_string(added->record.id) : ""}, added.ok()};
          });
        });
        if (!once.ok()) return once.status();
      }
    }
    return Status::ok();
  };
  const pid_t first = spawn([&] { return hammer(0); });
  const pid_t second = spawn([&] { return hammer(1); });

  // The consumer: polls the log while they write, as `events?after=` does.
  std::int64_t cursor = 0;
  std::vector<std::int64_t> seen;
  auto poll = [&] {
    auto batch = engine->events().since(cursor, 1000);
    ASSERT_TRUE(batch.ok()) << batch.status().to_string();
    for (const Event& e : *batch) {
      ASSERT_GT(e.seq, cursor) << "out of order";
      cursor = e.seq;
      seen.push_back(e.seq);
    }
  };
  int exited = 0, codes = 0;
  std::set<pid_t> running = {first, second};
  while (!running.empty()) {
    poll();
    for (auto it = running.begin(); it != running.end();) {
      int status = 0;
      if (waitpid(*it, &status, WNOHANG) == *it) {
        ++exited;
        codes += WIFEXITED(status) ? WEXITSTATUS(status) : 100;
        it = running.erase(it);
      } else {
        ++it;
      }
    }
    std::this_thread::sleep_for(2ms);
  }
  poll();
  ASSERT_EQ(exited, 2);
  ASSERT_EQ(codes, 0) << "a writer failed (its reason is on stderr)";

  auto all = engine->events().since(0, 0);
  ASSERT_TRUE(all.ok());
  std::vector<std::int64_t> logged;
  for (const Event& e : *all) logged.push_back(e.seq);
  std::vector<std::int64_t> during(seen.begin(), seen.end());
  // What was logged before the consumer started (the setup) it saw too: it began at 0.
  EXPECT_EQ(during, logged) << "the consumer missed or repeated an event";
  EXPECT_GE(logged.size(), static_cast<std::size_t>(2 * kRounds * 4));

  EXPECT_EQ(count("SELECT COUNT(*) FROM clients WHERE name LIKE 'Idem %'"), kKeys) << "a key wrote twice";
  EXPECT_EQ(count("SELECT COUNT(*) FROM orders"), 2 * kRounds);

  auto conn = store::open_connection(url_, {});
  ASSERT_TRUE(conn.ok());
  auto aggregates = [&] {
    std::vector<std::string> rows;
    for (const char* col : {"day", "month"}) {
      auto r = store::kpi_table_rows(**conn, col);
      EXPECT_TRUE(r.ok()) << r.status().to_string();
      if (r.ok()) rows.insert(rows.end(), r->begin(), r->end());
    }
    return rows;
  };
  const auto incremental = aggregates();
  EXPECT_FALSE(incremental.empty());
  ASSERT_TRUE(engine->kpi().rebuild(system).is_ok());
  EXPECT_EQ(incremental, aggregates()) << "KPI aggregates written by two processes differ from a rebuild";
}

}  // namespace
}  // namespace salescore::testing
