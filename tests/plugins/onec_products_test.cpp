// The 1C connector hands catalog products to the host as fields (ABI 1.2) and, on a host
// without emit_products, as JSON records: both must reach the engine as the same
// catalog items. A fake host table takes them through the host's own readers.
#include <gtest/gtest.h>

#include "host/catalog_products.h"
#include "host/record_apply.h"
#include "record_buffer.h"

namespace salescore::plugins::testing {
namespace {

Engine* g_engine = nullptr;
std::vector<CatalogItem>* g_items = nullptr;

sc_status take_records(sc_host*, const sc_record* records, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    const sc_record& r = records[i];
    auto item = catalog_item_of(*g_engine, NormalizedRecord{r.entity, r.source, r.external_id,
                                                            std::string(r.json, r.json_size), r.idempotency_key});
    if (!item.ok()) return SC_INVALID_ARGUMENT;
    g_items->push_back(std::move(*item));
  }
  return SC_OK;
}

sc_status take_products(sc_host*, const sc_product* products, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    auto read = read_catalog_product(*g_engine, products[i]);
    if (!read.item.ok()) return SC_INVALID_ARGUMENT;
    g_items->push_back(std::move(*read.item));
  }
  return SC_OK;
}

// What the connector sends for a catalog entry and two offers, through a host of
// `host_size` (the whole 1.2 table, or one that ends before emit_products).
std::vector<CatalogItem> sent_through(std::size_t host_size) {
  std::vector<CatalogItem> items;
  g_items = &items;
  sc_host_api api{};
  api.struct_size = static_cast<uint32_t>(host_size);
  api.emit_records = take_records;
  api.emit_products = take_products;

  onec::Classifier classifier;
  classifier.group_paths["g1"] = "Инструмент / Дрели";
  classifier.property_names["prop-color"] = "Цвет";
  classifier.property_values["val-blue"] = "Синий";
  classifier.price_types["pt-retail"] = {"Розничная", "руб"};
  onec::Product drill;
  drill.id = "p-1";
  drill.sku = "DR-1";
  drill.name = "Дрель \"Мастер\"";
  drill.unit = "шт";
  drill.group_ids = {"g1"};
  drill.properties = {{"prop-color", "val-blue"}};
  drill.requisites = {{"Вес", "1.2"}};
  onec::Offer priced;
  priced.id = "p-1#";
  priced.prices = {{"pt-retail", "4500.00", ""}};
  priced.has_prices = true;
  priced.has_stock = true;
  priced.stock = "3";
  onec::Offer variant;
  variant.id = "p-1#red";
  variant.features = {{"Цвет", "Красный"}};
  variant.has_prices = true;  // with no price: the list is cleared

  onec::RecordBuffer buffer(&api, nullptr);
  buffer.add(onec::product_fields(drill, classifier));
  buffer.add(onec::offer_fields(priced, classifier));
  buffer.add(onec::offer_fields(variant, classifier));
  buffer.flush();
  return items;
}

void expect_same(const CatalogItem& a, const CatalogItem& b) {
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.external_id, b.external_id);
  EXPECT_EQ(a.sku, b.sku);
  EXPECT_EQ(a.patch.name, b.patch.name);
  EXPECT_EQ(a.patch.unit, b.patch.unit);
  EXPECT_EQ(a.patch.group, b.patch.group);
  EXPECT_EQ(a.patch.stock, b.patch.stock);
  EXPECT_EQ(a.patch.active, b.patch.active);
  EXPECT_EQ(a.patch.prices, b.patch.prices);
  EXPECT_EQ(a.patch.properties, b.patch.properties);
}

TEST(OnecProducts, FieldsAndJsonRecordsReachTheEngineAlike) {
  auto engine = Engine::open("sqlite::memory:");
  ASSERT_TRUE(engine.ok());
  g_engine = engine->get();
  auto as_fields = sent_through(sizeof(sc_host_api));
  auto as_json = sent_through(offsetof(sc_host_api, emit_products));
  ASSERT_EQ(as_fields.size(), 3u);
  ASSERT_EQ(as_json.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) expect_same(as_fields[i], as_json[i]);

  EXPECT_EQ(as_fields[0].patch.properties->at("Цвет"), "Синий");
  EXPECT_EQ(as_fields[0].patch.properties->at("Вес"), "1.2");
  EXPECT_EQ(as_fields[0].patch.group, "Инструмент / Дрели");
  EXPECT_EQ(as_fields[1].external_id, "p-1");
  EXPECT_EQ(as_fields[1].patch.prices->at("Розничная"), (Money{450000, "RUB"}));
  EXPECT_EQ(as_fields[1].patch.stock, Quantity{3000});
  EXPECT_FALSE(as_fields[1].patch.name.has_value()) << "an offer without a name keeps the catalog's";
  EXPECT_EQ(as_fields[2].patch.name, "Красный");
  EXPECT_TRUE(as_fields[2].patch.prices->empty());
}

}  // namespace
}  // namespace salescore::plugins::testing
