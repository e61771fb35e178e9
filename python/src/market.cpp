// Market and competitor information (salescore/market.h): engine.market.add/get/find
// and the report over a period by competitor or product group. Prices as Money.
#include "bindings.h"
#include "collection.h"
#include "more_codecs.h"

namespace salescore::python {

namespace {

const FieldTable<MarketNote>& market_fields() {
  static const FieldTable<MarketNote> table = {
      computed<codec::Number>("id", &MarketNote::id),
      field<codec::MarketKindName>("kind", &MarketNote::kind),
      field<codec::Text>("competitor", &MarketNote::competitor),
      field<codec::Ref>("product_id", &MarketNote::product_id),
      field<codec::Text>("product_group", &MarketNote::product_group),
      field<codec::Text>("region", &MarketNote::region),
      field<codec::Text>("value", &MarketNote::value),
      field<codec::MaybeMoney>("price", &MarketNote::price),
      field<codec::Text>("source", &MarketNote::source),
      field<codec::When>("observed_at", &MarketNote::observed_at),
      field<codec::Ref>("client_id", &MarketNote::client_id),
      computed<codec::Ref>("recorded_by", &MarketNote::recorded_by),
      computed<codec::When>("created_at", &MarketNote::created_at),
  };
  return table;
}

const FieldTable<MarketQuery>& market_query_fields() {
  static const FieldTable<MarketQuery> table = {
      optional<codec::MarketKindName>("kind", &MarketQuery::kind),
      optional<codec::Text>("competitor", &MarketQuery::competitor),
      optional<codec::Text>("product_group", &MarketQuery::product_group),
      optional<codec::Text>("region", &MarketQuery::region),
      optional<codec::Number>("client_id", &MarketQuery::client_id),
      optional<codec::Number>("product_id", &MarketQuery::product_id),
      optional<codec::Number>("recorded_by", &MarketQuery::recorded_by),
      optional<codec::When>("since", &MarketQuery::from),
      optional<codec::When>("until", &MarketQuery::to),
  };
  return table;
}

py::object maybe_amount(const std::optional<std::int64_t>& v) { return v ? amount_to_py(*v) : py::object(py::none()); }

py::dict line_to_py(const MarketReportLine& l) {
  py::dict d;
  d["key"] = l.key;
  d["records"] = l.records;
  d["competitor_prices"] = l.competitor_prices;
  d["competitor_offers"] = l.competitor_offers;
  d["demand_changes"] = l.demand_changes;
  d["customer_requirements"] = l.customer_requirements;
  d["others"] = l.others;
  d["prices"] = l.prices;
  d["price_min"] = maybe_amount(l.price_min);
  d["price_avg"] = maybe_amount(l.price_avg);
  d["price_max"] = maybe_amount(l.price_max);
  return d;
}

}  // namespace

void bind_market(py::module_& m) {
  using Native = NativeCollection<MarketService>;
  auto cls = bind_collection(m, "Market",
                             CollectionSpec<MarketService, MarketNote, NoPatch, MarketQuery>{
                                 "market information", &Engine::market, &market_fields(), nullptr,
                                 &market_query_fields()});
  // The period as for KPIs ("2026-10", "2026-W44", "2026-Q4", "A..B"); by "competitor"
  // or "product_group".
  cls.def("report", [](const Native& c, Actor actor, const std::string& period, const std::string& by) {
    const Period p = unwrap(parse_period(period));
    const MarketGrouping g = unwrap(parse_market_grouping(by));
    auto r = c.engine->call([&](Engine& e) { return e.market().report(actor, p, g); });
    py::list lines;
    for (const auto& l : r.lines) lines.append(line_to_py(l));
    py::dict d;
    d["period"] = r.period.label;
    d["by"] = market_grouping_name(r.by);
    d["currency"] = r.currency;
    d["lines"] = lines;
    d["total"] = line_to_py(r.total);
    return d;
  });
}

}  // namespace salescore::python
