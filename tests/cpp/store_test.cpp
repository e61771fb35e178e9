#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "engine_fixture.h"
#include "salescore/connector_ingest.h"
#include "store/sql.h"

namespace salescore::testing {
namespace {

namespace fs = std::filesystem;

// A fresh directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() / ("salescore-test-" + std::to_string(::getpid()) + "-" +
                                         std::to_string(counter_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add);
    fs::remove_all(path_);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const fs::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

void run_sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

TEST(Store, MigrationsAreAppliedOnceAndRecorded) {
  TempDir dir;
  const std::string url = "sqlite:" + dir.file("crm.db");
  {
    auto e = Engine::open(url);
    ASSERT_TRUE(e.ok()) << e.status().to_string();
    EXPECT_EQ((*e)->schema_version(), Engine::latest_schema_version());
    Client c;
    c.name = "ООО Ромашка";
    ASSERT_TRUE((*e)->clients().add(Actor::system(), c).ok());
  }
  auto again = Engine::open(url);
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ(*(*again)->clients().count(Actor::system(), ClientQuery{}), 1);
}

TEST(Store, ADatabaseFromANewerSalescoreIsRefusedWithAClearMessage) {
  TempDir dir;
  const std::string path = dir.file("crm.db");
  ASSERT_TRUE(Engine::open("sqlite:" + path).ok());
  run_sql(path, "INSERT INTO schema_version VALUES (999, 'from the future', 0)");
  auto e = Engine::open("sqlite:" + path);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(e.status().message().find("newer salescore"), std::string::npos) << e.status().message();
  EXPECT_NE(e.status().message().find("999"), std::string::npos);
}

TEST(Store, UnknownUrlsAreRefused) {
  for (const char* url : {"mysql://x", "crm.db", "sqlite:"}) {
    auto e = Engine::open(url);
    EXPECT_FALSE(e.ok()) << url;
    EXPECT_EQ(e.status().code(), Code::kInvalidArgument) << url;
  }
}

TEST(Store, AFileThatIsNotADatabaseIsRefused) {
  TempDir dir;
  const std::string path = dir.file("notes.txt");
  std::ofstream(path) << "this is a shopping list, not a CRM, and it is long enough to look like a header....";
  auto e = Engine::open("sqlite:" + path);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), Code::kFailedPrecondition) << e.status().to_string();
}

TEST(Store, AReadOnlyDatabaseIsReadableAndRefusesWritesClearly) {
  TempDir dir;
  const std::string path = dir.file("crm.db");
  {
    auto e = Engine::open("sqlite:" + path);
    ASSERT_TRUE(e.ok());
    Client c;
    c.name = "ООО Ромашка";
    ASSERT_TRUE((*e)->clients().add(Actor::system(), c).ok());
  }
  EngineOptions options;
  options.read_only = true;
  auto e = Engine::open("sqlite:" + path, options);
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  EXPECT_EQ(*(*e)->clients().count(Actor::system(), ClientQuery{}), 1);
  Client c;
  c.name = "АО Василёк";
  auto r = (*e)->clients().add(Actor::system(), c);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("read-only"), std::string::npos) << r.status().message();
}

TEST(Store, AFileWithoutWritePermissionIsReportedAsReadOnly) {
  if (::geteuid() == 0) GTEST_SKIP() << "root bypasses file permissions";
  TempDir dir;
  const std::string path = dir.file("crm.db");
  ASSERT_TRUE(Engine::open("sqlite:" + path).ok());
  ::chmod(path.c_str(), 0444);
  auto e = Engine::open("sqlite:" + path);
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  Client c;
  c.name = "x";
  auto r = (*e)->clients().add(Actor::system(), c);
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
}

TEST(Store, ALockedDatabaseAnswersUnavailableSoTheCallerRetries) {
  TempDir dir;
  const std::string path = dir.file("crm.db");
  Config config;
  config.busy_timeout_ms = 50;
  EngineOptions options;
  options.config = config;
  auto e = Engine::open("sqlite:" + path, options);
  ASSERT_TRUE(e.ok());
  // Another process holds the write lock.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  Client c;
  c.name = "ООО Ромашка";
  auto r = (*e)->clients().add(Actor::system(), c);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnavailable) << r.status().to_string();
  EXPECT_TRUE(is_retryable(r.status().code()));
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  EXPECT_TRUE((*e)->clients().add(Actor::system(), c).ok()) << "works once the lock is released";
}

TEST(Store, TheFileUsesWalAndForeignKeys) {
  TempDir dir;
  const std::string path = dir.file("crm.db");
  ASSERT_TRUE(Engine::open("sqlite:" + path).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "wal");
  sqlite3_finalize(st);
  sqlite3_close(db);
}

std::string pragma_of(const std::string& path, const std::string& pragma) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, ("PRAGMA " + pragma).c_str(), -1, &st, nullptr);
  std::string value = sqlite3_step(st) == SQLITE_ROW ? reinterpret_cast<const char*>(sqlite3_column_text(st, 0)) : "";
  sqlite3_finalize(st);
  sqlite3_close(db);
  return value;
}

// New databases get 8 KiB pages (bulk imports write half the pages); a file made with
// another page size keeps it and works as before.
TEST(Store, ANewDatabaseHas8KibPagesAnOldOneKeepsItsOwn) {
  TempDir dir;
  const std::string fresh = dir.file("new.db");
  ASSERT_TRUE(Engine::open("sqlite:" + fresh).ok());
  EXPECT_EQ(pragma_of(fresh, "page_size"), "8192");

  const std::string old = dir.file("old.db");
  run_sql(old, "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE t(x)");
  auto engine = Engine::open("sqlite:" + old);
  ASSERT_TRUE(engine.ok()) << engine.status().message();
  EXPECT_EQ(pragma_of(old, "page_size"), "4096");
  EXPECT_EQ(pragma_of(old, "journal_mode"), "wal");
}

// Migration 13 rebuilds product_prices without a rowid and keeps every price.
// Migration 15: documents typed onto deals by hand before the engine derived them. Those a
// record backs are derived again; the rest are kept as attested by the migration (who is
// unknown), so the deals keep passing their gates, and are listed for review.
TEST(Store, HandTypedDealDocumentsOfAnOlderDatabaseAreKeptAsAttested) {
  TempDir dir;
  const std::string path = dir.file("crm.db");
  const Actor system = Actor::system();
  Id backed = 0, typed = 0;
  {
    auto e = Engine::open("sqlite:" + path);
    ASSERT_TRUE(e.ok()) << e.status().to_string();
    Client c;
    c.name = "ООО Ромашка";
    const Id client = (*e)->clients().add(system, c)->record.id;
    Deal d;
    d.client_id = client;
    d.title = "С КП";
    d.expected_amount = Money{100'000'00, ""};
    d.expected_close = Instant{kStartMs};
    backed = (*e)->deals().add(system, d)->record.id;
    d.title = "Без договора";
    typed = (*e)->deals().add(system, d)->record.id;
    Proposal p;
    p.client_id = client;
    p.deal_id = backed;
    p.lines.push_back({"TEA-1", 0, "Чай", Quantity::units(1), 10'00, 0, 0});
    auto sent = (*e)->proposals().send(system, (*e)->proposals().add(system, p)->record.id);
    ASSERT_TRUE(sent.ok()) << sent.status().to_string();
  }
  run_sql(path, "UPDATE deals SET documents = '[\"proposal_sent\"]' WHERE id = " + std::to_string(backed) + ";" +
                    "UPDATE deals SET documents = '[\"proposal_sent\", \"contract_signed\"]' WHERE id = " +
                    std::to_string(typed) + ";" + "DROP TABLE deal_attestations;" +
                    // Migration 15 alone runs again: every migration not recorded is applied.
                    "DELETE FROM schema_version WHERE version = 15;");
  auto e = Engine::open("sqlite:" + path);
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  EXPECT_EQ((*e)->deals().get(system, backed)->documents, std::vector<std::string>{"proposal_sent"});
  EXPECT_EQ((*e)->deals().get(system, typed)->documents,
            (std::vector<std::string>{"proposal_sent", "contract_signed"}));
  AttestationQuery review;
  review.by_migration_only = true;
  auto kept = (*e)->deals().attestations(system, review);
  ASSERT_TRUE(kept.ok()) << kept.status().to_string();
  ASSERT_EQ(kept->size(), 2u) << "the sent proposal backs the other deal's document";
  for (const DocumentAttestation& a : *kept) {
    EXPECT_EQ(a.deal_id, typed);
    EXPECT_EQ(a.attested_by, 0);
  }
  EXPECT_TRUE((*e)->deals().advance(system, typed, "won").ok()) << "the deal passes the gates it passed before";
}

TEST(Store, PricesOfAnOlderDatabaseSurviveTheKeyedTable) {
  TempDir dir;
  const std::string path = dir.file("crm.db");
  ASSERT_TRUE(Engine::open("sqlite:" + path).ok());
  // The database as schema version 12 left it: prices in a rowid table.
  run_sql(path,
          "INSERT INTO products (id, sku, name, name_key, created_at, updated_at) VALUES (7, 'A-1', 'Дрель', "
          "'дрель', 0, 0);"
          "DROP TABLE product_prices;"
          "CREATE TABLE product_prices (product_id BIGINT NOT NULL REFERENCES products(id), price_type TEXT NOT "
          "NULL, amount_minor BIGINT NOT NULL, currency TEXT NOT NULL, PRIMARY KEY (product_id, price_type));"
          "INSERT INTO product_prices VALUES (7, 'Розничная', 200000, 'RUB'), (7, 'Оптовая', 190000, 'RUB');"
          "DROP INDEX connector_inbox_record;"  // migration 14's, run again after 13
          "ALTER TABLE connector_state DROP COLUMN runtime_state;"
          "ALTER TABLE connector_state DROP COLUMN runtime_reason;"
          "ALTER TABLE connector_state DROP COLUMN runtime_at;"
          "ALTER TABLE connector_state DROP COLUMN operator_request;"
          "DROP TABLE connector_sent_ids;"  // migration 18's
          "DROP TABLE market_notes;"  // migration 23's
          "DROP TABLE shipment_lines; DROP TABLE contract_orders;"  // migration 24's
          "DROP TABLE connector_record_versions; DROP TABLE connector_payment_references;"  // migration 21's
          "DROP TABLE email_letters;"  // migration 19's
          "DROP TABLE user_passwords; DROP TABLE user_sessions; DROP TABLE login_attempts;"  // migration 22's
          "ALTER TABLE users DROP COLUMN language;"
          "ALTER TABLE interactions DROP COLUMN call_caller;"  // migration 20's
          "ALTER TABLE interactions DROP COLUMN call_callee;"
          "ALTER TABLE interactions DROP COLUMN call_manager;"
          "ALTER TABLE interactions DROP COLUMN call_ring_s;"
          "ALTER TABLE interactions DROP COLUMN call_disposition;"
          "ALTER TABLE interactions DROP COLUMN call_hangup_cause;"
          "ALTER TABLE interactions DROP COLUMN call_recording;"
          "ALTER TABLE interactions DROP COLUMN call_pbx_id;"
          "ALTER TABLE interactions DROP COLUMN call_rang_not_answered;"
          "DROP TABLE dead_letter_replays;"  // migration 17's
          "DROP INDEX connector_outbox_dead_letter;"
          "ALTER TABLE connector_outbox DROP COLUMN dead_letter_id;"
          "DROP TABLE idempotency_keys;"  // migration 16's
          "ALTER TABLE connector_outbox DROP COLUMN claimed_by;"  // migration 25's
          "ALTER TABLE connector_outbox DROP COLUMN lease_until;"
          "ALTER TABLE connector_inbox DROP COLUMN claim_seq;"
          "DROP TABLE serve_processes;"  // migration 26's
          "DROP INDEX contact_points_email_domain;"  // migration 27's
          "DROP TABLE order_refunds;"  // migration 28's
          "DELETE FROM schema_version WHERE version >= 13;");
  auto engine = Engine::open("sqlite:" + path);
  ASSERT_TRUE(engine.ok()) << engine.status().message();
  EXPECT_EQ((*engine)->schema_version(), Engine::latest_schema_version());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE name = 'product_prices'", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_NE(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))).find("WITHOUT ROWID"),
            std::string::npos);
  sqlite3_finalize(st);
  sqlite3_prepare_v2(db, "SELECT group_concat(price_type || '=' || amount_minor || ' ' || currency, '; ') FROM "
                         "(SELECT * FROM product_prices WHERE product_id = 7 ORDER BY price_type)",
                     -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)),
               "Оптовая=190000 RUB; Розничная=200000 RUB");
  sqlite3_finalize(st);
  sqlite3_close(db);
}

// Migration 21: the version guard the web-shop connector kept in an order's custom
// fields moves to the host's table, and the field leaves the order (where anyone who may
// edit the order could change it).
TEST(Store, RecordVersionsMoveOutOfTheOrdersCustomFields) {
  TempDir dir;
  const std::string path = dir.file("crm.db");
  ASSERT_TRUE(Engine::open("sqlite:" + path).ok());
  run_sql(path,
          "INSERT INTO clients (id, name, name_key, created_at, updated_at) VALUES (5, 'Анна', 'анна', 0, 0);"
          "INSERT INTO orders (number, client_id, status, currency, total_minor, ordered_at, source, external_id, "
          "created_at, updated_at, custom) VALUES ('77', 5, 'new', 'EUR', 0, 0, 'webshop', '77', 0, 0, "
          "'{\"record_version\":\"1700000000000\",\"shop_total\":\"10.00\"}'),"
          "('78', 5, 'new', 'EUR', 0, 0, NULL, NULL, 0, 0, '{\"record_version\":\"5\"}');"
          "DROP TABLE connector_record_versions;"
          "DELETE FROM schema_version WHERE version = 21;");
  auto engine = Engine::open("sqlite:" + path);
  ASSERT_TRUE(engine.ok()) << engine.status().message();
  auto kept = ConnectorIngestService(**engine).record_version("webshop", "order", "77");
  ASSERT_TRUE(kept.ok()) << kept.status().message();
  ASSERT_TRUE(kept->has_value());
  EXPECT_EQ(**kept, 1700000000000);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT custom FROM orders ORDER BY number", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "{\"shop_total\":\"10.00\"}");
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "{\"record_version\":\"5\"}")
      << "an order of no source is not a connector's: its field is left as it is";
  sqlite3_finalize(st);
  sqlite3_close(db);
  // Never back: an older version leaves the newer one kept.
  ASSERT_TRUE(ConnectorIngestService(**engine).raise_record_version("webshop", "order", "77", 5).is_ok());
  EXPECT_EQ(**ConnectorIngestService(**engine).record_version("webshop", "order", "77"), 1700000000000);
  ASSERT_TRUE(ConnectorIngestService(**engine).raise_record_version("webshop", "order", "77", 1800000000000).is_ok());
  EXPECT_EQ(**ConnectorIngestService(**engine).record_version("webshop", "order", "77"), 1800000000000);
}

// The writer's WAL is checkpointed by a thread of its own after the commit that grows
// it past 1,000 pages (8 MB of 8 KiB pages), not inside that COMMIT; the pages reach
// the database file while the writer stays open and goes on writing.
TEST(Store, TheWalIsCheckpointedOffTheCommittingCall) {
  TempDir dir;
  const std::string path = dir.file("crm.db");
  auto conn = store::open_connection("sqlite:" + path, store::OpenOptions{});
  ASSERT_TRUE(conn.ok()) << conn.status().to_string();
  store::Connection& c = **conn;
  ASSERT_TRUE(c.exec("CREATE TABLE blobs (b BLOB)").is_ok());
  const auto database_bytes = [&] { return fs::file_size(path); };
  const auto before = database_bytes();
  ASSERT_TRUE(c.begin_write().is_ok());
  // ~24 MB: about 3,000 pages of 8 KiB.
  ASSERT_TRUE(c.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 24000) "
                     "INSERT INTO blobs SELECT randomblob(1000) FROM n").is_ok());
  ASSERT_TRUE(c.commit().is_ok());
  for (int waited_ms = 0; database_bytes() < before + 20'000'000 && waited_ms < 10'000; waited_ms += 10)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_GE(database_bytes(), before + 20'000'000) << "the WAL was not checkpointed into the database";
  ASSERT_TRUE(c.begin_write().is_ok());
  ASSERT_TRUE(c.exec("INSERT INTO blobs VALUES (x'00')").is_ok());
  ASSERT_TRUE(c.commit().is_ok());
}

using EventLogTest = EngineTest;

TEST_F(EventLogTest, EveryChangeIsLoggedInOrderWithItsActorAndTime) {
  Id manager = add_manager("sidorov");
  Actor as_manager{manager, Role::kManager};
  Client c;
  c.name = "ООО Ромашка";
  clock->advance_ms(1000);
  auto added = engine->clients().add(as_manager, c);
  ASSERT_TRUE(added.ok());
  auto events = engine->events().since(0);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].type, "user.created");
  EXPECT_EQ((*events)[1].type, "client.created");
  EXPECT_GT((*events)[1].seq, (*events)[0].seq);
  EXPECT_EQ((*events)[1].actor_id, manager);
  EXPECT_EQ((*events)[1].at.ms, kStartMs + 1000);
  EXPECT_NE((*events)[1].payload.find("\"name\":\"ООО Ромашка\""), std::string::npos);
  EXPECT_EQ(engine->events().since((*events)[0].seq)->size(), 1u);
  EXPECT_EQ(engine->events().since(0, 1)->size(), 1u);
}

TEST(ConfigFile, ReadsEverySectionAndRejectsUnknownKeys) {
  TempDir dir;
  const std::string path = dir.file("salescore.ini");
  std::ofstream(path) << "[company]\ntimezone = Europe/Sofia\nphone_region = bg\ncurrency = bgn\n"
                         "[storage]\ndurable = yes\n[mandatory]\nclient = name, phone|email\n";
  auto config = Config::load(path);
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  EXPECT_EQ(config->timezone, "Europe/Sofia");
  EXPECT_EQ(config->phone_region, "BG");
  EXPECT_EQ(config->currency, "BGN");
  EXPECT_TRUE(config->durable);
  ASSERT_EQ(config->mandatory["client"].size(), 2u);
  EXPECT_EQ(config->mandatory["client"][1], (std::vector<std::string>{"phone", "email"}));

  std::ofstream(path) << "[company]\ntimezon = Europe/Sofia\n";
  auto typo = Config::load(path);
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("timezon"), std::string::npos);
  EXPECT_FALSE(Config::load(dir.file("missing.ini")).ok());
}

TEST(ConfigFile, TheDefaultRegionDecidesHowNationalNumbersAreRead) {
  Config config;
  ASSERT_TRUE(config.set("company.phone_region", "BG").is_ok());
  EngineOptions options;
  options.config = config;
  auto e = Engine::open("sqlite::memory:", options);
  ASSERT_TRUE(e.ok());
  Client c;
  c.name = "Роза ЕООД";
  c.phones = {"02 987 6543"};
  auto r = (*e)->clients().add(Actor::system(), c);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->record.phones.front(), "+35929876543");
}

}  // namespace
}  // namespace salescore::testing
