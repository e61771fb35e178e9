// bench: order ingest through the engine vs. the same rows through raw SQLite (and PostgreSQL: libpq, COPY)
// postgresql: bench/run gives it a private server (tests/postgres/with_postgres.sh)
// apt: postgresql libpq-dev
//
//   ingest [N] [CHUNK]     N orders of 3 lines (default 200000); CHUNK orders per
//                          transaction on the salescore side (default 0: one for all)
//
// salescore side: Engine::open("sqlite:FILE"), one user and 300 clients, then N calls of
// orders().upsert(Actor::system(), order) with source "bench" and distinct external ids,
// inside Engine::batch: validation, the idempotency key lookup, line pricing and the
// "order.created" event with the whole order as JSON, all included.
//
// raw_sqlite side: the limit for that work. The same schema (created by the engine's own
// migrations, then the engine is closed), the same user and clients, the same PRAGMAs
// (WAL, synchronous=NORMAL, foreign_keys=ON), and then the same rows written with the
// SQLite C API: one prepared INSERT for the order, three for its lines, one for the
// event row with a JSON payload of the same shape (formatted per order), all in one
// transaction. The unique (source, external_id) index is maintained by SQLite on insert
// in both cases.
//
// Why one transaction for all on the salescore side by default: the raw side runs in one
// transaction, so giving the engine the same transaction structure makes the ratio
// measure only what the engine adds per order, not a difference in the number of
// commits and WAL checkpoints. A real import commits in chunks (pass CHUNK, e.g. 10000,
// to see what that costs: with WAL and synchronous=NORMAL a commit does not fsync, so
// it is small).
//
// The N orders are generated in memory before either clock starts; each clock covers
// the writes from the first statement to the commit. Each side runs 3 times on fresh
// files in $TMPDIR; the best run counts. After each run the salescore side re-applies
// the same N orders, which must come back unchanged and write no event; then both
// files are checked: orders = N, order_lines = 3N, order events = N, the same sum of
// order totals. A failed check ends the benchmark with status 1 and no figures line.
//
// Output (stdout): one line per run, then "ingest-cpu:" (the same ratio by process CPU
// time, steadier on a machine shared with other work), "ingest-reapply:", and last
//   ingest: salescore=<orders/s> raw_sqlite=<orders/s> ratio=<salescore/raw>
// and, with a PostgreSQL server (see "PostgreSQL columns" below), after them
//   salescore_pg=<orders/s> raw_libpq=<orders/s> raw_copy=<orders/s> pg_ratio=<salescore_pg/raw_libpq>
// Environment: BENCH_INGEST_ONLY=salescore|raw_sqlite runs one side once (profiling);
// BENCH_KEEP=1 keeps the databases.
#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bench_pg.h"
#include "bench_util.h"
#include "salescore/engine.h"

namespace {

using salescore::Actor;
using salescore::Engine;
using salescore::Id;

constexpr const char* kUsage = "ingest [N] [CHUNK]  (N orders, default 200000; CHUNK orders per transaction, 0: one)";
constexpr int kClients = 300;
constexpr int kLinesPerOrder = 3;
constexpr int kRuns = 3;
constexpr std::int64_t kFirstOrderedAt = 1767225600000;  // 2026-01-01T00:00:00Z

// ---- the synthetic orders, identical for both sides ----------------------------------

struct LineInput {
  char sku[16];
  char name[24];
  std::int64_t quantity_milli;
  std::int64_t price_minor;
  std::int64_t discount_minor;
  std::int64_t amount_minor() const { return price_minor * quantity_milli / 1000 - discount_minor; }
};

struct OrderInput {
  char number[24];
  char external_id[32];
  int client_index;
  std::int64_t ordered_at_ms;
  LineInput lines[kLinesPerOrder];
};

// Deterministic and different for every i. Made before either clock starts, so neither
// side pays for inventing its input.
void make_order(long long i, OrderInput& o) {
  std::snprintf(o.number, sizeof o.number, "B-%08lld", i + 1);
  std::snprintf(o.external_id, sizeof o.external_id, "ext-%010lld", i + 1);
  o.client_index = static_cast<int>(i % kClients);
  o.ordered_at_ms = kFirstOrderedAt + i * 60000;
  for (int k = 0; k < kLinesPerOrder; ++k) {
    LineInput& l = o.lines[k];
    long long item = (i * 3 + k) % 5000;
    std::snprintf(l.sku, sizeof l.sku, "SKU-%05lld", item);
    std::snprintf(l.name, sizeof l.name, "Item %05lld", item);
    l.quantity_milli = (k + 1) * 1000;
    l.price_minor = 1000 + (i * 7 + k * 13) % 90000;
    l.discount_minor = k == 2 ? 50 : 0;
  }
}

salescore::Order to_engine_order(const OrderInput& in, const std::vector<Id>& client_ids) {
  salescore::Order o;
  o.number = in.number;
  o.client_id = client_ids[in.client_index];
  o.currency = "RUB";
  o.ordered_at = salescore::Instant{in.ordered_at_ms};
  o.source = "bench";
  o.external_id = in.external_id;
  o.lines.resize(kLinesPerOrder);
  for (int k = 0; k < kLinesPerOrder; ++k) {
    o.lines[k].sku = in.lines[k].sku;
    o.lines[k].name = in.lines[k].name;
    o.lines[k].quantity = salescore::Quantity{in.lines[k].quantity_milli};
    o.lines[k].price_minor = in.lines[k].price_minor;
    o.lines[k].discount_minor = in.lines[k].discount_minor;
  }
  return o;
}

void progress(const char* side, long long done, long long n) {
  if (n >= 100000 && done % 50000 == 0) std::fprintf(stderr, "  %s: %lld/%lld orders\n", side, done, n);
}

template <class T>
T must(salescore::Result<T> r, const char* what) {
  if (!r.ok()) bench::fail(std::string(what) + ": " + r.status().to_string());
  return std::move(r).value();
}

void must(const salescore::Status& st, const char* what) {
  if (!st.is_ok()) bench::fail(std::string(what) + ": " + st.to_string());
}

// One user and the clients the orders belong to. Run before the clock starts, on both
// files, so both start from identical contents.
std::vector<Id> seed(Engine& engine) {
  salescore::User user;
  user.login = "bench";
  user.name = "Bench Manager";
  Id owner = must(engine.users().add(Actor::system(), user), "add user").id;
  std::vector<Id> clients;
  must(engine.batch([&] {
         for (int c = 0; c < kClients; ++c) {
           salescore::Client client;
           client.name = "Client " + std::to_string(c + 1);
           client.owner_id = owner;
           clients.push_back(must(engine.clients().add(Actor::system(), client), "add client").record.id);
         }
         return salescore::Status::ok();
       }),
       "seed clients");
  return clients;
}

// A file path, or a postgresql:// URL for the PostgreSQL columns.
std::unique_ptr<Engine> open_engine(const std::string& where) {
  return must(Engine::open(where.find("://") == std::string::npos ? "sqlite:" + where : where), "open engine");
}

// ---- salescore side ------------------------------------------------------------------

// How long one side took: wall clock (the reported figure) and process CPU time.
struct Timing {
  double wall = 0, cpu = 0;
  static Timing of(const bench::Stopwatch& w) { return {w.seconds(), w.cpu_seconds()}; }
};

struct EngineRun {
  Timing insert, reapply;
};

EngineRun run_salescore(const std::string& path, const std::vector<OrderInput>& orders, long long chunk) {
  const long long n = static_cast<long long>(orders.size());
  auto engine = open_engine(path);
  std::vector<Id> clients = seed(*engine);
  std::int64_t seq_before = must(engine->events().last_seq(), "last_seq");
  EngineRun out;

  // Applies orders [0, n) in transactions of `chunk` (0: one), checking each outcome.
  auto apply_all = [&](salescore::WriteOutcome expected, const char* side) {
    long long step = chunk > 0 ? chunk : n;
    for (long long first = 0; first < n; first += step) {
      long long last = std::min(n, first + step);
      must(engine->batch([&] {
             for (long long i = first; i < last; ++i) {
               const OrderInput& in = orders[i];
               auto saved = engine->orders().upsert(Actor::system(), to_engine_order(in, clients));
               if (!saved.ok()) return saved.status();
               if (saved->outcome != expected)
                 bench::fail(std::string(side) + ": order " + in.external_id + " came back " +
                             salescore::write_outcome_name(saved->outcome) + ", expected " +
                             salescore::write_outcome_name(expected));
               progress(side, i + 1, n);
             }
             return salescore::Status::ok();
           }),
           side);
    }
  };

  bench::Stopwatch insert_clock;
  apply_all(salescore::WriteOutcome::kCreated, "salescore");
  out.insert = Timing::of(insert_clock);
  std::int64_t seq_after = must(engine->events().last_seq(), "last_seq");
  // One "order.created" per order (counted exactly in the file check below), plus the
  // segment move each client's first order makes ("client.segment_changed" and its task).
  if (seq_after - seq_before < n)
    bench::fail("salescore wrote " + std::to_string(seq_after - seq_before) + " events for " + std::to_string(n) +
                " orders");

  // The idempotent path: the same orders again must change nothing and log nothing.
  bench::Stopwatch reapply_clock;
  apply_all(salescore::WriteOutcome::kUnchanged, "salescore re-apply");
  out.reapply = Timing::of(reapply_clock);
  std::int64_t seq_reapplied = must(engine->events().last_seq(), "last_seq");
  if (seq_reapplied != seq_after)
    bench::fail("re-applying the same orders wrote " + std::to_string(seq_reapplied - seq_after) +
                " events; expected 0");
  return out;
}

// ---- raw SQLite side -----------------------------------------------------------------

void check_rc(sqlite3* db, int rc, int expected, const char* what) {
  if (rc != expected) bench::fail(std::string("raw sqlite: ") + what + ": " + sqlite3_errmsg(db));
}

void exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) bench::fail(std::string("raw sqlite: ") + sql + ": " + (err ? err : "?"));
}

sqlite3_stmt* prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  check_rc(db, sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr), SQLITE_OK, sql);
  return s;
}

// Appends JSON text to a fixed buffer without printf: the raw side is the lower bound,
// so it formats its event payload as cheaply as plain C++ can.
class JsonOut {
 public:
  explicit JsonOut(char* buf) : p_(buf), begin_(buf) {}
  JsonOut& raw(std::string_view s) {
    std::memcpy(p_, s.data(), s.size());
    p_ += s.size();
    return *this;
  }
  JsonOut& quoted(std::string_view s) { return raw("\"").raw(s).raw("\""); }  // inputs need no escaping
  JsonOut& number(std::int64_t v) {
    p_ = std::to_chars(p_, p_ + 24, v).ptr;
    return *this;
  }
  JsonOut& digits(unsigned v, int width) {
    for (int k = width - 1; k >= 0; --k, v /= 10) p_[k] = static_cast<char>('0' + v % 10);
    p_ += width;
    return *this;
  }
  // "12.34" for 1234 minor units, quoted, as the engine writes amounts (non-negative here).
  JsonOut& amount(std::int64_t minor) {
    raw("\"").number(minor / 100).raw(".").digits(static_cast<unsigned>(minor % 100), 2);
    return raw("\"");
  }
  // "2026-01-01T00:00:00.000Z", quoted, as the engine writes instants.
  JsonOut& instant(std::int64_t ms) {
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    raw("\"").digits(tm.tm_year + 1900, 4).raw("-").digits(tm.tm_mon + 1, 2).raw("-").digits(tm.tm_mday, 2);
    raw("T").digits(tm.tm_hour, 2).raw(":").digits(tm.tm_min, 2).raw(":").digits(tm.tm_sec, 2);
    return raw(".").digits(static_cast<unsigned>(ms % 1000), 3).raw("Z\"");
  }
  int size() const { return static_cast<int>(p_ - begin_); }

 private:
  char* p_;
  char* begin_;
};

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// The "order.created" payload: the same fields in the same order as the engine's, so the
// event rows are the same size on both sides (the checks print both averages).
int order_payload(char* out, Id id, const OrderInput& in, Id client_id, Id owner_id, std::int64_t total,
                  std::int64_t created_at) {
  JsonOut j(out);
  j.raw("{\"id\":").number(id).raw(",\"number\":").quoted(in.number).raw(",\"client_id\":").number(client_id);
  j.raw(",\"deal_id\":null,\"owner_id\":").number(owner_id);
  j.raw(",\"status\":\"new\",\"currency\":\"RUB\",\"lines\":[");
  for (int k = 0; k < kLinesPerOrder; ++k) {
    const LineInput& l = in.lines[k];
    j.raw(k ? ",{\"sku\":" : "{\"sku\":").quoted(l.sku).raw(",\"name\":").quoted(l.name);
    j.raw(",\"quantity\":\"").number(l.quantity_milli / 1000).raw("\",\"price\":").amount(l.price_minor);
    j.raw(",\"discount\":").amount(l.discount_minor).raw(",\"amount\":").amount(l.amount_minor()).raw("}");
  }
  j.raw("],\"total\":").amount(total).raw(",\"ordered_at\":").instant(in.ordered_at_ms);
  j.raw(",\"source\":\"bench\",\"external_id\":").quoted(in.external_id);
  j.raw(",\"created_at\":").instant(created_at).raw(",\"updated_at\":").instant(created_at).raw("}");
  return j.size();
}

Timing run_raw(const std::string& path, const std::vector<OrderInput>& orders) {
  const long long n = static_cast<long long>(orders.size());
  Id owner = 0;
  std::vector<Id> clients;
  {
    // The engine creates the schema (its migrations: the very same DDL) and the seed
    // rows, then lets go of the file.
    auto engine = open_engine(path);
    clients = seed(*engine);
    owner = must(engine->users().by_login(Actor::system(), "bench"), "bench user").id;
  }
  sqlite3* db = nullptr;
  check_rc(db, sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK, "open");
  exec(db, "PRAGMA journal_mode = WAL");
  exec(db, "PRAGMA synchronous = NORMAL");
  exec(db, "PRAGMA foreign_keys = ON");

  bench::Stopwatch clock;
  sqlite3_stmt* ins_order = prepare(db,
                                    "INSERT INTO orders (number, client_id, deal_id, owner_id, status, currency, "
                                    "total_minor, ordered_at, source, external_id, created_at, updated_at) "
                                    "VALUES (?, ?, NULL, ?, 'new', 'RUB', ?, ?, 'bench', ?, ?, ?)");
  sqlite3_stmt* ins_line = prepare(db,
                                   "INSERT INTO order_lines (order_id, line_no, sku, product_id, name, "
                                   "quantity_milli, price_minor, discount_minor, amount_minor) "
                                   "VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?)");
  sqlite3_stmt* ins_event = prepare(db,
                                    "INSERT INTO events (at, actor_id, type, entity, entity_id, payload) "
                                    "VALUES (?, NULL, 'order.created', 'order', ?, ?)");
  exec(db, "BEGIN IMMEDIATE");
  char payload[2048];
  for (long long i = 0; i < n; ++i) {
    const OrderInput& in = orders[i];
    std::int64_t now = now_ms();
    std::int64_t total = 0;
    for (const LineInput& l : in.lines) total += l.amount_minor();
    Id client_id = clients[in.client_index];

    sqlite3_bind_text(ins_order, 1, in.number, -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins_order, 2, client_id);
    sqlite3_bind_int64(ins_order, 3, owner);
    sqlite3_bind_int64(ins_order, 4, total);
    sqlite3_bind_int64(ins_order, 5, in.ordered_at_ms);
    sqlite3_bind_text(ins_order, 6, in.external_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins_order, 7, now);
    sqlite3_bind_int64(ins_order, 8, now);
    check_rc(db, sqlite3_step(ins_order), SQLITE_DONE, "insert order");
    sqlite3_reset(ins_order);
    Id order_id = sqlite3_last_insert_rowid(db);

    for (int k = 0; k < kLinesPerOrder; ++k) {
      const LineInput& l = in.lines[k];
      sqlite3_bind_int64(ins_line, 1, order_id);
      sqlite3_bind_int(ins_line, 2, k + 1);
      sqlite3_bind_text(ins_line, 3, l.sku, -1, SQLITE_STATIC);
      sqlite3_bind_text(ins_line, 4, l.name, -1, SQLITE_STATIC);
      sqlite3_bind_int64(ins_line, 5, l.quantity_milli);
      sqlite3_bind_int64(ins_line, 6, l.price_minor);
      sqlite3_bind_int64(ins_line, 7, l.discount_minor);
      sqlite3_bind_int64(ins_line, 8, l.amount_minor());
      check_rc(db, sqlite3_step(ins_line), SQLITE_DONE, "insert line");
      sqlite3_reset(ins_line);
    }

    int len = order_payload(payload, order_id, in, client_id, owner, total, now);
    sqlite3_bind_int64(ins_event, 1, now);
    sqlite3_bind_int64(ins_event, 2, order_id);
    sqlite3_bind_text(ins_event, 3, payload, len, SQLITE_STATIC);
    check_rc(db, sqlite3_step(ins_event), SQLITE_DONE, "insert event");
    sqlite3_reset(ins_event);
    progress("raw_sqlite", i + 1, n);
  }
  exec(db, "COMMIT");
  Timing took = Timing::of(clock);
  sqlite3_finalize(ins_order);
  sqlite3_finalize(ins_line);
  sqlite3_finalize(ins_event);
  sqlite3_close(db);
  return took;
}

// ---- checks --------------------------------------------------------------------------

struct Contents {
  std::int64_t orders = 0, lines = 0, order_events = 0, total_minor = 0, payload_bytes = 0;
};

std::int64_t scalar(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = prepare(db, sql);
  check_rc(db, sqlite3_step(s), SQLITE_ROW, sql);
  std::int64_t v = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  return v;
}

Contents read_contents(const std::string& path) {
  sqlite3* db = nullptr;
  check_rc(db, sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK, "open for checks");
  Contents c;
  c.orders = scalar(db, "SELECT COUNT(*) FROM orders WHERE source = 'bench'");
  c.lines = scalar(db, "SELECT COUNT(*) FROM order_lines");
  c.order_events = scalar(db, "SELECT COUNT(*) FROM events WHERE entity = 'order'");
  c.total_minor = scalar(db, "SELECT COALESCE(SUM(total_minor), 0) FROM orders");
  c.payload_bytes = scalar(db, "SELECT COALESCE(SUM(LENGTH(payload)), 0) FROM events WHERE entity = 'order'");
  sqlite3_close(db);
  return c;
}

void check_contents(const char* side, const Contents& c, long long n) {
  auto expect = [&](const char* what, std::int64_t got, std::int64_t want) {
    if (got != want)
      bench::fail(std::string(side) + ": " + what + " = " + std::to_string(got) + ", expected " +
                  std::to_string(want));
  };
  expect("orders", c.orders, n);
  expect("order_lines", c.lines, n * kLinesPerOrder);
  expect("order events", c.order_events, n);
}

// ---- PostgreSQL columns --------------------------------------------------------------
//
// With SALESCORE_PG_URL set (bench/run starts a private server: tests/postgres/
// with_postgres.sh), the same orders go three more ways, each into a fresh schema whose
// tables the engine's own migrations made, seeded alike:
//   salescore_pg  the engine on PostgreSQL, the same calls as the salescore side;
//   raw_libpq     the same rows through libpq: one prepared INSERT for the order (RETURNING
//                 its id), three for its lines, one for its event, one transaction;
//   raw_copy      the same rows through COPY (ids taken from the sequences up front):
//                 the floor for a bulk load.
// The ratio the issue sets a target for is salescore_pg / raw_libpq (>= 0.5).

using bench::pg_connect;
using bench::pg_exec;
using bench::pg_scalar;

// The schema and the seed rows, by the engine, as for the raw SQLite side.
std::pair<Id, std::vector<Id>> pg_seeded(const std::string& url) {
  auto engine = open_engine(url);
  std::vector<Id> clients = seed(*engine);
  Id owner = must(engine->users().by_login(Actor::system(), "bench"), "bench user").id;
  return {owner, clients};
}

void pg_run(PGconn* c, const char* name, std::initializer_list<const char*> params, PGresult** kept = nullptr) {
  std::vector<const char*> p(params);
  PGresult* r = PQexecPrepared(c, name, static_cast<int>(p.size()), p.data(), nullptr, nullptr, 0);
  const ExecStatusType st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) bench::fail(std::string("raw_libpq: ") + PQerrorMessage(c));
  if (kept) *kept = r;
  else PQclear(r);
}

Timing run_raw_libpq(const std::string& url, const std::vector<OrderInput>& orders) {
  auto [owner, clients] = pg_seeded(url);
  PGconn* c = pg_connect(url);
  bench::Stopwatch clock;
  auto prepare = [&](const char* name, const char* sql) {
    PGresult* r = PQprepare(c, name, sql, 0, nullptr);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) bench::fail(std::string("raw_libpq: ") + PQerrorMessage(c));
    PQclear(r);
  };
  prepare("o", "INSERT INTO orders (number, client_id, deal_id, owner_id, status, currency, total_minor, ordered_at, "
               "source, external_id, created_at, updated_at) VALUES ($1, $2, NULL, $3, 'new', 'RUB', $4, $5, 'bench', "
               "$6, $7, $7) RETURNING id");
  prepare("l", "INSERT INTO order_lines (order_id, line_no, sku, product_id, name, quantity_milli, price_minor, "
               "discount_minor, amount_minor) VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, $8)");
  prepare("e", "INSERT INTO events (at, actor_id, type, entity, entity_id, payload) VALUES ($1, NULL, "
               "'order.created', 'order', $2, $3)");
  pg_exec(c, "BEGIN");
  char payload[2048];
  auto text = [](std::int64_t v) { return std::to_string(v); };
  for (const OrderInput& in : orders) {
    const std::int64_t now = now_ms();
    std::int64_t total = 0;
    for (const LineInput& l : in.lines) total += l.amount_minor();
    const Id client_id = clients[in.client_index];
    const std::string client_s = text(client_id), owner_s = text(owner), total_s = text(total),
                      at_s = text(in.ordered_at_ms), now_s = text(now);
    PGresult* r = nullptr;
    pg_run(c, "o", {in.number, client_s.c_str(), owner_s.c_str(), total_s.c_str(), at_s.c_str(), in.external_id,
                    now_s.c_str()},
           &r);
    const Id order_id = std::strtoll(PQgetvalue(r, 0, 0), nullptr, 10);
    PQclear(r);
    const std::string id_s = text(order_id);
    for (int k = 0; k < kLinesPerOrder; ++k) {
      const LineInput& l = in.lines[k];
      const std::string no = text(k + 1), q = text(l.quantity_milli), p = text(l.price_minor),
                        d = text(l.discount_minor), a = text(l.amount_minor());
      pg_run(c, "l", {id_s.c_str(), no.c_str(), l.sku, l.name, q.c_str(), p.c_str(), d.c_str(), a.c_str()});
    }
    payload[order_payload(payload, order_id, in, client_id, owner, total, now)] = 0;
    pg_run(c, "e", {now_s.c_str(), id_s.c_str(), payload});
  }
  pg_exec(c, "COMMIT");
  Timing took = Timing::of(clock);
  PQfinish(c);
  return took;
}

void copy_rows(PGconn* c, const std::string& copy, const std::string& rows) {
  PGresult* started = PQexec(c, copy.c_str());
  if (PQresultStatus(started) != PGRES_COPY_IN) bench::fail("raw_copy: " + copy + ": " + PQerrorMessage(c));
  PQclear(started);
  if (PQputCopyData(c, rows.data(), static_cast<int>(rows.size())) != 1 || PQputCopyEnd(c, nullptr) != 1)
    bench::fail(std::string("raw_copy: ") + PQerrorMessage(c));
  PGresult* r = PQgetResult(c);
  if (PQresultStatus(r) != PGRES_COMMAND_OK) bench::fail(std::string("raw_copy: ") + PQerrorMessage(c));
  PQclear(r);
  while ((r = PQgetResult(c))) PQclear(r);
}

Timing run_raw_copy(const std::string& url, const std::vector<OrderInput>& orders) {
  auto [owner, clients] = pg_seeded(url);
  PGconn* c = pg_connect(url);
  bench::Stopwatch clock;
  pg_exec(c, "BEGIN");
  const std::int64_t n = static_cast<std::int64_t>(orders.size());
  // Ids for every order at once, as a bulk loader takes them.
  const Id first = pg_scalar(c, "SELECT nextval(pg_get_serial_sequence('orders', 'id'))");
  pg_exec(c, "SELECT setval(pg_get_serial_sequence('orders', 'id'), " + std::to_string(first + n - 1) + ")");
  std::string order_rows, line_rows, event_rows;
  char payload[2048];
  for (std::int64_t i = 0; i < n; ++i) {
    const OrderInput& in = orders[i];
    const std::int64_t now = now_ms();
    std::int64_t total = 0;
    for (const LineInput& l : in.lines) total += l.amount_minor();
    const Id client_id = clients[in.client_index], order_id = first + i;
    const std::string id_s = std::to_string(order_id), now_s = std::to_string(now);
    order_rows += id_s + '\t' + in.number + '\t' + std::to_string(client_id) + "\t\\N\t" + std::to_string(owner) +
                  "\tnew\tRUB\t" + std::to_string(total) + '\t' + std::to_string(in.ordered_at_ms) + "\tbench\t" +
                  in.external_id + '\t' + now_s + '\t' + now_s + '\n';
    for (int k = 0; k < kLinesPerOrder; ++k) {
      const LineInput& l = in.lines[k];
      line_rows += id_s + '\t' + std::to_string(k + 1) + '\t' + l.sku + "\t\\N\t" + l.name + '\t' +
                   std::to_string(l.quantity_milli) + '\t' + std::to_string(l.price_minor) + '\t' +
                   std::to_string(l.discount_minor) + '\t' + std::to_string(l.amount_minor()) + '\n';
    }
    // COPY's text format escapes backslashes; the payload has none.
    const int len = order_payload(payload, order_id, in, client_id, owner, total, now);
    event_rows += now_s + "\t\\N\torder.created\torder\t" + id_s + '\t' + std::string(payload, len) + '\n';
  }
  copy_rows(c, "COPY orders (id, number, client_id, deal_id, owner_id, status, currency, total_minor, ordered_at, "
               "source, external_id, created_at, updated_at) FROM STDIN", order_rows);
  copy_rows(c, "COPY order_lines (order_id, line_no, sku, product_id, name, quantity_milli, price_minor, "
               "discount_minor, amount_minor) FROM STDIN", line_rows);
  copy_rows(c, "COPY events (at, actor_id, type, entity, entity_id, payload) FROM STDIN", event_rows);
  pg_exec(c, "COMMIT");
  Timing took = Timing::of(clock);
  PQfinish(c);
  return took;
}

Contents pg_contents(const std::string& url) {
  PGconn* c = pg_connect(url);
  Contents out;
  out.orders = pg_scalar(c, "SELECT COUNT(*) FROM orders WHERE source = 'bench'");
  out.lines = pg_scalar(c, "SELECT COUNT(*) FROM order_lines");
  out.order_events = pg_scalar(c, "SELECT COUNT(*) FROM events WHERE entity = 'order'");
  out.total_minor = pg_scalar(c, "SELECT COALESCE(SUM(total_minor), 0) FROM orders");
  out.payload_bytes = pg_scalar(c, "SELECT COALESCE(SUM(LENGTH(payload)), 0) FROM events WHERE entity = 'order'");
  PQfinish(c);
  return out;
}

long long per_second(long long n, double seconds) { return static_cast<long long>(n / seconds); }

// The best of several runs, by wall clock and (separately) by CPU time.
struct Best {
  double wall = 1e300, cpu = 1e300;
  void add(const Timing& t) {
    wall = std::min(wall, t.wall);
    cpu = std::min(cpu, t.cpu);
  }
};

}  // namespace

int main(int argc, char** argv) {
  long long n = bench::int_arg(argc, argv, 1, 200000, kUsage);
  long long chunk = bench::int_arg(argc, argv, 2, 0, kUsage);
  if (n == 0 || argc > 3) bench::usage(kUsage);
  std::fprintf(stderr, "ingest: %lld orders x %d lines, %s, best of %d runs\n", n, kLinesPerOrder,
               chunk > 0 ? ("salescore commits every " + std::to_string(chunk) + " orders").c_str()
                         : "one transaction per side",
               kRuns);
  std::vector<OrderInput> orders(n);
  for (long long i = 0; i < n; ++i) make_order(i, orders[i]);

  // For profiling one side alone: BENCH_INGEST_ONLY=salescore or =raw_sqlite (no checks
  // across sides, no figures line).
  const char* only_env = std::getenv("BENCH_INGEST_ONLY");
  const std::string only = only_env ? only_env : "";
  if (!only.empty()) {
    bench::ScratchDir dir("salescore-ingest");
    if (only == "salescore") {
      EngineRun e = run_salescore(dir.file("salescore.db"), orders, chunk);
      std::printf("salescore only: insert=%lld reapply=%lld orders/s\n", per_second(n, e.insert.wall),
                  per_second(n, e.reapply.wall));
      check_contents("salescore", read_contents(dir.file("salescore.db")), n);
    } else if (only == "raw_sqlite") {
      std::printf("raw_sqlite only: insert=%lld orders/s\n",
                  per_second(n, run_raw(dir.file("raw.db"), orders).wall));
      check_contents("raw_sqlite", read_contents(dir.file("raw.db")), n);
    } else {
      bench::usage("BENCH_INGEST_ONLY=salescore|raw_sqlite");
    }
    return 0;
  }

  Best engine, reapply, raw;
  for (int run = 1; run <= kRuns; ++run) {
    std::fprintf(stderr, "run %d/%d\n", run, kRuns);
    bench::ScratchDir dir("salescore-ingest");
    const std::string engine_db = dir.file("salescore.db"), raw_db = dir.file("raw.db");

    EngineRun e = run_salescore(engine_db, orders, chunk);
    Timing r = run_raw(raw_db, orders);

    Contents ec = read_contents(engine_db), rc = read_contents(raw_db);
    check_contents("salescore", ec, n);
    check_contents("raw_sqlite", rc, n);
    if (ec.total_minor != rc.total_minor)
      bench::fail("order totals differ: salescore " + std::to_string(ec.total_minor) + ", raw " +
                  std::to_string(rc.total_minor));

    std::printf("run %d: salescore=%lld raw_sqlite=%lld reapply=%lld orders/s (per CPU second: %lld %lld %lld); "
                "event payload avg bytes: salescore=%lld raw=%lld\n",
                run, per_second(n, e.insert.wall), per_second(n, r.wall), per_second(n, e.reapply.wall),
                per_second(n, e.insert.cpu), per_second(n, r.cpu), per_second(n, e.reapply.cpu),
                static_cast<long long>(ec.payload_bytes / n), static_cast<long long>(rc.payload_bytes / n));
    std::fflush(stdout);
    engine.add(e.insert);
    reapply.add(e.reapply);
    raw.add(r);
  }

  // By CPU time: what the ratio is when other work on the machine steals the wall clock.
  std::printf("ingest-cpu: salescore=%lld raw_sqlite=%lld ratio=%.2f (orders per CPU second)\n",
              per_second(n, engine.cpu), per_second(n, raw.cpu), raw.cpu / engine.cpu);
  std::printf("ingest-reapply: salescore=%lld (orders/s re-applying the same %lld orders: all unchanged, 0 new "
              "events)\n",
              per_second(n, reapply.wall), n);
  long long engine_rate = per_second(n, engine.wall), raw_rate = per_second(n, raw.wall);
  const std::string server = bench::pg_server();
  if (server.empty()) {
    std::printf("ingest: salescore=%lld raw_sqlite=%lld ratio=%.2f\n", engine_rate, raw_rate,
                static_cast<double>(engine_rate) / static_cast<double>(raw_rate));
    return 0;
  }
  Best engine_pg, libpq, copy;
  for (int run = 1; run <= kRuns; ++run) {
    std::fprintf(stderr, "postgresql run %d/%d\n", run, kRuns);
    const std::string engine_url = bench::pg_fresh_database(server, "bench_ingest_engine");
    const std::string libpq_url = bench::pg_fresh_database(server, "bench_ingest_libpq");
    const std::string copy_url = bench::pg_fresh_database(server, "bench_ingest_copy");
    EngineRun e = run_salescore(engine_url, orders, chunk);
    Timing l = run_raw_libpq(libpq_url, orders);
    Timing c = run_raw_copy(copy_url, orders);
    for (const auto& [side, url] : {std::pair<const char*, std::string>{"salescore_pg", engine_url},
                                    {"raw_libpq", libpq_url}, {"raw_copy", copy_url}})
      check_contents(side, pg_contents(url), n);
    std::printf("postgresql run %d: salescore_pg=%lld raw_libpq=%lld raw_copy=%lld reapply=%lld orders/s (per CPU "
                "second of this process: %lld %lld %lld)\n",
                run, per_second(n, e.insert.wall), per_second(n, l.wall), per_second(n, c.wall),
                per_second(n, e.reapply.wall), per_second(n, e.insert.cpu), per_second(n, l.cpu),
                per_second(n, c.cpu));
    std::fflush(stdout);
    engine_pg.add(e.insert);
    libpq.add(l);
    copy.add(c);
  }
  long long pg_rate = per_second(n, engine_pg.wall), libpq_rate = per_second(n, libpq.wall);
  std::printf("ingest: salescore=%lld raw_sqlite=%lld ratio=%.2f salescore_pg=%lld raw_libpq=%lld raw_copy=%lld "
              "pg_ratio=%.2f\n",
              engine_rate, raw_rate, static_cast<double>(engine_rate) / static_cast<double>(raw_rate), pg_rate,
              libpq_rate, per_second(n, copy.wall), static_cast<double>(pg_rate) / static_cast<double>(libpq_rate));
  return 0;
}
