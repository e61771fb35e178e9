// ProductService::import_catalog, the set-based path of catalog imports: it must do
// exactly what the one-at-a-time calls (upsert by SKU, update by source key) do, events
// included, while writing nothing for what did not change, and refuse a chunk whole.
#include "engine_fixture.h"

namespace salescore::testing {
namespace {

CatalogItem item(const std::string& external_id, std::optional<std::string> name, std::string sku = "") {
  CatalogItem i;
  i.source = "onec";
  i.external_id = external_id;
  i.sku = std::move(sku);
  i.patch.name = std::move(name);
  return i;
}

CatalogItem offer(const std::string& external_id, std::int64_t retail_minor, std::int64_t stock_milli) {
  CatalogItem i = item(external_id, std::nullopt);
  i.patch.prices = std::map<std::string, Money>{{"Розничная", Money{retail_minor, "RUB"}},
                                                {"Оптовая", Money{retail_minor * 9 / 10, "RUB"}}};
  i.patch.stock = Quantity{stock_milli};
  return i;
}

// The one-at-a-time path the import replaces (plugins/host/record_apply.cpp): by source
// key when the source sent the product before, else by SKU.
Status apply_one_by_one(Engine& e, const Actor& actor, const CatalogItem& i) {
  auto known = e.connectors().id_by_source("product", i.source, i.external_id);
  if (!known.ok()) return known.status();
  if (*known) return e.products().update(actor, **known, i.patch).status();
  const std::string sku = i.sku.empty() ? i.external_id : i.sku;
  Product p;
  if (auto same = e.products().by_sku(actor, sku); same.ok()) p = *same;
  p.sku = sku;
  if (i.patch.name) p.name = *i.patch.name;
  if (i.patch.prices) p.prices = *i.patch.prices;
  if (i.patch.stock) p.stock = *i.patch.stock;
  if (i.patch.group) p.group = *i.patch.group;
  if (i.patch.properties) p.properties = *i.patch.properties;
  p.source = i.source;
  p.external_id = i.external_id;
  return e.products().upsert(actor, p).status();
}

class CatalogImportTest : public EngineTest {
 protected:
  CatalogImport import(const std::vector<CatalogItem>& items, Status* status = nullptr) {
    CatalogImport report;
    Status st = engine->products().import_catalog(actor, items, &report);
    if (status) *status = st;
    else EXPECT_TRUE(st.is_ok()) << st.to_string();
    return report;
  }

  std::vector<Event> events_after(std::int64_t seq) {
    auto events = engine->events().since(seq, 0);
    EXPECT_TRUE(events.ok());
    return events.ok() ? *events : std::vector<Event>{};
  }

  // The events this engine logged after `seq` are those `one_by_one` logged: type,
  // record, payload and time, in order.
  void expect_same_log(std::int64_t seq, Engine& one_by_one) {
    auto mine = events_after(seq);
    auto theirs = one_by_one.events().since(seq, 0);
    ASSERT_TRUE(theirs.ok());
    ASSERT_EQ(mine.size(), theirs->size());
    for (std::size_t n = 0; n < mine.size(); ++n) {
      EXPECT_EQ(mine[n].type, (*theirs)[n].type) << n;
      EXPECT_EQ(mine[n].entity_id, (*theirs)[n].entity_id) << n;
      EXPECT_EQ(mine[n].payload, (*theirs)[n].payload) << n;
      EXPECT_EQ(mine[n].at.ms, (*theirs)[n].at.ms) << n;
    }
  }

  Id add_by_hand(const std::string& sku, const std::string& name) {
    Product p;
    p.sku = sku;
    p.name = name;
    auto r = engine->products().add(actor, p);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->record.id : 0;
  }
};

// The scenario the 1C exchange produces: a catalog file (new products, one taking over a
// product entered by hand), an offers file (prices and stock; an offer for a product not
// in the catalog; one product twice in a chunk), and the catalog sent again.
std::vector<std::vector<CatalogItem>> exchange_chunks() {
  CatalogItem drill = item("p-1", "Дрель", "DR-1");
  drill.patch.group = "Инструмент / Дрели";
  drill.patch.properties = std::map<std::string, std::string>{{"Цвет", "Синий"}};
  std::vector<CatalogItem> catalog = {drill, item("p-2", "Пила", "SAW-2"), item("p-3", "Молоток", "HAND-1")};
  CatalogItem renamed = item("p-1", "Дрель ударная");
  std::vector<CatalogItem> offers = {offer("p-1", 450000, 3000), offer("p-2", 120000, 0), offer("p-new", 990, 5000),
                                     renamed, offer("p-1", 450000, 2000)};
  offers[2].patch.name = "Свёрла, набор";
  return {catalog, offers, catalog, offers};
}

TEST_F(CatalogImportTest, DoesWhatTheOneAtATimeCallsDoWithTheSameEvents) {
  add_by_hand("HAND-1", "Молоток (введён вручную)");
  auto reference = Engine::open("sqlite::memory:", EngineOptions{Config{}, clock});
  ASSERT_TRUE(reference.ok());
  Engine& one_by_one = **reference;
  Product hand;
  hand.sku = "HAND-1";
  hand.name = "Молоток (введён вручную)";
  ASSERT_TRUE(one_by_one.products().add(actor, hand).ok());
  const std::int64_t start = event_count();

  std::vector<CatalogImport> reports;
  for (const auto& chunk : exchange_chunks()) {
    clock->advance_ms(60'000);
    reports.push_back(import(chunk));
    for (const auto& i : chunk) ASSERT_TRUE(apply_one_by_one(one_by_one, actor, i).is_ok());
  }

  expect_same_log(start, one_by_one);
  // Catalog: two created, the hand-entered hammer taken over.
  EXPECT_EQ(reports[0].created, 2);
  EXPECT_EQ(reports[0].updated, 1);
  // Offers: p-1 priced, renamed and its stock changed again; p-2 priced; p-new created.
  EXPECT_EQ(reports[1].created, 1);
  EXPECT_EQ(reports[1].updated, 4);
  // Sent again: the catalog's names put back (p-1 was renamed by the offers chunk)...
  EXPECT_EQ(reports[2].updated, 1);
  EXPECT_EQ(reports[2].unchanged, 2);
  // ...and the offers then change p-1 alone (renamed, its stock moved twice).
  EXPECT_EQ(reports[3].updated, 3);
  EXPECT_EQ(reports[3].unchanged, 2);

  auto hammer = engine->products().by_sku(actor, "HAND-1");
  ASSERT_TRUE(hammer.ok());
  EXPECT_EQ(hammer->source, "onec");
  EXPECT_EQ(hammer->external_id, "p-3");
  auto drill = engine->products().by_sku(actor, "DR-1");
  ASSERT_TRUE(drill.ok());
  EXPECT_EQ(drill->prices.at("Оптовая").minor, 405000);
  EXPECT_EQ(drill->stock.milli, 2000);
  EXPECT_EQ(drill->group, "Инструмент / Дрели");
  EXPECT_EQ(engine->products().by_sku(actor, "p-new")->name, "Свёрла, набор");
}

// Events and price rows are gathered per chunk and inserted 64 rows per statement: a
// chunk of 150 products (two full statements and a short one) with prices, where a
// product created in the chunk is taken over by SKU and another has a price dropped,
// must leave what the one-at-a-time calls leave.
TEST_F(CatalogImportTest, ALongChunkLogsAndPricesEveryProductAsOneAtATime) {
  auto reference = Engine::open("sqlite::memory:", EngineOptions{Config{}, clock});
  ASSERT_TRUE(reference.ok());
  Engine& one_by_one = **reference;
  const std::int64_t start = event_count();
  ASSERT_EQ(one_by_one.events().since(0, 0)->size(), static_cast<std::size_t>(start));

  std::vector<CatalogItem> first;
  for (int n = 0; n < 150; ++n) {
    CatalogItem i = offer("p-" + std::to_string(n), 1000 + n, n * 1000);
    i.patch.name = "Товар " + std::to_string(n);
    first.push_back(i);
  }
  // A new external id with the SKU of p-7, created earlier in this chunk: takes it over.
  CatalogItem takeover = offer("p-7-renumbered", 7777, 1);
  takeover.sku = "p-7";
  takeover.patch.name = "Товар 7 (новый код)";
  first.push_back(takeover);
  std::vector<CatalogItem> second;
  for (int n = 0; n < 150; n += 2) second.push_back(offer("p-" + std::to_string(n), 2000 + n, 0));
  second[3].patch.prices->erase("Оптовая");  // a price type dropped: its row deleted
  second.push_back(first[10]);               // unchanged

  for (const auto* chunk : {&first, &second}) {
    clock->advance_ms(60'000);
    import(*chunk);
    for (const auto& i : *chunk) ASSERT_TRUE(apply_one_by_one(one_by_one, actor, i).is_ok());
  }

  expect_same_log(start, one_by_one);
  for (int n = 0; n < 150; ++n) {
    const std::string sku = "p-" + std::to_string(n);
    auto a = engine->products().by_sku(actor, sku);
    auto b = one_by_one.products().by_sku(actor, sku);
    ASSERT_TRUE(a.ok() && b.ok()) << sku;
    EXPECT_EQ(a->prices, b->prices) << sku;
    EXPECT_EQ(a->external_id, b->external_id) << sku;
  }
  EXPECT_EQ(engine->products().by_sku(actor, "p-6")->prices.count("Оптовая"), 0u);
  EXPECT_EQ(engine->products().by_sku(actor, "p-7")->prices.at("Розничная").minor, 7777);
}

// A full catalog deactivates the products of its source that it leaves out, in id
// order, once: an inactive product left out again is not touched, nor another source's.
TEST_F(CatalogImportTest, AFullCatalogDeactivatesWhatItLeavesOutOnce) {
  CatalogItem shop = item("s-1", "Пила из магазина");
  shop.source = "shop";
  import({item("p-1", "Дрель"), item("p-2", "Пила"), item("p-3", "Молоток"), shop});
  const std::int64_t before = event_count();
  auto deactivated = engine->products().deactivate_absent(actor, "onec", {"p-1"});
  ASSERT_TRUE(deactivated.ok()) << deactivated.status().to_string();
  EXPECT_EQ(*deactivated, 2);
  auto events = events_after(before);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].entity_id, engine->products().by_sku(actor, "p-2")->id);
  EXPECT_EQ(events[1].entity_id, engine->products().by_sku(actor, "p-3")->id);
  EXPECT_NE(events[0].payload.find("\"active\":[true,false]"), std::string::npos) << events[0].payload;
  EXPECT_FALSE(engine->products().by_sku(actor, "p-2")->active);
  EXPECT_TRUE(engine->products().by_sku(actor, "p-1")->active);
  EXPECT_TRUE(engine->products().by_sku(actor, "s-1")->active);

  EXPECT_EQ(*engine->products().deactivate_absent(actor, "onec", {"p-1"}), 0);
  EXPECT_EQ(event_count(), before + 2);
}

TEST_F(CatalogImportTest, AnUnchangedCatalogWritesNothing) {
  std::vector<CatalogItem> chunk;
  for (int n = 0; n < 600; ++n) chunk.push_back(item("p-" + std::to_string(n), "Товар " + std::to_string(n)));
  import(chunk);
  for (int n = 0; n < 600; ++n) chunk[n].patch.stock = Quantity{1000};
  import(chunk);
  const std::int64_t before = event_count();
  clock->advance_ms(24 * 3600'000);
  // 600 keys are looked up in several IN (...) slices: every one of them must be found.
  CatalogImport again = import(chunk);
  EXPECT_EQ(again.unchanged, 600);
  EXPECT_EQ(again.created + again.updated, 0);
  EXPECT_EQ(event_count(), before);
  EXPECT_EQ(engine->products().by_sku(actor, "p-599")->updated_at.ms, kStartMs) << "not even updated_at moved";
}

TEST_F(CatalogImportTest, ARefusedItemRollsTheChunkBackAndIsNamed) {
  const std::int64_t before = event_count();
  CatalogItem nameless = item("p-2", std::nullopt);  // new, so it needs a name
  Status st;
  CatalogImport report = import({item("p-1", "Дрель"), nameless, item("p-3", "Пила")}, &st);
  EXPECT_TRUE(st.is_invalid()) << st.to_string();
  EXPECT_NE(st.message().find("name"), std::string::npos) << st.message();
  ASSERT_TRUE(report.refused.has_value());
  EXPECT_EQ(*report.refused, 1u);
  EXPECT_EQ(event_count(), before);
  EXPECT_TRUE(engine->products().by_sku(actor, "p-1").status().is_not_found());
}

TEST_F(CatalogImportTest, InsideABatchAFailingChunkUndoesTheEarlierOnesToo) {
  CatalogItem bad_currency = offer("p-1", 100, 0);
  bad_currency.patch.prices->begin()->second.currency = "рубли";
  Status st = engine->batch([&]() -> Status {
    Status first = engine->products().import_catalog(actor, {item("p-1", "Дрель")}, nullptr);
    if (!first.is_ok()) return first;
    return engine->products().import_catalog(actor, {bad_currency}, nullptr);
  });
  EXPECT_TRUE(st.is_invalid()) << st.to_string();
  EXPECT_TRUE(engine->products().by_sku(actor, "p-1").status().is_not_found());
}

TEST_F(CatalogImportTest, OnlyThoseWhoKeepTheCatalogMayImportIt) {
  Actor manager{add_manager("ivanov"), Role::kManager};
  CatalogImport report;
  Status st = engine->products().import_catalog(manager, {item("p-1", "Дрель")}, &report);
  EXPECT_EQ(st.code(), Code::kPermissionDenied) << st.to_string();
  EXPECT_EQ(report.refused, std::optional<std::size_t>(0));
  auto events = events_after(0);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().type, "access.denied");
}

}  // namespace
}  // namespace salescore::testing

// Properties are read back by a fast reader for the flat objects the store writes; what
// it does not take (\u escapes) goes to the full JSON parser, with the same result.
namespace salescore::testing {
namespace {

TEST_F(CatalogImportTest, PropertiesComeBackAsTheyWereWhateverTheirText) {
  std::map<std::string, std::string> properties = {{"Цвет", "Синий"},
                                                   {"quote \" and \\ slash", "line\nbreak\ttab"},
                                                   {"control", std::string("bell\x07")},
                                                   {"", "empty name"}};
  CatalogItem drill = item("p-1", "Дрель");
  drill.patch.properties = properties;
  import({drill});
  auto stored = engine->products().by_sku(actor, "p-1");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->properties, properties);
  // And an import of the same properties finds nothing changed.
  EXPECT_EQ(import({drill}).unchanged, 1);
}

}  // namespace
}  // namespace salescore::testing
