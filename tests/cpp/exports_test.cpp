#include <gtest/gtest.h>

#include "sales_fixture.h"
#include "salescore/exports.h"

namespace salescore::testing {
namespace {

class ExportsTest : public SalesTest {
 protected:
  // Every row of `entity` the actor may export, reading pages of `size`.
  std::vector<FieldList> all(const Actor& who, const std::string& entity, int size = 2) {
    std::vector<FieldList> out;
    Page page{0, size};
    while (true) {
      auto chunk = export_page(*engine, who, entity, page);
      EXPECT_TRUE(chunk.ok()) << entity << ": " << chunk.status().to_string();
      if (!chunk.ok()) return out;
      out.insert(out.end(), chunk->rows.begin(), chunk->rows.end());
      if (static_cast<int>(chunk->rows.size()) < size) return out;
      page.after_id = chunk->last_key;
    }
  }
};

TEST_F(ExportsTest, EveryEntityHasColumnsAndAPageReader) {
  order_for(anna_client, 100000);
  for (const std::string& entity : export_entities()) {
    auto columns = export_columns(entity);
    ASSERT_TRUE(columns.ok()) << entity;
    EXPECT_FALSE(columns->fields().empty()) << entity;
    auto rows = all(actor, entity);
    for (const FieldList& row : rows) {
      ASSERT_EQ(row.fields().size(), columns->fields().size()) << entity << ": a row has the header's fields";
      for (std::size_t i = 0; i < row.fields().size(); ++i) EXPECT_EQ(row.fields()[i].name, columns->fields()[i].name);
    }
  }
  EXPECT_EQ(all(actor, "clients").size(), 3u) << "paged by two, nothing lost or repeated";
  EXPECT_GT(all(actor, "events").size(), 3u);
}

TEST_F(ExportsTest, AManagerExportsOnlyWhatTheyMaySee) {
  order_for(anna_client, 100000);
  order_for(boris_client, 100000);
  auto ids = [&](const Actor& who, const std::string& entity) {
    std::vector<std::string> out;
    for (const FieldList& row : all(who, entity)) out.push_back(row.fields()[0].text);
    return out;
  };
  EXPECT_EQ(ids(as(anna), "clients"), std::vector<std::string>{std::to_string(anna_client)});
  EXPECT_EQ(ids(as(anna), "orders").size(), 1u);
  EXPECT_EQ(ids(as(orlova), "orders").size(), 2u) << "the head sees the department";
  EXPECT_EQ(export_page(*engine, as(anna), "events", Page{0, 10}).status().code(), Code::kPermissionDenied)
      << "the log carries every record";
}

TEST_F(ExportsTest, AnUnknownEntityIsRefusedNamingTheKnownOnes) {
  auto refused = export_columns("quotes");
  EXPECT_EQ(refused.status().code(), Code::kInvalidArgument);
  ASSERT_TRUE(refused.status().fields().count("entity"));
  EXPECT_NE(refused.status().fields().at("entity").find("interactions"), std::string::npos);
}

}  // namespace
}  // namespace salescore::testing
