// The connector host's record versions (connector_ingest.h) on the engine's own store:
// runs on SQLite and, under with_postgres.sh, on PostgreSQL (the upsert's WHERE).
#include <gtest/gtest.h>

#include "engine_fixture.h"
#include "salescore/connector_ingest.h"

namespace salescore::testing {
namespace {

class ConnectorIngestTest : public EngineTest {};

TEST_F(ConnectorIngestTest, ARecordVersionOnlyEverGrowsAndIsKeptPerSourceAndRecord) {
  ConnectorIngestService ingest(*engine);
  auto none = ingest.record_version("shop_msk", "order", "1001");
  ASSERT_TRUE(none.ok()) << none.status().to_string();
  EXPECT_FALSE(none->has_value()) << "no version before the first record";

  ASSERT_TRUE(ingest.raise_record_version("shop_msk", "order", "1001", 1700000000000).is_ok());
  ASSERT_TRUE(ingest.raise_record_version("shop_msk", "order", "1001", 1600000000000).is_ok())
      << "an older version is no error: it is simply not kept";
  EXPECT_EQ(**ingest.record_version("shop_msk", "order", "1001"), 1700000000000);
  ASSERT_TRUE(ingest.raise_record_version("shop_msk", "order", "1001", 1700000000000).is_ok());
  ASSERT_TRUE(ingest.raise_record_version("shop_msk", "order", "1001", 1800000000000).is_ok());
  EXPECT_EQ(**ingest.record_version("shop_msk", "order", "1001"), 1800000000000);

  // Another shop's order 1001 is another record.
  EXPECT_FALSE(ingest.record_version("shop_spb", "order", "1001")->has_value());
  ASSERT_TRUE(ingest.raise_record_version("shop_spb", "order", "1001", 5).is_ok());
  EXPECT_EQ(**ingest.record_version("shop_spb", "order", "1001"), 5);
  EXPECT_EQ(**ingest.record_version("shop_msk", "order", "1001"), 1800000000000);
}

TEST_F(ConnectorIngestTest, AVersionIsKeptWithTheBatchItGuardsOrNotAtAll) {
  ConnectorIngestService ingest(*engine);
  Status rolled_back = engine->batch([&]() -> Status {
    SC_RETURN_IF_ERROR(ingest.raise_record_version("webshop", "order", "7", 42));
    return Status::unavailable("the order's write failed");
  });
  EXPECT_FALSE(rolled_back.is_ok());
  EXPECT_FALSE(ingest.record_version("webshop", "order", "7")->has_value());
  ASSERT_TRUE(engine->batch([&] { return ingest.raise_record_version("webshop", "order", "7", 42); }).is_ok());
  EXPECT_EQ(**ingest.record_version("webshop", "order", "7"), 42);
}

TEST_F(ConnectorIngestTest, AVersionWithoutSourceEntityOrExternalIdIsRefusedNamingWhatIsMissing) {
  Status st = ConnectorIngestService(*engine).raise_record_version("", "order", "", 1);
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_NE(st.to_string().find("source"), std::string::npos) << st.to_string();
  EXPECT_NE(st.to_string().find("external_id"), std::string::npos) << st.to_string();
}

TEST_F(ConnectorIngestTest, OrdersPaidByOneTransactionAreFoundByItPerSource) {
  ConnectorIngestService ingest(*engine);
  auto first = ingest.note_payment_reference("webshop", "ch_3PxA", "1001");
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  EXPECT_TRUE(first->empty()) << "the first order paid by a transaction shares it with none";
  EXPECT_TRUE(ingest.note_payment_reference("webshop", "ch_3PxA", "1001")->empty()) << "noted again: still alone";
  EXPECT_EQ(*ingest.note_payment_reference("webshop", "ch_3PxA", "1002"), std::vector<std::string>{"1001"});
  EXPECT_EQ(*ingest.note_payment_reference("webshop", "ch_3PxA", "1003"), (std::vector<std::string>{"1001", "1002"}));
  EXPECT_TRUE(ingest.note_payment_reference("shop_spb", "ch_3PxA", "1001")->empty()) << "another shop's transaction";
  EXPECT_EQ(ingest.note_payment_reference("webshop", "", "1004").status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace salescore::testing
