// KPI tables (what a dashboard reads in one go): every row equal to the KPI read alone,
// the access of get() for the target and for each person listed, and the breach log
// behind leads.sla_breaches readable as leads.
#include "sales_fixture.h"
#include "salescore/kpi.h"

namespace salescore::testing {
namespace {

class KpiTableTest : public SalesTest {
 protected:
  static Period period(const std::string& text) {
    auto p = parse_period(text);
    EXPECT_TRUE(p.ok()) << p.status().to_string();
    return p.ok() ? *p : Period{};
  }
  static KpiTarget team(Id head) { return KpiTarget{KpiScope::kTeam, head}; }

  Order order_at(Id client, std::int64_t total, Instant ordered_at) {
    Order o;
    o.client_id = client;
    o.ordered_at = ordered_at;
    OrderLine l;
    l.sku = "SUGAR-50";
    l.quantity = Quantity::units(1);
    l.price_minor = total;
    o.lines.push_back(l);
    auto r = engine->orders().add(actor, o);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->record : Order{};
  }

  std::int64_t alone(const Actor& who, const std::string& id, KpiTarget target, const Period& p) {
    auto v = engine->kpi().get(who, id, target, p);
    EXPECT_TRUE(v.ok()) << id << ": " << v.status().to_string();
    return v.ok() ? v->value : -1;
  }

  const std::vector<std::string> ids_{"orders.revenue", "orders.count", "receivables.overdue", "plan.fulfilment"};
};

TEST_F(KpiTableTest, EachManagersRowIsWhatTheirOwnKpiSays) {
  order_at(anna_client, 100000, at(0));
  order_at(anna_client, 50000, at(kHour));
  order_at(boris_client, 20000, at(0));
  order_at(sokolov_client, 70000, at(0));
  const Actor head{orlova, Role::kHead};
  const Period nov = period("2026-11");
  auto table = engine->kpi().table(head, ids_, team(orlova), nov, KpiSplit::kUser);
  ASSERT_TRUE(table.ok()) << table.status().to_string();
  // Orlova's department: herself, her two managers and Anna's assistant, by name.
  std::vector<std::string> names;
  for (const auto& row : table->rows) names.push_back(row.label);
  EXPECT_EQ(names, (std::vector<std::string>{"anna", "boris", "orlova", "sveta"}));
  for (const auto& row : table->rows) {
    ASSERT_EQ(row.values.size(), ids_.size());
    for (std::size_t i = 0; i < ids_.size(); ++i) {
      EXPECT_EQ(row.values[i].id, ids_[i]);
      EXPECT_EQ(row.values[i].value, alone(head, ids_[i], KpiTarget{KpiScope::kUser, row.user_id}, nov))
          << row.label << " " << ids_[i];
    }
  }
  for (std::size_t i = 0; i < ids_.size(); ++i)
    EXPECT_EQ(table->total[i].value, alone(head, ids_[i], team(orlova), nov)) << ids_[i];
  EXPECT_EQ(table->total[0].value, 170000);
}

TEST_F(KpiTableTest, EachMonthsRowIsWhatThatMonthSays) {
  order_at(anna_client, 100000, at(0));          // 2026-11-02
  order_at(anna_client, 30000, at(-40 * kDay));  // 2026-09-23
  order_at(boris_client, 20000, at(-75 * kDay)); // 2026-08-19
  const Actor dir{director, Role::kDirector};
  // From the middle of August to the middle of November: the ends are cut.
  auto p = period_between("2026-08-15", "2026-11-15");
  ASSERT_TRUE(p.ok());
  auto table = engine->kpi().table(dir, {"orders.revenue"}, KpiTarget{}, *p, KpiSplit::kMonth);
  ASSERT_TRUE(table.ok()) << table.status().to_string();
  std::vector<std::string> labels;
  std::int64_t sum = 0;
  for (const auto& row : table->rows) {
    labels.push_back(row.label);
    EXPECT_EQ(row.values.at(0).value, alone(dir, "orders.revenue", KpiTarget{}, row.period)) << row.label;
    sum += row.values.at(0).value;
  }
  EXPECT_EQ(labels, (std::vector<std::string>{"2026-08-15..2026-08-31", "2026-09", "2026-10", "2026-11-01..2026-11-15"}));
  EXPECT_EQ(sum, table->total.at(0).value);
  EXPECT_EQ(sum, 150000);
}

TEST_F(KpiTableTest, AccessIsTheAccessOfEachFigure) {
  const Period nov = period("2026-11");
  // A manager may not read the department, split or not.
  EXPECT_EQ(engine->kpi().table(as(anna), ids_, team(orlova), nov, KpiSplit::kUser).status().code(),
            Code::kPermissionDenied);
  // Their own figures by month are theirs.
  EXPECT_TRUE(engine->kpi().table(as(anna), ids_, KpiTarget{KpiScope::kUser, anna}, nov, KpiSplit::kMonth).ok());
  // Another head's department is not this head's.
  EXPECT_EQ(engine->kpi().table(Actor{orlova, Role::kHead}, ids_, team(kozlov), nov, KpiSplit::kUser).status().code(),
            Code::kPermissionDenied);
  auto unknown = engine->kpi().table(actor, {"orders.revenue", "orders.magic"}, KpiTarget{}, nov, KpiSplit::kNone);
  EXPECT_EQ(unknown.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(unknown.status().fields().count("kpi"));
  // Centuries by month are a mistake, said as such.
  auto long_range = period_between("1900-01-01", "2026-11-30");
  ASSERT_TRUE(long_range.ok());
  auto too_long = engine->kpi().table(actor, {"orders.count"}, KpiTarget{}, *long_range, KpiSplit::kMonth);
  EXPECT_EQ(too_long.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(too_long.status().fields().count("period"));
}

TEST_F(KpiTableTest, TheLeadsBehindABreachAreTheOnesTheKpiCounts) {
  const std::vector<Id> ids{receive_web_lead(0), receive_web_lead(1), receive_web_lead(2)};
  // The first is answered in time; the other two breach their SLA.
  clock->advance_ms(10 * 60'000);
  ASSERT_TRUE(engine->leads().touch(actor, ids[0], "status").ok());
  clock->advance_ms(2 * kHour);
  ASSERT_TRUE(engine->run_due().ok());
  const Period day = period("2026-11-02");
  const Instant from{at(-kDay).ms}, to{at(2 * kDay).ms};
  for (Id user : {anna, boris, sokolov}) {
    LeadQuery q;
    q.assignee_id = user;
    q.breached_from = from;
    q.breached_to = to;
    auto leads = engine->leads().find(actor, q);
    ASSERT_TRUE(leads.ok()) << leads.status().to_string();
    EXPECT_EQ(static_cast<std::int64_t>(leads->size()),
              alone(actor, "leads.sla_breaches", KpiTarget{KpiScope::kUser, user}, day))
        << "user " << user;
    for (const auto& l : *leads) EXPECT_NE(l.id, ids[0]);
  }
  LeadQuery all;
  all.breached_from = from;
  EXPECT_EQ(engine->leads().find(actor, all)->size(), 2u);
  all.breached_from = Instant{to.ms};
  EXPECT_TRUE(engine->leads().find(actor, all)->empty());
}

TEST_F(KpiTableTest, TheLeadsBehindAConversionAreTheOnesReceivedInThePeriod) {
  const Id first = receive_web_lead(0);
  receive_web_lead(1);
  receive_web_lead(2);
  ASSERT_TRUE(engine->leads().convert(actor, first).ok());
  // A lead of the next month stays out of November's figures and of its drill-down.
  clock->advance_ms(30 * kDay);
  const Id december = receive_web_lead(3);
  const Period nov = period("2026-11");
  // The fixture starts on 2 November: these bounds hold November's leads and not December's.
  const Instant from{at(-kDay).ms}, to{at(29 * kDay).ms};
  for (Id user : {anna, boris, sokolov}) {
    LeadQuery q;
    q.assignee_id = user;
    q.received_from = from;
    q.received_to = to;
    auto leads = engine->leads().find(actor, q);
    ASSERT_TRUE(leads.ok()) << leads.status().to_string();
    const KpiTarget who{KpiScope::kUser, user};
    EXPECT_EQ(static_cast<std::int64_t>(leads->size()), alone(actor, "leads.received", who, nov)) << "user " << user;
    std::int64_t converted = 0;
    for (const auto& l : *leads) {
      EXPECT_NE(l.id, december);
      converted += l.status == LeadStatus::kConverted ? 1 : 0;
    }
    EXPECT_EQ(converted, alone(actor, "leads.converted", who, nov)) << "user " << user;
  }
  LeadQuery all;
  all.received_from = from;
  all.received_to = to;
  auto in_november = engine->leads().count(actor, all);
  ASSERT_TRUE(in_november.ok()) << in_november.status().to_string();
  EXPECT_EQ(*in_november, 3);
  all.received_from = to;
  all.received_to.reset();
  auto after_november = engine->leads().count(actor, all);
  ASSERT_TRUE(after_november.ok()) << after_november.status().to_string();
  EXPECT_EQ(*after_november, 1);
}

}  // namespace
}  // namespace salescore::testing
