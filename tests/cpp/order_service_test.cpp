#include <gtest/gtest.h>

#include "engine_fixture.h"

namespace salescore::testing {
namespace {

class OrderServiceTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    manager = add_manager("petrova");
    Client c = client_named("ООО Ромашка");
    c.owner_id = manager;
    client = engine->clients().add(actor, c)->record.id;
    Product p;
    p.sku = "TEA-001";
    p.name = "Чай чёрный, 100 г";
    p.prices["retail"] = Money{25000, ""};
    ASSERT_TRUE(engine->products().add(actor, p).ok());
  }

  Order order_with_lines() {
    Order o;
    o.number = "ЗК-0001";
    o.client_id = client;
    o.lines.push_back({"TEA-001", 0, "", Quantity::units(3), 25000, 5000, 0});
    o.lines.push_back({"SUGAR-1KG", 0, "Сахар", Quantity{1500}, 8999, 0, 0});
    return o;
  }

  Id manager = 0;
  Id client = 0;
};

TEST_F(OrderServiceTest, TotalsLinesAndCreditsTheClientsManager) {
  auto r = engine->orders().add(actor, order_with_lines());
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  const Order& o = r->record;
  EXPECT_EQ(o.lines[0].amount_minor, 3 * 25000 - 5000);
  EXPECT_EQ(o.lines[1].amount_minor, 13499);  // 1.5 * 89.99 = 134.985 -> 134.99
  EXPECT_EQ(o.total_minor, 70000 + 13499);
  EXPECT_EQ(o.owner_id, manager);
  EXPECT_EQ(o.currency, "RUB");
  EXPECT_EQ(o.ordered_at.ms, kStartMs);
  EXPECT_NE(o.lines[0].product_id, 0) << "a known SKU is linked to its product";
  EXPECT_EQ(o.lines[1].product_id, 0);

  auto back = engine->orders().get(actor, o.id);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->lines, o.lines);
  EXPECT_EQ(back->total_minor, o.total_minor);
}

// Many lines take the other lookup (one IN list for all of them, not one with a
// placeholder per line): every line is still linked, known or not, repeats included.
TEST_F(OrderServiceTest, EveryLineOfALongOrderIsLinkedToItsProduct) {
  Order o = order_with_lines();
  o.number = "ЗК-0002";
  for (int i = 0; i < 20; ++i)
    o.lines.push_back({i % 2 ? "TEA-001" : "NO-SUCH-" + std::to_string(i), 0, "", Quantity::units(1), 100, 0, 0});
  auto r = engine->orders().add(actor, o);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  const Id tea = r->record.lines[0].product_id;
  ASSERT_NE(tea, 0);
  for (std::size_t i = 2; i < r->record.lines.size(); ++i)
    EXPECT_EQ(r->record.lines[i].product_id, i % 2 ? tea : 0) << "line " << i;
}

TEST_F(OrderServiceTest, RefusesBadLinesNamingEachOne) {
  Order o = order_with_lines();
  o.lines[0].quantity = Quantity{0};
  o.lines[1].discount_minor = 1'000'000;
  o.currency = "rubles";
  auto r = engine->orders().add(actor, o);
  ASSERT_FALSE(r.ok());
  const auto& f = r.status().fields();
  EXPECT_TRUE(f.count("lines[0].quantity"));
  EXPECT_TRUE(f.count("lines[1].discount"));
  EXPECT_TRUE(f.count("currency"));
}

TEST_F(OrderServiceTest, AnOrderForAnUnknownClientIsRefused) {
  Order o = order_with_lines();
  o.client_id = 4242;
  auto r = engine->orders().add(actor, o);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().fields().count("client_id"));
}

TEST_F(OrderServiceTest, TheSameExternalOrderAppliedTwiceIsKeptOnce) {
  Order o = order_with_lines();
  o.source = "webshop";
  o.external_id = "order_01JX";
  auto first = engine->orders().upsert(actor, o);
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  auto events = event_count();
  clock->advance_ms(5000);
  auto second = engine->orders().upsert(actor, o);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->outcome, WriteOutcome::kUnchanged);
  EXPECT_EQ(second->record.id, first->record.id);
  EXPECT_EQ(event_count(), events);
  OrderQuery q;
  q.source = "webshop";
  EXPECT_EQ(*engine->orders().count(actor, q), 1);
}

TEST_F(OrderServiceTest, AChangedExternalOrderIsUpdatedWithItsChangesLogged) {
  Order o = order_with_lines();
  o.source = "1c";
  o.external_id = "doc-17";
  ASSERT_TRUE(engine->orders().upsert(actor, o).ok());
  auto before = event_count();
  o.status = OrderStatus::kShipped;
  auto r = engine->orders().upsert(actor, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->outcome, WriteOutcome::kUpdated);
  auto events = engine->events().since(before);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().type, "order.updated");
  EXPECT_NE(events->front().payload.find("\"status\":[\"new\",\"shipped\"]"), std::string::npos)
      << events->front().payload;
}

TEST_F(OrderServiceTest, NewLinesRecomputeTheTotal) {
  auto r = engine->orders().add(actor, order_with_lines());
  ASSERT_TRUE(r.ok());
  OrderPatch patch;
  patch.lines = std::vector<OrderLine>{{"TEA-001", 0, "", Quantity::units(1), 25000, 0, 0}};
  auto updated = engine->orders().update(actor, r->record.id, patch);
  ASSERT_TRUE(updated.ok()) << updated.status().to_string();
  EXPECT_EQ(updated->record.total_minor, 25000);
  EXPECT_EQ(engine->orders().get(actor, r->record.id)->lines.size(), 1u);
}

TEST_F(OrderServiceTest, AFailedBatchLeavesNothingBehind) {
  auto before = event_count();
  Status st = engine->batch([&]() -> Status {
    SC_RETURN_IF_ERROR(engine->orders().add(actor, order_with_lines()).status());
    Order bad = order_with_lines();
    bad.client_id = 999;
    return engine->orders().add(actor, bad).status();
  });
  EXPECT_FALSE(st.is_ok());
  EXPECT_EQ(*engine->orders().count(actor, OrderQuery{}), 0);
  EXPECT_EQ(event_count(), before);
}

TEST_F(OrderServiceTest, ExportWalksEveryOrderWithItsLines) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(engine->orders().add(actor, order_with_lines()).ok());
  int orders = 0;
  std::size_t lines = 0;
  ASSERT_TRUE(engine->orders().for_each(actor, [&](const Order& o) {
    ++orders;
    lines += o.lines.size();
    return true;
  }).is_ok());
  EXPECT_EQ(orders, 5);
  EXPECT_EQ(lines, 10u);
}

TEST_F(OrderServiceTest, OrdersAreFoundByClientAndPeriod) {
  ASSERT_TRUE(engine->orders().add(actor, order_with_lines()).ok());
  clock->advance_ms(86'400'000);
  ASSERT_TRUE(engine->orders().add(actor, order_with_lines()).ok());
  OrderQuery q;
  q.client_id = client;
  q.from = Instant{kStartMs + 1};
  auto found = engine->orders().find(actor, q);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->size(), 1u);
}

TEST_F(OrderServiceTest, ProductsAreUpsertedBySku) {
  Product p;
  p.sku = "TEA-001";
  p.name = "Чай чёрный, 100 г";
  p.prices["retail"] = Money{25000, "RUB"};
  auto same = engine->products().upsert(actor, p);
  ASSERT_TRUE(same.ok()) << same.status().to_string();
  EXPECT_EQ(same->outcome, WriteOutcome::kUnchanged);
  p.stock = Quantity::units(40);
  auto changed = engine->products().upsert(actor, p);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->outcome, WriteOutcome::kUpdated);
  EXPECT_EQ(engine->products().by_sku(actor, "TEA-001")->stock, Quantity::units(40));
  Product dup = p;
  EXPECT_EQ(engine->products().add(actor, dup).status().code(), Code::kAlreadyExists);
}

TEST_F(OrderServiceTest, DealsDefaultToTheNewStageAndTheClientsOwner) {
  Deal d;
  d.client_id = client;
  d.title = "Поставка чая на 2027 год";
  d.expected_amount = Money{100'000'00, ""};
  auto r = engine->deals().add(actor, d);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->record.stage, "new");
  EXPECT_EQ(r->record.owner_id, manager);
  clock->advance_ms(3'600'000);
  DealPatch patch;
  patch.stage = "qualified";
  auto moved = engine->deals().update(actor, r->record.id, patch);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->record.stage_changed_at.ms, kStartMs + 3'600'000);
}

TEST_F(OrderServiceTest, InteractionsAndTasksLinkToExistingRecordsOnly) {
  Interaction call;
  call.kind = InteractionKind::kCall;
  call.direction = Direction::kInbound;
  call.client_id = client;
  call.user_id = manager;
  call.duration_s = 95;
  call.source = "asterisk";
  call.external_id = "1700000000.42";
  auto r = engine->interactions().upsert(actor, call);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(engine->interactions().upsert(actor, call)->outcome, WriteOutcome::kUnchanged);

  Task t;
  t.title = "Перезвонить по поводу КП";
  t.assignee_id = manager;
  t.client_id = client;
  t.due_at = Instant{kStartMs + 3'600'000};
  auto task = engine->tasks().add(actor, t);
  ASSERT_TRUE(task.ok()) << task.status().to_string();
  TaskPatch done;
  done.status = TaskStatus::kDone;
  auto closed = engine->tasks().update(actor, task->id, done);
  ASSERT_TRUE(closed.ok());
  ASSERT_TRUE(closed->done_at.has_value());
  EXPECT_EQ(closed->done_at->ms, kStartMs);

  t.client_id = 31337;
  t.deal_id = 31337;
  auto bad = engine->tasks().add(actor, t);
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.status().fields().count("client_id"));
  EXPECT_TRUE(bad.status().fields().count("deal_id"));
}

}  // namespace
}  // namespace salescore::testing
