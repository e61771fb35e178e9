// Names of the market-information enumerations and the record's field list.
#include "model/enum_names.h"
#include "salescore/market.h"

namespace salescore {
using detail::name_of;
using detail::parse_from;

namespace {
constexpr std::array<std::pair<MarketKind, const char*>, 5> kMarketKinds{
    {{MarketKind::kCompetitorPrice, "competitor_price"},
     {MarketKind::kCompetitorOffer, "competitor_offer"},
     {MarketKind::kDemandChange, "demand_change"},
     {MarketKind::kCustomerRequirement, "customer_requirement"},
     {MarketKind::kOther, "other"}}};
constexpr std::array<std::pair<MarketGrouping, const char*>, 2> kGroupings{
    {{MarketGrouping::kCompetitor, "competitor"}, {MarketGrouping::kProductGroup, "product_group"}}};
}  // namespace

const char* market_kind_name(MarketKind k) { return name_of(kMarketKinds, k); }
Result<MarketKind> parse_market_kind(std::string_view n) { return parse_from(kMarketKinds, n, "market kind"); }
const char* market_grouping_name(MarketGrouping g) { return name_of(kGroupings, g); }
Result<MarketGrouping> parse_market_grouping(std::string_view n) {
  return parse_from(kGroupings, n, "market report grouping");
}

FieldList fields_of(const MarketNote& n) {
  FieldList f;
  f.number("id", n.id);
  f.string("kind", market_kind_name(n.kind));
  f.string("competitor", n.competitor);
  f.id("product_id", n.product_id);
  f.string("product_group", n.product_group);
  f.string("region", n.region);
  f.string("value", n.value);
  if (n.price) {
    f.amount("price", n.price->minor);
    f.string("currency", n.price->currency);
  } else {
    f.null("price");
    f.null("currency");
  }
  f.string("source", n.source);
  f.instant("observed_at", n.observed_at);
  f.id("client_id", n.client_id);
  f.id("recorded_by", n.recorded_by);
  f.instant("created_at", n.created_at);
  return f;
}

}  // namespace salescore
