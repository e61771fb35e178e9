// A letter no address matches finds the one client at its sender's company domain
// (email_threads.cpp) through migration 27's index on both databases: the look-up names
// the clients with an e-mail at exactly that domain, and the database plans it on the
// index rather than reading every e-mail (17 ms a letter at 50,000 clients before).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "pg_test_database.h"
#include "salescore/engine.h"
#include "store/email_letter_rows.h"
#include "query_plan.h"
#include "store/sql.h"

namespace salescore::testing {
namespace {

constexpr const char* kIndex = "contact_points_email_domain";

struct DomainClients {
  Id acme = 0, branch_a = 0, branch_b = 0;
};

// Clients written the way every caller writes them (the engine), so the index covers
// what the write path stores: lower-cased, normalized addresses.
DomainClients add_clients(const std::string& url) {
  DomainClients ids;
  auto engine = Engine::open(url);
  EXPECT_TRUE(engine.ok()) << engine.status().to_string();
  if (!engine.ok()) return ids;
  auto add = [&](const std::string& name, std::vector<std::string> emails, const std::string& phone) -> Id {
    Client c;
    c.name = name;
    c.emails = std::move(emails);
    c.phones = {phone};  // a phone's row is no e-mail: outside the partial index
    auto r = (*engine)->clients().add(Actor::system(), c);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->record.id : 0;
  };
  ids.acme = add("ООО Акме", {"Ivan@ACME.ru"}, "+7 495 123-45-01");
  ids.branch_a = add("Филиал А", {"a@shared.ru"}, "+7 495 123-45-02");
  ids.branch_b = add("Филиал Б", {"b@shared.ru", "sales@other.ru"}, "+7 495 123-45-03");
  return ids;
}

void expect_lookups(store::Connection& c, const DomainClients& ids) {
  auto one = store::clients_with_email_domain(c, "acme.ru", 2);
  ASSERT_TRUE(one.ok()) << one.status().to_string();
  EXPECT_EQ(*one, std::vector<Id>{ids.acme});
  auto two = store::clients_with_email_domain(c, "shared.ru", 2);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(*two, (std::vector<Id>{ids.branch_a, ids.branch_b}));
  // The whole domain, never a part of it.
  for (const char* part : {"cme.ru", "ru", "acme", "ivan@acme.ru", ""}) {
    auto none = store::clients_with_email_domain(c, part, 2);
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none->empty()) << part;
  }
}

TEST(EmailDomainIndex, SqliteFindsTheClientsAtADomainThroughTheIndex) {
  const auto dir = std::filesystem::temp_directory_path() / ("sc-domain-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string url = "sqlite:" + (dir / "crm.db").string();
  const DomainClients ids = add_clients(url);
  {
    auto c = store::open_connection(url, store::OpenOptions{});
    ASSERT_TRUE(c.ok()) << c.status().to_string();
    expect_lookups(**c, ids);
    const std::string sql = store::clients_with_email_domain_sql((*c)->dialect());
    const std::string plan = query_plan(**c, "EXPLAIN QUERY PLAN", sql, 4, std::string("acme.ru"), std::int64_t{2});
    EXPECT_NE(plan.find(kIndex), std::string::npos) << plan;
    EXPECT_EQ(plan.find("SCAN contact_points"), std::string::npos) << plan;
  }
  std::filesystem::remove_all(dir);
}

TEST(EmailDomainIndex, PostgresFindsTheClientsAtADomainThroughTheIndex) {
  std::string url;
  SC_FRESH_PG_DATABASE_OR_SKIP(url);
  const DomainClients ids = add_clients(url);
  auto c = store::open_connection(url, store::OpenOptions{});
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  expect_lookups(**c, ids);
  // A table of three clients is read whole by choice; asked to avoid that, the planner
  // shows whether the index can answer the look-up's expression at all.
  ASSERT_TRUE((*c)->exec("SET enable_seqscan = off").is_ok());
  const std::string sql = store::clients_with_email_domain_sql((*c)->dialect());
  const std::string plan = query_plan(**c, "EXPLAIN", sql, 1, std::string("acme.ru"), std::int64_t{2});
  EXPECT_NE(plan.find(kIndex), std::string::npos) << plan;
}

}  // namespace
}  // namespace salescore::testing
