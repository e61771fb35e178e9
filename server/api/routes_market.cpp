// /api/v1/market-notes and /api/v1/market-report: market and competitor information
// (salescore/market.h), with core's access rules: a manager their own records and their
// clients', a head their department's.
#include "api/api_router.h"
#include "market_json.h"
#include "salescore/record_fields.h"

namespace salescore::cli {
namespace {

const Fields kMarketCreate =
    pick(schema("MarketNote"), {"kind", "competitor", "product_id", "product_group", "region", "value", "price",
                                "currency", "source", "observed_at", "client_id"},
         {"kind"});

HttpReply list_notes(ApiCall& call) {
  auto page = page_of(call);
  if (!page.ok()) return error_reply(page.status());
  QueryReader q(call);
  MarketQuery query;
  query.kind = q.choice("kind", parse_market_kind);
  query.competitor = q.text("competitor");
  query.product_group = q.text("product_group");
  query.region = q.text("region");
  query.client_id = q.id("client_id");
  query.product_id = q.id("product_id");
  query.recorded_by = q.id("recorded_by");
  query.from = q.instant("from");
  query.to = q.instant("to");
  if (Status st = q.status(); !st.is_ok()) return error_reply(st);
  query.page = *page;
  return list_reply(call.engine.market().find(call.actor, query), *page);
}

HttpReply get_note(ApiCall& call) { return record_reply(call.engine.market().get(call.actor, call.id)); }

HttpReply create_note(ApiCall& call) {
  return write_record(
      call, kMarketCreate, "market information",
      [](BodyReader& b) {
        MarketNote n;
        n.kind = b.choice("kind", parse_market_kind).value_or(MarketKind::kOther);
        if (!b.has("kind")) b.error("kind", "required");
        n.competitor = b.text("competitor").value_or("");
        n.product_id = b.id("product_id").value_or(0);
        n.product_group = b.text("product_group").value_or("");
        n.region = b.text("region").value_or("");
        n.value = b.text("value").value_or("");
        n.price = b.money("price", "currency");
        n.source = b.text("source").value_or("");
        n.observed_at = b.instant("observed_at").value_or(Instant{});
        n.client_id = b.id("client_id").value_or(0);
        return n;
      },
      [&](const MarketNote& n) { return call.engine.market().add(call.actor, n); }, 201);
}

// ?period= (as for KPIs) and ?by=competitor|product_group (default competitor).
HttpReply market_report(ApiCall& call) {
  QueryReader q(call);
  auto period_text = q.text("period");
  auto by = q.choice("by", parse_market_grouping);
  if (Status st = q.status(); !st.is_ok()) return error_reply(st);
  if (!period_text)
    return error_reply(Status::invalid("?period= is required (2026-10, 2026-W44, 2026-10-05, 2026-Q4 or A..B)",
                                       {{"period", "required"}}));
  auto period = parse_period(*period_text);
  if (!period.ok())
    return error_reply(Status::invalid(period.status().message(), {{"period", period.status().message()}}));
  auto r = call.engine.market().report(call.actor, *period, by.value_or(MarketGrouping::kCompetitor));
  if (!r.ok()) return error_reply(r.status());
  return json_reply(200, market_report_json(*r));
}

}  // namespace

void add_market_routes(std::vector<Route>& out) {
  const std::string base = "/api/v1/market-notes";
  out.push_back({.method = "GET", .pattern = base, .summary = "Market and competitor information the caller sees",
                 .handler = list_notes,
                 .filters = {field::choice("kind", parse_market_kind, "Only information of this kind"), "competitor",
                             "product_group", "region", "client_id", "product_id", "recorded_by", "from", "to"},
                 .paged = true, .reply = Reply::page("MarketNote")});
  out.push_back({.method = "POST", .pattern = base, .summary = "Record market or competitor information",
                 .handler = create_note, .fields = kMarketCreate, .success_status = 201,
                 .reply = Reply::record("MarketNote")});
  out.push_back({.method = "GET", .pattern = base + "/{id}", .summary = "One piece of market information",
                 .handler = get_note, .reply = Reply::record("MarketNote")});
  out.push_back({.method = "GET", .pattern = "/api/v1/market-report",
                 .summary = "Market information of ?period= by ?by=competitor|product_group",
                 .handler = market_report,
                 .filters = {field::text("period", "2026-10, 2026-W44, 2026-10-05, 2026-Q4 or A..B")
                                 .need()
                                 .eg("\"2026-11\""),
                             field::choice("by", parse_market_grouping, "How to group; absent: competitor")},
                 .reply = Reply::record("MarketReport")});
}

}  // namespace salescore::cli
