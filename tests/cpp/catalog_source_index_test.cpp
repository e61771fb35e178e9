// A full catalog deactivates the products of its source that it leaves out
// (ProductService::deactivate_absent). It reads only the source's active products,
// through migration 29's partial index, on both databases: a source's discontinued
// products only grow, and each was loaded in full on every exchange before.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "pg_test_database.h"
#include "salescore/engine.h"
#include "store/catalog_rows.h"
#include "query_plan.h"
#include "store/sql.h"

namespace salescore::testing {
namespace {

constexpr const char* kIndex = "products_source_active";

struct Catalog {
  Id kept = 0, left_out = 0, discontinued = 0, other_source = 0, own = 0;
};

// p-1 stays in the catalog, p-2 is left out of it, p-3 was discontinued by an earlier
// exchange; a shop's product and one typed in by a manager belong to no 1C catalog.
Catalog add_products(const std::string& url) {
  Catalog ids;
  auto engine = Engine::open(url);
  EXPECT_TRUE(engine.ok()) << engine.status().to_string();
  if (!engine.ok()) return ids;
  auto add = [&](const std::string& sku, const std::string& source) -> Id {
    Product p;
    p.sku = sku;
    p.name = "Дрель " + sku;
    p.source = source;
    p.external_id = source.empty() ? "" : sku;
    auto r = (*engine)->products().upsert(Actor::system(), p);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->record.id : 0;
  };
  ids.kept = add("p-1", "onec");
  ids.left_out = add("p-2", "onec");
  ids.discontinued = add("p-3", "onec");
  ids.other_source = add("s-1", "shop");
  ids.own = add("m-1", "");
  auto first = (*engine)->products().deactivate_absent(Actor::system(), "onec", {"p-1", "p-2"});
  EXPECT_TRUE(first.ok() && *first == 1);
  return ids;
}

void expect_absent(store::Connection& c, const Catalog& ids) {
  auto absent = store::active_products_of_source_except(c, "onec", [](std::string_view id) { return id == "p-1"; });
  ASSERT_TRUE(absent.ok()) << absent.status().to_string();
  EXPECT_EQ(*absent, std::vector<Id>{ids.left_out});
  auto all = store::active_products_of_source_except(c, "onec", [](std::string_view) { return false; });
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, (std::vector<Id>{ids.kept, ids.left_out}));
  auto shop = store::active_products_of_source_except(c, "shop", [](std::string_view) { return false; });
  ASSERT_TRUE(shop.ok());
  EXPECT_EQ(*shop, std::vector<Id>{ids.other_source});
}

TEST(CatalogSourceIndex, SqliteReadsTheActiveProductsOfASourceFromTheIndexAlone) {
  const auto dir = std::filesystem::temp_directory_path() / ("sc-catalog-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string url = "sqlite:" + (dir / "crm.db").string();
  const Catalog ids = add_products(url);
  {
    auto c = store::open_connection(url, store::OpenOptions{});
    ASSERT_TRUE(c.ok()) << c.status().to_string();
    expect_absent(**c, ids);
    const std::string sql = store::active_products_of_source_sql((*c)->dialect());
    const std::string plan = query_plan(**c, "EXPLAIN QUERY PLAN", sql, 4, std::string("onec"));
    EXPECT_NE(plan.find(std::string("COVERING INDEX ") + kIndex), std::string::npos) << plan;
  }
  std::filesystem::remove_all(dir);
}

TEST(CatalogSourceIndex, PostgresReadsTheActiveProductsOfASourceThroughTheIndex) {
  std::string url;
  SC_FRESH_PG_DATABASE_OR_SKIP(url);
  const Catalog ids = add_products(url);
  auto c = store::open_connection(url, store::OpenOptions{});
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  expect_absent(**c, ids);
  // A table of five products is read whole by choice; asked to avoid that, the planner
  // shows whether the partial index can answer the read at all.
  ASSERT_TRUE((*c)->exec("SET enable_seqscan = off").is_ok());
  const std::string sql = store::active_products_of_source_sql((*c)->dialect());
  const std::string plan = query_plan(**c, "EXPLAIN", sql, 1, std::string("onec"));
  EXPECT_NE(plan.find(kIndex), std::string::npos) << plan;
}

}  // namespace
}  // namespace salescore::testing
