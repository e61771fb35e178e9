// Market and competitor information: what each kind needs, who may record and read it
// (like activity: the recorder, their head, whoever sees the client), and the report
// over a period by competitor and by product group.
#include <gtest/gtest.h>

#include "sales_fixture.h"

namespace salescore::testing {
namespace {

class MarketTest : public SalesTest {
 protected:
  MarketNote price(const std::string& competitor, const std::string& group, std::int64_t minor,
                   const std::string& currency = "RUB") {
    MarketNote n;
    n.kind = MarketKind::kCompetitorPrice;
    n.competitor = competitor;
    n.product_group = group;
    n.price = Money{minor, currency};
    n.source = "client call";
    return n;
  }
  MarketNote said(MarketKind kind, const std::string& value, Id client = 0) {
    MarketNote n;
    n.kind = kind;
    n.value = value;
    n.product_group = "Сахар";
    n.client_id = client;
    return n;
  }
  MarketNote added(const Actor& who, MarketNote n) {
    auto r = engine->market().add(who, std::move(n));
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? *r : MarketNote{};
  }
  static Period period(const std::string& text) { return *parse_period(text); }
};

TEST_F(MarketTest, AManagerRecordsWhatAClientSaidAndWhoRecordedItIsKept) {
  MarketNote n = price("  Вектор ", "Сахар", 4990'00);
  n.client_id = anna_client;
  n.region = "Москва";
  MarketNote saved = added(as(anna), n);
  EXPECT_GT(saved.id, 0);
  EXPECT_EQ(saved.competitor, "Вектор") << "trimmed";
  EXPECT_EQ(saved.recorded_by, anna);
  EXPECT_EQ(saved.observed_at, at(0)) << "now by default";
  auto read = engine->market().get(as(anna), saved.id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->price, (std::optional<Money>(Money{4990'00, "RUB"})));
  EXPECT_EQ(read->region, "Москва");
  EXPECT_EQ(events_of("market_note.created").size(), 1u);

  MarketNote blank_currency = price("Вектор", "Сахар", 100, "");
  EXPECT_EQ(added(as(anna), blank_currency).price->currency, "RUB") << "the company currency";
}

TEST_F(MarketTest, EachKindNeedsWhatMakesItUsefulAndBadInputNamesTheField) {
  MarketNote bare;
  bare.kind = MarketKind::kCompetitorPrice;
  auto r = engine->market().add(as(anna), bare);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  for (const char* f : {"competitor", "price", "product_id"}) EXPECT_TRUE(r.status().fields().count(f)) << f;

  MarketNote demand;
  demand.kind = MarketKind::kDemandChange;
  r = engine->market().add(as(anna), demand);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(r.status().fields().count("product_group"));
  EXPECT_TRUE(r.status().fields().count("value"));

  MarketNote bad = price("Вектор", "Сахар", -5, "rubles");
  bad.observed_at = at(kHour);
  bad.client_id = 999999;
  bad.product_id = 888888;
  r = engine->market().add(as(anna), bad);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument);
  for (const char* f : {"price", "currency", "observed_at", "client_id", "product_id"})
    EXPECT_TRUE(r.status().fields().count(f)) << f << ": " << r.status().to_string();
  EXPECT_TRUE(engine->market().find(actor, MarketQuery{})->empty()) << "nothing half-written";
}

TEST_F(MarketTest, AccessIsThatOfActivity) {
  const Id on_anna = added(as(anna), said(MarketKind::kCustomerRequirement, "нужна доставка за 24 ч", anna_client)).id;
  const Id by_sveta = added(Actor{sveta, Role::kAssistant}, said(MarketKind::kDemandChange, "спрос +20 %")).id;
  const Id by_sokolov = added(as(sokolov), said(MarketKind::kOther, "новый склад у конкурента")).id;

  // A manager may not file information under a colleague's client.
  auto refused = engine->market().add(as(boris), said(MarketKind::kOther, "x", anna_client));
  EXPECT_EQ(refused.status().code(), Code::kPermissionDenied);

  EXPECT_EQ(engine->market().get(as(boris), on_anna).status().code(), Code::kPermissionDenied);
  EXPECT_TRUE(engine->market().get(Actor{sveta, Role::kAssistant}, on_anna).ok()) << "her manager's client";
  EXPECT_TRUE(engine->market().get(Actor{orlova, Role::kHead}, by_sveta).ok()) << "the head reads her department";
  EXPECT_EQ(engine->market().get(Actor{kozlov, Role::kHead}, on_anna).status().code(), Code::kPermissionDenied);
  EXPECT_TRUE(engine->market().get(Actor{director, Role::kDirector}, by_sokolov).ok());

  auto ids = [&](const Actor& who) {
    std::set<Id> out;
    auto found = engine->market().find(who, MarketQuery{});  // kept: the loop reads into it
    EXPECT_TRUE(found.ok()) << found.status().to_string();
    if (found.ok())
      for (const auto& n : *found) out.insert(n.id);
    return out;
  };
  EXPECT_EQ(ids(as(boris)), (std::set<Id>{}));
  EXPECT_EQ(ids(as(anna)), (std::set<Id>{on_anna}));
  EXPECT_EQ(ids(Actor{orlova, Role::kHead}), (std::set<Id>{on_anna, by_sveta}));
  EXPECT_EQ(ids(Actor{kozlov, Role::kHead}), (std::set<Id>{by_sokolov}));
  EXPECT_EQ(ids(actor).size(), 3u);
  MarketQuery q;
  q.kind = MarketKind::kDemandChange;
  EXPECT_EQ(engine->market().find(actor, q)->size(), 1u);
}

TEST_F(MarketTest, TheReportSumsAPeriodByCompetitorAndByProductGroup) {
  added(as(anna), price("Вектор", "Сахар", 100'00));
  added(as(anna), price("Вектор", "Сахар", 121'00));
  added(as(anna), price("Вектор", "Мука", 50'00, "USD"));  // not comparable: left out of the prices
  added(as(boris), price("Гранд", "Сахар", 90'00));
  MarketNote offer;
  offer.kind = MarketKind::kCompetitorOffer;
  offer.competitor = "Гранд";
  offer.value = "3 по цене 2";
  added(as(boris), offer);
  added(as(anna), said(MarketKind::kDemandChange, "спрос падает"));
  MarketNote old = price("Вектор", "Сахар", 1'00);
  old.observed_at = Instant{kStartMs - 40 * kDay};  // an earlier month
  added(as(anna), old);

  auto by_competitor = engine->market().report(actor, period("2026-11"), MarketGrouping::kCompetitor);
  ASSERT_TRUE(by_competitor.ok()) << by_competitor.status().to_string();
  ASSERT_EQ(by_competitor->lines.size(), 3u);  // Вектор, Гранд, and the demand note without one
  const MarketReportLine& vector = by_competitor->lines[0];
  EXPECT_EQ(vector.key, "Вектор");
  EXPECT_EQ(vector.records, 3);
  EXPECT_EQ(vector.competitor_prices, 3);
  EXPECT_EQ(vector.prices, 2) << "the USD price is not averaged with roubles";
  EXPECT_EQ(vector.price_min, 100'00);
  EXPECT_EQ(vector.price_avg, 110'50);
  EXPECT_EQ(vector.price_max, 121'00);
  EXPECT_EQ(by_competitor->total.records, 6);
  EXPECT_EQ(by_competitor->total.competitor_offers, 1);
  EXPECT_EQ(by_competitor->total.demand_changes, 1);
  EXPECT_EQ(by_competitor->total.price_min, 90'00);
  EXPECT_EQ(by_competitor->total.price_avg, 103'67);

  auto by_group = engine->market().report(actor, period("2026-11"), MarketGrouping::kProductGroup);
  ASSERT_TRUE(by_group.ok());
  const MarketReportLine& sugar = by_group->lines[0];
  EXPECT_EQ(sugar.key, "Сахар");
  EXPECT_EQ(sugar.records, 4);
  EXPECT_EQ(sugar.price_max, 121'00);

  // A manager's report covers what they see.
  auto boris_report = engine->market().report(as(boris), period("2026-11"), MarketGrouping::kCompetitor);
  ASSERT_TRUE(boris_report.ok());
  EXPECT_EQ(boris_report->total.records, 2);
}

}  // namespace
}  // namespace salescore::testing
