// bench: a month's sales report from the KPI aggregates vs plain SQL vs pandas
// postgresql: bench/run gives it a private server (tests/postgres/with_postgres.sh)
//
//   kpi [ORDERS] [INTERACTIONS]   default 1000000 orders (3 lines each), 2000000 interactions
//
// The database: 4 heads and 40 managers (through the engine), 20,000 clients, then a year
// (2025-11-20 to 2026-11-20) of ORDERS orders with 3 lines each (3 % cancelled), about a
// third of them paid, INTERACTIONS calls, e-mails, meetings and visits, 60,000 leads,
// 40,000 deals with their stage history, 2,000 open tasks, and a plan per manager for
// October 2026. The base rows are written with plain SQL inserts in one transaction
// (the engine's write path is measured by bench/run ingest); then `KpiService::rebuild`
// computes the aggregates from them, timed.
//
// Measured in the same run, on the same file, for October 2026 (company zone
// Europe/Moscow) and all 40 managers, the figures of the monthly report: calls,
// meetings, e-mails, orders and revenue (and of September, to compare), payments, plan,
// deals won and lost, leads received and converted, overdue tasks:
//   (a) salescore: engine.kpi().report(system, monthly, 2026-10-15, company), median of 50;
//   (b) plain SQL: the GROUP BY queries an analyst would write over the base tables,
//       median of 5 runs;
//   (c) pandas: a script that loads the tables it needs with pandas.read_sql and computes
//       the same figures, as a data team would, loading included, median of 3 runs.
// The three must agree on every manager's revenue, orders and calls, or the benchmark
// fails. Last line:
//   kpi: salescore_ms=<> sql_ms=<> pandas_ms=<> ratio_sql=<sql/salescore> ratio_pandas=<pandas/salescore>
// Earlier lines give the rebuild, "kpi-rebuild: rebuild_ms=<> sql_ms=<> ratio=<rebuild/sql>",
// and "kpi-cpu:", the report's median CPU time (steadier on a machine shared with other
// work than its wall-clock time).
// PostgreSQL column (with a server: SALESCORE_PG_URL, which bench/run sets): the same
// database moved to a fresh schema with salescore migrate's copy_database (COPY per
// table, then its own verification: counts and KPI rebuild equal), then (a) again on
// PostgreSQL, median of 50, its figures equal to SQLite's. The last line then adds
//   salescore_pg_ms=<> and the next to last is "kpi-postgresql: copy_s=<> report_ms=<> cpu_ms=<>".
// Environment: BENCH_KPI_BASELINES=off leaves out (b) and (c); BENCH_KEEP=1 keeps the database; BENCH_PYTHON names the interpreter
// (default /usr/bin/python3).
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "bench_pg.h"
#include "bench_util.h"
#include "salescore/database_copy.h"
#include "salescore/engine.h"

namespace {

using salescore::Actor;
using salescore::Id;

constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::int64_t kMoscowMs = 3 * 3'600'000;
// 2026-11-20T12:00:00Z: "now" for the whole benchmark.
constexpr std::int64_t kNowMs = 1795176000000;
constexpr std::int64_t kYearStartMs = kNowMs - 365 * kDayMs;
// October 2026 and September 2026 in Moscow time, as UTC instants.
constexpr std::int64_t kOctStart = 1790812800000 - kMoscowMs;  // 2026-10-01T00:00+03:00
constexpr std::int64_t kNovStart = 1793491200000 - kMoscowMs;  // 2026-11-01T00:00+03:00
constexpr std::int64_t kSepStart = 1788220800000 - kMoscowMs;  // 2026-09-01T00:00+03:00
constexpr int kManagers = 40;
constexpr int kHeads = 4;
constexpr int kClients = 20'000;

// Per manager: what all three sides must agree on.
struct Figures {
  std::int64_t revenue = 0, orders = 0, calls = 0;
  bool operator==(const Figures&) const = default;
};
using ByManager = std::map<Id, Figures>;

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    bench::fail(std::string(what) + ": " + sqlite3_errmsg(db));
}

void exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "?";
    sqlite3_free(err);
    bench::fail(sql.substr(0, 60) + ": " + msg);
  }
}

class Insert {
 public:
  Insert(sqlite3* db, const std::string& sql) : db_(db) {
    check(sqlite3_prepare_v2(db, sql.c_str(), -1, &st_, nullptr), db, sql.c_str());
  }
  ~Insert() { sqlite3_finalize(st_); }
  Insert& i(int col, std::int64_t v) {
    sqlite3_bind_int64(st_, col, v);
    return *this;
  }
  Insert& t(int col, const std::string& v) {
    sqlite3_bind_text(st_, col, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Insert& null(int col) {
    sqlite3_bind_null(st_, col);
    return *this;
  }
  void run() {
    check(sqlite3_step(st_), db_, "insert");
    sqlite3_reset(st_);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
};

struct People {
  std::vector<Id> managers;
  std::vector<Id> client_owner;  // by client index
  Id first_client = 0;
};

// Users and plans through the engine (few), so their rows are exactly what it writes.
People add_people(salescore::Engine& engine) {
  People p;
  std::vector<Id> heads;
  for (int h = 0; h < kHeads; ++h) {
    salescore::User u;
    u.login = "head" + std::to_string(h);
    u.name = "Head " + std::to_string(h);
    u.role = salescore::Role::kHead;
    auto r = engine.users().add(Actor::system(), u);
    if (!r.ok()) bench::fail("add head: " + r.status().to_string());
    heads.push_back(r->id);
  }
  for (int m = 0; m < kManagers; ++m) {
    salescore::User u;
    u.login = "manager" + std::to_string(m);
    u.name = "Manager " + std::string(m < 10 ? "0" : "") + std::to_string(m);
    u.role = salescore::Role::kManager;
    u.head_id = heads[m % kHeads];
    auto r = engine.users().add(Actor::system(), u);
    if (!r.ok()) bench::fail("add manager: " + r.status().to_string());
    p.managers.push_back(r->id);
    auto plan = engine.plans().set(Actor::system(), r->id, "2026-10", salescore::Money{400'000'000 + m * 1'000'000, ""});
    if (!plan.ok()) bench::fail("set plan: " + plan.status().to_string());
  }
  return p;
}

void generate(const std::string& path, People& people, long long n_orders, long long n_interactions) {
  sqlite3* db = nullptr;
  check(sqlite3_open(path.c_str(), &db), db, "open");
  exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF; PRAGMA cache_size=-262144");
  exec(db, "BEGIN");
  std::mt19937_64 rng(20261120);
  auto uniform = [&](std::int64_t lo, std::int64_t hi) {  // [lo, hi]
    return lo + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(hi - lo + 1));
  };
  auto when = [&] { return uniform(kYearStartMs, kNowMs - 1); };

  {
    Insert client(db, "INSERT INTO clients(id, name, name_key, owner_id, created_at, updated_at) VALUES (?,?,?,?,?,?)");
    people.first_client = 1;
    for (int c = 0; c < kClients; ++c) {
      const Id owner = people.managers[static_cast<std::size_t>(uniform(0, kManagers - 1))];
      people.client_owner.push_back(owner);
      const std::string name = "Client " + std::to_string(c);
      client.i(1, c + 1).t(2, name).t(3, "client " + std::to_string(c)).i(4, owner).i(5, kYearStartMs).i(6, kYearStartMs).run();
    }
  }
  std::fprintf(stderr, "kpi: %d clients\n", kClients);
  {
    Insert order(db,
                 "INSERT INTO orders(id, number, client_id, owner_id, status, currency, total_minor, ordered_at, "
                 "created_at, updated_at) VALUES (?,?,?,?,?,'RUB',?,?,?,?)");
    Insert line(db,
                "INSERT INTO order_lines(order_id, line_no, sku, quantity_milli, price_minor, amount_minor) "
                "VALUES (?,?,?,?,?,?)");
    Insert payment(db,
                   "INSERT INTO payments(order_id, client_id, amount_minor, currency, received_at, method, created_at) "
                   "VALUES (?,?,?,'RUB',?,'bank_transfer',?)");
    for (long long o = 1; o <= n_orders; ++o) {
      const std::size_t client = static_cast<std::size_t>(uniform(0, kClients - 1));
      const std::int64_t at = when();
      std::int64_t total = 0;
      for (int l = 1; l <= 3; ++l) {
        const std::int64_t qty = uniform(1, 20), price = uniform(1'000, 500'000);
        total += qty * price;
        line.i(1, o).i(2, l).t(3, "SKU-" + std::to_string(uniform(1, 2000))).i(4, qty * 1000).i(5, price).i(6, qty * price).run();
      }
      const bool cancelled = uniform(0, 99) < 3;
      order.i(1, o).t(2, "B-" + std::to_string(o)).i(3, static_cast<std::int64_t>(client) + 1)
          .i(4, people.client_owner[client]).t(5, cancelled ? "cancelled" : "completed").i(6, total).i(7, at)
          .i(8, at).i(9, at).run();
      if (!cancelled && uniform(0, 2) == 0) {
        const std::int64_t paid_at = std::min(at + uniform(0, 10) * kDayMs, kNowMs - 1);
        payment.i(1, o).i(2, static_cast<std::int64_t>(client) + 1).i(3, total).i(4, paid_at).i(5, paid_at).run();
      }
      if (o % 200'000 == 0) std::fprintf(stderr, "kpi: %lld orders\n", o);
    }
  }
  {
    Insert interaction(db,
                       "INSERT INTO interactions(kind, direction, occurred_at, duration_s, user_id, client_id, "
                       "created_at) VALUES (?,?,?,?,?,?,?)");
    static const char* kinds[] = {"call", "call", "call", "call", "call", "call", "email", "email", "meeting", "visit"};
    for (long long i = 1; i <= n_interactions; ++i) {
      const std::size_t client = static_cast<std::size_t>(uniform(0, kClients - 1));
      const std::string kind = kinds[uniform(0, 9)];
      const std::int64_t at = when();
      const std::int64_t duration = kind == "call" && uniform(0, 4) ? uniform(10, 900) : 0;
      interaction.t(1, kind).t(2, uniform(0, 1) ? "outbound" : "inbound").i(3, at).i(4, duration)
          .i(5, people.client_owner[client]).i(6, static_cast<std::int64_t>(client) + 1).i(7, at).run();
      if (i % 500'000 == 0) std::fprintf(stderr, "kpi: %lld interactions\n", i);
    }
  }
  {
    Insert lead(db,
                "INSERT INTO leads(channel, contact_name, assignee_id, status, received_at, sla_due_at, "
                "first_action_at, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)");
    for (int i = 0; i < 60'000; ++i) {
      const std::int64_t at = when();
      const int fate = static_cast<int>(uniform(0, 9));  // 0-2 converted, 3-6 in progress, 7-9 new
      lead.t(1, uniform(0, 1) ? "web" : "phone").t(2, "Lead").i(3, people.managers[static_cast<std::size_t>(uniform(0, kManagers - 1))])
          .t(4, fate < 3 ? "converted" : fate < 7 ? "in_progress" : "new").i(5, at).i(6, at + 3'600'000);
      if (fate < 7) lead.i(7, at + uniform(1, 120) * 60'000);
      else lead.null(7);
      lead.i(8, at).i(9, at).run();
    }
  }
  {
    Insert deal(db,
                "INSERT INTO deals(id, client_id, title, stage, amount_minor, currency, owner_id, lost_reason, "
                "stage_changed_at, created_at, updated_at) VALUES (?,?,'Deal',?,?,'RUB',?,?,?,?,?)");
    Insert stage(db, "INSERT INTO deal_stages(deal_id, stage, entered_at, left_at) VALUES (?,?,?,?)");
    for (int d = 1; d <= 40'000; ++d) {
      const std::size_t client = static_cast<std::size_t>(uniform(0, kClients - 1));
      const std::int64_t created = when();
      const std::int64_t changed = std::min(created + uniform(1, 60) * kDayMs, kNowMs - 1);
      const std::int64_t middle = created + (changed - created) / 3;
      const int fate = static_cast<int>(uniform(0, 19));  // 0-7 won, 8-12 lost, else open
      const std::string final_stage = fate < 8 ? "won" : fate < 13 ? "lost" : "negotiation";
      deal.i(1, d).i(2, static_cast<std::int64_t>(client) + 1).t(3, final_stage).i(4, uniform(10'000, 50'000'000))
          .i(5, people.client_owner[client]).t(6, final_stage == "lost" ? "price" : "").i(7, changed).i(8, created)
          .i(9, changed).run();
      stage.i(1, d).t(2, "new").i(3, created).i(4, middle).run();
      stage.i(1, d).t(2, "proposal").i(3, middle).i(4, changed).run();
      stage.i(1, d).t(2, final_stage).i(3, changed).null(4).run();
    }
  }
  {
    Insert task(db, "INSERT INTO tasks(title, due_at, assignee_id, status, created_at, updated_at) VALUES (?,?,?,'open',?,?)");
    for (int t = 0; t < 2'000; ++t) {
      const std::int64_t due = when();
      task.t(1, "Call back").i(2, due).i(3, people.managers[static_cast<std::size_t>(uniform(0, kManagers - 1))])
          .i(4, due - kDayMs).i(5, due - kDayMs).run();
    }
  }
  exec(db, "COMMIT");
  exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_close(db);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// (b): the figures of the report by plain SQL over the base tables.
ByManager plain_sql(sqlite3* db) {
  ByManager out;
  auto query = [&](const std::string& sql, const std::function<void(sqlite3_stmt*)>& row) {
    sqlite3_stmt* st = nullptr;
    check(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), db, sql.c_str());
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) row(st);
    check(rc, db, sql.c_str());
    sqlite3_finalize(st);
  };
  const std::string oct = std::to_string(kOctStart), nov = std::to_string(kNovStart), sep = std::to_string(kSepStart);
  std::map<Id, std::int64_t> sink;  // figures computed for the report, not compared
  auto keep = [&](sqlite3_stmt* st) { sink[sqlite3_column_int64(st, 0)] += sqlite3_column_int64(st, 1); };
  for (const std::string& from : {oct, sep}) {
    const std::string to = from == oct ? nov : oct;
    query("SELECT owner_id, SUM(total_minor), COUNT(*) FROM orders WHERE ordered_at >= " + from +
              " AND ordered_at < " + to + " AND status <> 'cancelled' AND currency = 'RUB' GROUP BY owner_id",
          [&](sqlite3_stmt* st) {
            if (from != oct) return keep(st);
            out[sqlite3_column_int64(st, 0)].revenue = sqlite3_column_int64(st, 1);
            out[sqlite3_column_int64(st, 0)].orders = sqlite3_column_int64(st, 2);
          });
    query("SELECT user_id, kind, COUNT(*) FROM interactions WHERE occurred_at >= " + from + " AND occurred_at < " +
              to + " GROUP BY user_id, kind",
          [&](sqlite3_stmt* st) {
            const std::string kind = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
            if (from == oct && kind == "call") out[sqlite3_column_int64(st, 0)].calls = sqlite3_column_int64(st, 2);
            else sink[sqlite3_column_int64(st, 0)] += sqlite3_column_int64(st, 2);
          });
  }
  query("SELECT o.owner_id, SUM(p.amount_minor) FROM payments p JOIN orders o ON o.id = p.order_id WHERE "
        "p.received_at >= " + oct + " AND p.received_at < " + nov + " GROUP BY o.owner_id",
        keep);
  query("SELECT assignee_id, COUNT(*), SUM(status = 'converted') FROM leads WHERE received_at >= " + oct +
            " AND received_at < " + nov + " GROUP BY assignee_id",
        keep);
  query("SELECT owner_id, SUM(stage = 'won'), SUM(stage = 'lost'), AVG(CASE WHEN stage = 'won' THEN "
        "stage_changed_at - created_at END) FROM deals WHERE stage IN ('won', 'lost') AND stage_changed_at >= " +
            oct + " AND stage_changed_at < " + nov + " GROUP BY owner_id",
        keep);
  query("SELECT user_id, amount_minor FROM sales_plans WHERE month = 202610 AND replaced_at IS NULL", keep);
  query("SELECT assignee_id, COUNT(*) FROM tasks WHERE status = 'open' AND due_at < " + nov +
            " GROUP BY assignee_id",
        keep);
  return out;
}

const char* kPandasScript = R"PY(
import json, sqlite3, sys, time
import pandas as pd
path, start, end, prev = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
t0 = time.perf_counter()
con = sqlite3.connect(path)
orders = pd.read_sql("SELECT id, owner_id, status, currency, total_minor, ordered_at FROM orders", con)
inter = pd.read_sql("SELECT kind, user_id, occurred_at FROM interactions", con)
payments = pd.read_sql("SELECT order_id, amount_minor, received_at FROM payments", con)
leads = pd.read_sql("SELECT assignee_id, status, received_at FROM leads", con)
deals = pd.read_sql("SELECT owner_id, stage, created_at, stage_changed_at FROM deals", con)
plans = pd.read_sql("SELECT user_id, amount_minor FROM sales_plans WHERE month = 202610 AND replaced_at IS NULL", con)
tasks = pd.read_sql("SELECT assignee_id, status, due_at FROM tasks", con)
def month(df, col, a, b):
    return df[(df[col] >= a) & (df[col] < b)]
sold = orders[(orders.status != "cancelled") & (orders.currency == "RUB")]
cur = month(sold, "ordered_at", start, end).groupby("owner_id").total_minor.agg(["sum", "count"])
before = month(sold, "ordered_at", prev, start).groupby("owner_id").total_minor.agg(["sum", "count"])
acts = month(inter, "occurred_at", start, end).groupby(["user_id", "kind"]).size().unstack(fill_value=0)
prev_acts = month(inter, "occurred_at", prev, start).groupby(["user_id", "kind"]).size().unstack(fill_value=0)
paid = month(payments, "received_at", start, end).merge(orders[["id", "owner_id"]], left_on="order_id", right_on="id")
paid = paid.groupby("owner_id").amount_minor.sum()
got = month(leads, "received_at", start, end)
got = got.assign(conv=got.status == "converted").groupby("assignee_id").agg(n=("conv", "size"), c=("conv", "sum"))
closed = month(deals[deals.stage.isin(["won", "lost"])], "stage_changed_at", start, end)
closed = closed.assign(cycle=closed.stage_changed_at - closed.created_at)
won = closed[closed.stage == "won"].groupby("owner_id").agg(won=("stage", "size"), cycle=("cycle", "mean"))
lost = closed[closed.stage == "lost"].groupby("owner_id").size()
overdue = tasks[(tasks.status == "open") & (tasks.due_at < end)].groupby("assignee_id").size()
ms = (time.perf_counter() - t0) * 1000
for owner, r in cur.iterrows():
    calls = int(acts.loc[owner, "call"]) if owner in acts.index else 0
    print(int(owner), int(r["sum"]), int(r["count"]), calls)
print("ms", ms)
)PY";

// (c): runs the pandas script; returns its time (loading included) and its figures.
std::pair<double, ByManager> pandas(const bench::ScratchDir& dir, const std::string& db_path) {
  const std::string script = dir.file("kpi_pandas.py");
  std::ofstream(script) << kPandasScript;
  const char* python = std::getenv("BENCH_PYTHON");
  const std::string cmd = std::string(python && *python ? python : "/usr/bin/python3") + " " + script + " " +
                          db_path + " " + std::to_string(kOctStart) + " " + std::to_string(kNovStart) + " " +
                          std::to_string(kSepStart);
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  if (!pipe) bench::fail("cannot run " + cmd);
  // One line per manager, "owner revenue orders calls", then "ms <elapsed>".
  double ms = -1;
  ByManager figures;
  char line[256];
  while (std::fgets(line, sizeof line, pipe.get())) {
    long long owner = 0, revenue = 0, orders = 0, calls = 0;
    if (std::sscanf(line, "ms %lf", &ms) == 1) continue;
    if (std::sscanf(line, "%lld %lld %lld %lld", &owner, &revenue, &orders, &calls) == 4)
      figures[owner] = Figures{revenue, orders, calls};
  }
  if (ms < 0) bench::fail("the pandas script printed no time: " + cmd);
  return {ms, figures};
}

}  // namespace

struct PgReport {
  double copy_s = 0, report_ms = 0, cpu_ms = 0;
};

// The SQLite database `from` moved to PostgreSQL `to`, then the report timed there as on
// SQLite (the first call warms the statement cache); its figures must equal `expected`.
PgReport report_on_postgresql(const std::string& from, const std::string& to, const salescore::EngineOptions& options,
                              std::int64_t day, const ByManager& expected) {
  PgReport out;
  bench::Stopwatch copy_clock;
  salescore::DatabaseCopyOptions copy_options;
  copy_options.config = options.config;
  auto copied = salescore::copy_database(from, to, copy_options);
  if (!copied.ok()) bench::fail("copy to PostgreSQL: " + copied.status().to_string());
  if (!copied->verified()) bench::fail("copy to PostgreSQL: the verification failed");
  out.copy_s = copy_clock.seconds();
  std::fprintf(stderr, "kpi: %lld rows copied to PostgreSQL in %.1f s\n", static_cast<long long>(copied->rows),
               out.copy_s);
  auto opened = salescore::Engine::open(to, options);
  if (!opened.ok()) bench::fail("open PostgreSQL: " + opened.status().to_string());
  const salescore::KpiTarget company{salescore::KpiScope::kCompany, 0};
  std::vector<double> times, cpu_times;
  for (int i = 0; i <= 50; ++i) {
    bench::Stopwatch call;
    auto report = (*opened)->kpi().report(Actor::system(), salescore::ReportKind::kMonthly, day, company);
    const double ms = call.seconds() * 1000, cpu_ms = call.cpu_seconds() * 1000;
    if (!report.ok()) bench::fail("report on PostgreSQL: " + report.status().to_string());
    if (i == 0) {
      ByManager figures;
      for (const auto& l : report->lines)
        if (l.orders || l.calls) figures[l.user_id] = Figures{l.revenue, l.orders, l.calls};
      if (figures != expected) bench::fail("the report on PostgreSQL disagrees with SQLite's");
      continue;
    }
    times.push_back(ms);
    cpu_times.push_back(cpu_ms);
  }
  out.report_ms = median(times);
  out.cpu_ms = median(cpu_times);
  return out;
}

int main(int argc, char** argv) {
  const char* usage_text = "kpi [ORDERS] [INTERACTIONS]";
  const long long n_orders = bench::int_arg(argc, argv, 1, 1'000'000, usage_text);
  const long long n_interactions = bench::int_arg(argc, argv, 2, 2'000'000, usage_text);
  bench::ScratchDir dir("salescore-kpi");
  const std::string path = dir.file("kpi.db");
  const std::string url = "sqlite:" + path;

  salescore::EngineOptions options;
  options.clock = std::make_shared<salescore::ManualClock>(salescore::Instant{kNowMs});
  People people;
  {
    auto engine = salescore::Engine::open(url, options);
    if (!engine.ok()) bench::fail("open: " + engine.status().to_string());
    people = add_people(**engine);
  }
  bench::Stopwatch generation;
  generate(path, people, n_orders, n_interactions);
  std::fprintf(stderr, "kpi: generated in %.1f s\n", generation.seconds());

  auto opened = salescore::Engine::open(url, options);
  if (!opened.ok()) bench::fail("open: " + opened.status().to_string());
  salescore::Engine& engine = **opened;
  bench::Stopwatch rebuild_clock;
  if (auto st = engine.kpi().rebuild(Actor::system()); !st.is_ok()) bench::fail("rebuild: " + st.to_string());
  const double rebuild_ms = rebuild_clock.seconds() * 1000;

  // (a) the report from the aggregates.
  const std::int64_t day = *salescore::parse_day("2026-10-15");
  const salescore::KpiTarget company{salescore::KpiScope::kCompany, 0};
  ByManager ours;
  std::vector<double> times, cpu_times;
  for (int i = 0; i <= 50; ++i) {
    bench::Stopwatch call;
    auto report = engine.kpi().report(Actor::system(), salescore::ReportKind::kMonthly, day, company);
    const double ms = call.seconds() * 1000;
    const double cpu_ms = call.cpu_seconds() * 1000;
    if (!report.ok()) bench::fail("report: " + report.status().to_string());
    if (i == 0) {  // the first call warms the statement cache; it is not counted
      for (const auto& l : report->lines)
        if (l.orders || l.calls) ours[l.user_id] = Figures{l.revenue, l.orders, l.calls};
      continue;
    }
    times.push_back(ms);
    cpu_times.push_back(cpu_ms);
  }
  const double salescore_ms = median(times);
  const double salescore_cpu_ms = median(cpu_times);

  // BENCH_KPI_BASELINES=off: (b) and (c) are left out (they take minutes at a million
  // orders; for a run of the PostgreSQL column alone), their figures printed as 0.
  const char* baselines_env = std::getenv("BENCH_KPI_BASELINES");
  const bool baselines = !(baselines_env && std::string(baselines_env) == "off");
  double sql_ms = 0, pandas_ms = 0;
  if (baselines) {
    // (b) plain SQL over the same file.
    sqlite3* db = nullptr;
    check(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), db, "open read-only");
    ByManager by_sql;
    times.clear();
    for (int i = 0; i < 5; ++i) {
      bench::Stopwatch run;
      by_sql = plain_sql(db);
      times.push_back(run.seconds() * 1000);
    }
    sqlite3_close(db);
    sql_ms = median(times);
    if (by_sql != ours) bench::fail("plain SQL and salescore disagree on the managers' figures");

    // (c) pandas over the same file.
    times.clear();
    ByManager by_pandas;
    for (int i = 0; i < 3; ++i) {
      auto [ms, figures] = pandas(dir, path);
      times.push_back(ms);
      by_pandas = std::move(figures);
    }
    pandas_ms = median(times);
    if (by_pandas != ours) bench::fail("pandas and salescore disagree on the managers' figures");
  }

  std::int64_t orders = 0;
  for (const auto& [id, f] : ours) orders += f.orders;
  std::printf("kpi-data: orders=%lld interactions=%lld managers=%d october_orders=%lld\n", n_orders, n_interactions,
              kManagers, static_cast<long long>(orders));
  std::printf("kpi-rebuild: rebuild_ms=%.0f sql_ms=%.0f ratio=%.2f\n", rebuild_ms, sql_ms, rebuild_ms / sql_ms);
  std::printf("kpi-cpu: salescore_cpu_ms=%.3f (median CPU time of the report calls)\n", salescore_cpu_ms);
  std::string pg_column;
  if (const std::string server = bench::pg_server(); !server.empty()) {
    const PgReport pg = report_on_postgresql(url, bench::pg_fresh_database(server, "bench_kpi"), options, day, ours);
    std::printf("kpi-postgresql: copy_s=%.1f report_ms=%.3f cpu_ms=%.3f (the same database moved by copy_database)\n",
                pg.copy_s, pg.report_ms, pg.cpu_ms);
    char figure[64];
    std::snprintf(figure, sizeof figure, " salescore_pg_ms=%.3f", pg.report_ms);
    pg_column = figure;
  }
  std::printf("kpi: salescore_ms=%.3f sql_ms=%.1f pandas_ms=%.1f ratio_sql=%.0f ratio_pandas=%.0f%s\n", salescore_ms,
              sql_ms, pandas_ms, sql_ms / salescore_ms, pandas_ms / salescore_ms, pg_column.c_str());
  return 0;
}
