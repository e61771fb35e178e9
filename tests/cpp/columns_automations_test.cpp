// Column reads (ColumnService) and the automation state (AutomationService) that the
// Python package's to_pandas/export and python -m salescore.automate stand on.
#include <gtest/gtest.h>

#include "engine_fixture.h"
#include "salescore/engine.h"

namespace salescore::testing {
namespace {

class ColumnsTest : public EngineTest {
 protected:
  Id add_order(Id client, Id owner, const std::string& number, std::int64_t price_minor) {
    Order o;
    o.client_id = client;
    o.owner_id = owner;
    o.number = number;
    o.lines.push_back({"TEA-1", 0, "Чай", Quantity::units(1), price_minor, 0, 0});
    auto r = engine->orders().add(actor, o);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->record.id : 0;
  }

  static const Column& column(const ColumnTable& t, const std::string& name) {
    for (const auto& c : t.columns)
      if (c.name == name) return c;
    ADD_FAILURE() << "no column " << name;
    return t.columns.front();
  }
};

TEST_F(ColumnsTest, OrdersReadAsTypedColumnsInIdOrder) {
  Id ivanov = add_manager("ivanov");
  Id client = add_client("ООО Ромашка");
  add_order(client, ivanov, "SO-1", 150'00);
  add_order(client, 0, "SO-2", 99'99);

  OrderQuery all;
  all.page = Page{0, 0};
  auto t = engine->columns().orders(actor, all);
  ASSERT_TRUE(t.ok()) << t.status().to_string();
  EXPECT_EQ(t->rows, 2);
  EXPECT_EQ(column(*t, "number").texts, (std::vector<std::string>{"SO-1", "SO-2"}));
  EXPECT_EQ(column(*t, "total_minor").ints, (std::vector<std::int64_t>{150'00, 99'99}));
  EXPECT_EQ(column(*t, "total_minor").kind, ColumnKind::kAmount);
  EXPECT_EQ(column(*t, "owner_id").nulls, (std::vector<std::uint8_t>{0, 1}));
  EXPECT_EQ(column(*t, "ordered_at").kind, ColumnKind::kInstant);
  EXPECT_TRUE(column(*t, "status").nulls.empty()) << "a column that is never absent has no mask";
}

TEST_F(ColumnsTest, ColumnsKeepTheActorsScopeAndPages) {
  Id ivanov = add_manager("ivanov");
  Id petrova = add_manager("petrova");
  Client c = client_named("ООО Ромашка");
  c.owner_id = ivanov;
  Id mine = engine->clients().add(actor, c)->record.id;
  c.owner_id = petrova;
  c.name = "ООО Лютик";
  Id hers = engine->clients().add(actor, c)->record.id;
  Id first = add_order(mine, ivanov, "SO-1", 100);
  add_order(hers, petrova, "SO-2", 100);
  Id third = add_order(mine, ivanov, "SO-3", 100);

  OrderQuery all;
  all.page = Page{0, 0};
  auto seen = engine->columns().orders(Actor{ivanov, Role::kManager}, all);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(column(*seen, "id").ints, (std::vector<Id>{first, third}));
  OrderQuery after_first;
  after_first.page = Page{first, 1};
  auto page = engine->columns().orders(actor, after_first);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->rows, 1);
  EXPECT_EQ(column(*page, "number").texts, (std::vector<std::string>{"SO-2"}));
  auto clients = engine->columns().clients(Actor{petrova, Role::kManager}, ClientQuery{.page = Page{0, 0}});
  ASSERT_TRUE(clients.ok());
  EXPECT_EQ(column(*clients, "name").texts, (std::vector<std::string>{"ООО Лютик"}));
}

TEST_F(EngineTest, AnAutomationKeepsItsOffsetAndRetryState) {
  auto fresh = engine->automations().state("automation.mail.remind");
  ASSERT_TRUE(fresh.ok()) << fresh.status().to_string();
  EXPECT_FALSE(fresh->known);

  ASSERT_TRUE(engine->automations().record_failure("automation.mail.remind", 1, Instant{kStartMs + 1000}, "down").is_ok());
  auto failing = engine->automations().state("automation.mail.remind");
  EXPECT_TRUE(failing->known);
  EXPECT_EQ(failing->event_offset, 0);
  EXPECT_EQ(failing->failures, 1);
  EXPECT_EQ(failing->retry_at->ms, kStartMs + 1000);
  EXPECT_EQ(failing->last_error, "down");

  ASSERT_TRUE(engine->automations().advance("automation.mail.remind", 42).is_ok());
  auto moved = engine->automations().state("automation.mail.remind");
  EXPECT_EQ(moved->event_offset, 42);
  EXPECT_EQ(moved->failures, 0);
  EXPECT_FALSE(moved->retry_at.has_value());
  EXPECT_EQ(engine->automations().advance("", 1).code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace salescore::testing
