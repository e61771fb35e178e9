// A batch of catalog products (1C's catalog and offers files) goes through the engine's
// set-based import in chunks while the connector is still emitting: the records keep
// their order with anything else in the batch, a chunk boundary changes nothing, and a
// refused record anywhere rolls the whole batch back, named; or, in a keeping batch,
// becomes a dead letter in the batch's transaction.
#include "host/streaming_batch.h"
#include "plugin_fixture.h"
#include "salescore/plugin_api.h"

namespace salescore::plugins::testing {
namespace {

NormalizedRecord catalog_product(int n, const std::string& json) {
  return NormalizedRecord{"product", "onec", "p-" + std::to_string(n), json, SC_KEY_STATE};
}

std::string named(int n) { return R"({"name":"Товар )" + std::to_string(n) + R"(","sku":"SKU-)" + std::to_string(n) + "\"}"; }

class StreamingBatchTest : public PluginTest {
 protected:
  std::int64_t product_count() {
    auto n = engine->products().count(actor, ProductQuery{});
    return n.ok() ? *n : -1;
  }
  std::int64_t last_seq() {
    auto seq = engine->events().last_seq();
    return seq.ok() ? *seq : -1;
  }
  // Emits `records` in slices of 1000, as the 1C connector does, and ends the batch.
  Status stream(std::vector<NormalizedRecord> records, std::size_t capacity = 2000) {
    StreamingBatch batch(*engine, actor, "onec", capacity);
    for (std::size_t at = 0; at < records.size(); at += 1000) {
      auto end = records.begin() + static_cast<std::ptrdiff_t>(std::min(records.size(), at + 1000));
      batch.push(std::vector<NormalizedRecord>(records.begin() + static_cast<std::ptrdiff_t>(at), end));
    }
    Status st = batch.finish(true);
    applied = batch.applied();
    return st;
  }
  Actor actor{0, Role::kIntegration};
  std::int64_t applied = 0;
};

TEST_F(StreamingBatchTest, CatalogProductsAcrossChunksAreAllAppliedWithTheirEvents) {
  std::vector<NormalizedRecord> records;
  for (int n = 0; n < 4500; ++n) records.push_back(catalog_product(n, named(n)));  // past two chunks
  // An offer for a product of the first chunk, after the chunk boundary.
  records.push_back(catalog_product(7, R"({"prices":{"Розничная":{"amount":"12.50","currency":"RUB"}},"stock":"4"})"));
  const std::int64_t before = last_seq();
  Status st = stream(std::move(records));
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  EXPECT_EQ(applied, 4501);
  EXPECT_EQ(product_count(), 4500);
  EXPECT_EQ(last_seq() - before, 4501) << "4500 product.created and one product.updated";
  auto p = engine->products().by_sku(actor, "SKU-7");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->prices.at("Розничная").minor, 1250);
  EXPECT_EQ(p->stock.milli, 4000);

  // The same file again: every record read, nothing written.
  std::vector<NormalizedRecord> again;
  for (int n = 0; n < 4500; ++n) again.push_back(catalog_product(n, named(n)));
  const std::int64_t after_first = last_seq();
  ASSERT_TRUE(stream(std::move(again)).is_ok());
  EXPECT_EQ(last_seq(), after_first);
}

TEST_F(StreamingBatchTest, OtherRecordsKeepTheirPlaceAmongCatalogProducts) {
  // The full-catalog record comes after the products it lists: it must see them applied.
  std::vector<NormalizedRecord> records = {catalog_product(1, named(1)), catalog_product(2, named(2))};
  ASSERT_TRUE(stream(records).is_ok());
  records = {catalog_product(1, named(1)),
             NormalizedRecord{"product_catalog", "onec", "catalog", R"({"present":["p-1"]})", SC_KEY_STATE}};
  ASSERT_TRUE(stream(records).is_ok());
  EXPECT_TRUE(engine->products().by_sku(actor, "SKU-1")->active);
  EXPECT_FALSE(engine->products().by_sku(actor, "SKU-2")->active);
}

TEST_F(StreamingBatchTest, ARefusedProductInTheMiddleRollsTheWholeBatchBack) {
  std::vector<NormalizedRecord> records;
  for (int n = 0; n < 3000; ++n) records.push_back(catalog_product(n, named(n)));
  records[2500].json = R"({"name":"Товар","stock":"17 pcs"})";  // in the second chunk
  const std::int64_t before = last_seq();
  Status st = stream(std::move(records));
  EXPECT_TRUE(st.is_invalid()) << st.to_string();
  EXPECT_NE(st.message().find("product onec/p-2500"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("stock"), std::string::npos) << st.message();
  EXPECT_EQ(product_count(), 0) << "the first chunk was applied, then rolled back";
  EXPECT_EQ(last_seq(), before);
}

TEST_F(StreamingBatchTest, AProductTheEngineRefusesIsNamedToo) {
  std::vector<NormalizedRecord> records;
  for (int n = 0; n < 10; ++n) records.push_back(catalog_product(n, named(n)));
  records[6].json = R"({"sku":"NO-NAME"})";  // read fine, refused by the engine: a new product needs a name
  Status st = stream(std::move(records));
  EXPECT_TRUE(st.is_invalid()) << st.to_string();
  EXPECT_NE(st.message().find("product onec/p-6"), std::string::npos) << st.message();
  EXPECT_EQ(product_count(), 0);
}

// ABI 1.2's emit_products: the same products as fields. A NULL field keeps what
// salescore has, an empty price list clears it, and a bad decimal is named like the
// JSON reader names it.
TEST_F(StreamingBatchTest, ProductsHandedOverAsFieldsAreReadLikeTheirJson) {
  ASSERT_TRUE(stream({catalog_product(1, R"({"name":"Дрель","sku":"DR-1","unit":"шт",)"
                                         R"("prices":{"Оптовая":"9.00"},"properties":{"Цвет":"Синий"}})")})
                  .is_ok());
  sc_price retail{"Розничная", "12.50", nullptr};
  sc_product offer{};
  offer.struct_size = sizeof(sc_product);
  offer.source = "onec";
  offer.external_id = "p-1";
  offer.stock = "4.5";
  offer.active = -1;
  offer.prices = &retail;
  offer.price_count = 1;
  std::vector<CatalogProduct> products;
  products.push_back(read_catalog_product(*engine, offer));
  {
    StreamingBatch batch(*engine, actor, "onec");
    batch.push(std::move(products));
    ASSERT_TRUE(batch.finish(true).is_ok());
  }
  auto p = engine->products().by_sku(actor, "DR-1");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->name, "Дрель") << "a NULL name keeps it";
  EXPECT_EQ(p->unit, "шт");
  EXPECT_EQ(p->properties.at("Цвет"), "Синий") << "NULL properties keep them";
  EXPECT_EQ(p->prices.size(), 1u) << "a price list given replaces the old one";
  EXPECT_EQ(p->prices.at("Розничная").minor, 1250);
  EXPECT_EQ(p->prices.at("Розничная").currency, "RUB") << "no currency: the company's";
  EXPECT_EQ(p->stock.milli, 4500);

  offer.stock = "17 pcs";
  CatalogProduct bad = read_catalog_product(*engine, offer);
  ASSERT_FALSE(bad.item.ok());
  EXPECT_EQ(bad.record.external_id, "p-1");
  EXPECT_NE(bad.item.status().message().find("product record: stock"), std::string::npos)
      << bad.item.status().message();
  offer.external_id = nullptr;
  EXPECT_TRUE(read_catalog_product(*engine, offer).item.status().is_invalid());
}

TEST_F(StreamingBatchTest, AnAbandonedBatchCommitsNothingAndSaysWhy) {
  // Records of the batch refused before they reached it (an operator's pause): a
  // connector that commits anyway must not get the batch with a hole in it.
  StreamingBatch batch(*engine, actor, "onec");
  batch.push({catalog_product(1, named(1)), catalog_product(2, named(2))});
  batch.abandon(Status(Code::kResourceExhausted, "the connector is paused by an operator"));
  batch.push({catalog_product(3, named(3))});
  Status st = batch.finish(true);
  EXPECT_EQ(st.code(), Code::kResourceExhausted);
  EXPECT_NE(st.message().find("paused"), std::string::npos) << st.to_string();
  EXPECT_EQ(product_count(), 0);
}

TEST_F(StreamingBatchTest, AKeepingBatchDeadLettersARefusedRecordInItsTransactionAndAppliesTheOthers) {
  // 1C's orders file: one buyer that cannot be named must not hold back the rest.
  StreamingBatch batch(*engine, actor, "onec", StreamingBatch::kQueueCapacity,
                       StreamingBatch::RefusedRecord::kDeadLetter);
  batch.push({NormalizedRecord{"client", "onec", "cp-1", R"({"name":"ИП Сидоров"})", SC_KEY_STATE},
              NormalizedRecord{"client", "onec", "20##", R"({"name":""})", SC_KEY_STATE},
              NormalizedRecord{"order", "onec", "doc-2", R"({"client":"20##","lines":[{"sku":"A","quantity":1}]})",
                               SC_KEY_STATE},
              NormalizedRecord{"order", "onec", "doc-1", R"({"client":"cp-1","lines":[{"sku":"A","quantity":1}]})",
                               SC_KEY_STATE}});
  Status st = batch.finish(true);
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  EXPECT_EQ(batch.applied(), 2);
  EXPECT_EQ(batch.dead_lettered(), 2);
  auto letters = engine->connectors().dead_letters(DeadLetterQuery{});
  ASSERT_TRUE(letters.ok());
  ASSERT_EQ(letters->size(), 2u);
  EXPECT_EQ((*letters)[0].external_id, "20##");
  EXPECT_NE((*letters)[0].reason.find("name"), std::string::npos) << (*letters)[0].reason;
  EXPECT_EQ((*letters)[1].external_id, "doc-2");
  EXPECT_EQ((*letters)[1].code, Code::kNotFound);
  EXPECT_TRUE(engine->connectors().id_by_source("order", "onec", "doc-1")->has_value());
  EXPECT_FALSE(engine->connectors().id_by_source("client", "onec", "20##")->has_value());
}

TEST_F(StreamingBatchTest, ADiscardedKeepingBatchTakesItsDeadLettersWithIt) {
  StreamingBatch batch(*engine, actor, "onec", StreamingBatch::kQueueCapacity,
                       StreamingBatch::RefusedRecord::kDeadLetter);
  batch.push({NormalizedRecord{"client", "onec", "cp-1", R"({"name":""})", SC_KEY_STATE}});
  ASSERT_TRUE(batch.finish(false).is_ok());
  EXPECT_EQ(*engine->connectors().count_dead_letters("onec"), 0) << "the file was not applied: no letters of it";
}

}  // namespace
}  // namespace salescore::plugins::testing
