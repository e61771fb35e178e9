// Market and competitor information: recorded by managers and assistants (from a client
// or from the market), seen like activity — by the recorder, whoever sees the recorder's
// records, and whoever sees the client — and summed over a period for the head.
#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <map>

#include "engine/record_writes.h"
#include "engine/trimmed.h"
#include "kpi/kpi_read.h"
#include "rules/access.h"
#include "store/catalog_rows.h"
#include "store/client_rows.h"
#include "store/market_rows.h"

namespace salescore {
using namespace detail;

namespace {

constexpr std::size_t kMaxName = 200;    // competitor, group, region, source
constexpr std::size_t kMaxValue = 4000;  // what was learnt

std::string visible_notes(const Scope& scope) { return activity_condition(scope, "recorded_by", ""); }

// What each kind needs to be of use to the head reading it.
void check_note(const MarketNote& n, FieldErrors& errors) {
  const bool about_competitor = n.kind == MarketKind::kCompetitorPrice || n.kind == MarketKind::kCompetitorOffer;
  if (about_competitor && n.competitor.empty()) errors.add("competitor", "required for a competitor's price or offer");
  if (n.kind == MarketKind::kCompetitorPrice) {
    if (!n.price) errors.add("price", "required for a competitor's price");
    if (n.product_id == 0 && n.product_group.empty())
      errors.add("product_id", "a competitor's price is of a product or a product group");
  }
  if (n.kind == MarketKind::kDemandChange && n.product_id == 0 && n.product_group.empty())
    errors.add("product_group", "a change in demand is of a product or a product group");
  if (n.kind != MarketKind::kCompetitorPrice && n.value.empty()) errors.add("value", "required: what was learnt");
  if (n.price) {
    if (n.price->minor <= 0) errors.add("price", "must be above 0");
    const auto& c = n.price->currency;
    if (c.size() != 3 || !std::all_of(c.begin(), c.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; }))
      errors.add("currency", "expected a three-letter code such as RUB");
  }
  const std::initializer_list<std::pair<const char*, const std::string*>> names = {
      {"competitor", &n.competitor}, {"product_group", &n.product_group}, {"region", &n.region}, {"source", &n.source}};
  for (const auto& [name, text] : names)
    if (text->size() > kMaxName) errors.add(name, "longer than " + std::to_string(kMaxName) + " bytes");
  if (n.value.size() > kMaxValue) errors.add("value", "longer than " + std::to_string(kMaxValue) + " bytes");
}

}  // namespace

Result<MarketNote> MarketService::add(const Actor& actor, MarketNote note) {
  return write<MarketNote>(*s_, [&]() -> Result<MarketNote> {
    for (auto* text : {&note.competitor, &note.product_group, &note.region, &note.value, &note.source}) trim(*text);
    const Instant now = s_->now();
    if (note.observed_at.ms == 0) note.observed_at = now;
    if (note.price && note.price->currency.empty()) note.price->currency = s_->config.currency;
    FieldErrors errors;
    if (note.product_id) {
      SC_ASSIGN_OR_RETURN(auto product, store::load_product(*s_->conn, note.product_id));
      if (!product) errors.add("product_id", "product " + std::to_string(note.product_id) + " does not exist");
      else if (note.product_group.empty()) note.product_group = product->group;
    }
    if (note.client_id) {
      SC_ASSIGN_OR_RETURN(auto owner, store::client_owner(*s_->conn, note.client_id));
      if (!owner) errors.add("client_id", "client " + std::to_string(note.client_id) + " does not exist");
    }
    if (note.observed_at > now) errors.add("observed_at", "in the future");
    check_note(note, errors);
    SC_RETURN_IF_ERROR(errors.to_status("market information"));
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    // Recorded as the actor's own; a client must be one the actor works with.
    SC_ASSIGN_OR_RETURN(bool may, may_write_activity(*s_, scope, actor.user_id, note.client_id, ""));
    if (!may) return deny(*s_, actor, "record market information about", "client", note.client_id);
    note.recorded_by = actor.user_id;
    note.created_at = now;
    SC_ASSIGN_OR_RETURN(note.id, store::insert_market_note(*s_->conn, note));
    SC_RETURN_IF_ERROR(log_created(*s_, actor, "market_note", note));
    return note;
  });
}

Result<MarketNote> MarketService::get(const Actor& actor, Id id) {
  return read<MarketNote>(*s_, [&]() -> Result<MarketNote> {
    SC_ASSIGN_OR_RETURN(auto found, store::load_market_note(*s_->conn, id));
    if (!found) return not_found("market information", id);
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    SC_ASSIGN_OR_RETURN(bool ok, covers_activity(*s_, scope, found->recorded_by, found->client_id, ""));
    if (!ok) return deny(*s_, actor, "read", "market information", id);
    return std::move(*found);
  });
}

Result<std::vector<MarketNote>> MarketService::find(const Actor& actor, const MarketQuery& query) {
  return read<std::vector<MarketNote>>(*s_, [&]() -> Result<std::vector<MarketNote>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::find_market_notes(*s_->conn, query, visible_notes(scope));
  });
}

Result<MarketReport> MarketService::report(const Actor& actor, const Period& period, MarketGrouping by) {
  return read<MarketReport>(*s_, [&]() -> Result<MarketReport> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    MarketReport r;
    r.period = period;
    r.by = by;
    r.currency = s_->config.currency;
    SC_ASSIGN_OR_RETURN(auto sums, store::market_sums(*s_->conn, by, period_start(*s_, period),
                                                      period_end(*s_, period), r.currency, visible_notes(scope)));
    std::map<std::string, MarketReportLine> lines;
    std::map<std::string, std::int64_t> price_sums;
    auto add = [](MarketReportLine& l, const store::MarketSums& m) {
      l.records += m.records;
      auto kind = parse_market_kind(m.kind);
      switch (kind.ok() ? *kind : MarketKind::kOther) {
        case MarketKind::kCompetitorPrice: l.competitor_prices += m.records; break;
        case MarketKind::kCompetitorOffer: l.competitor_offers += m.records; break;
        case MarketKind::kDemandChange: l.demand_changes += m.records; break;
        case MarketKind::kCustomerRequirement: l.customer_requirements += m.records; break;
        case MarketKind::kOther: l.others += m.records; break;
      }
      if (m.prices) {
        l.price_min = l.price_min ? std::min(*l.price_min, m.price_min) : m.price_min;
        l.price_max = l.price_max ? std::max(*l.price_max, m.price_max) : m.price_max;
        l.prices += m.prices;
      }
    };
    std::int64_t total_sum = 0;
    for (const auto& m : sums) {
      MarketReportLine& l = lines[m.key];
      l.key = m.key;
      add(l, m);
      add(r.total, m);
      price_sums[m.key] += m.price_sum;
      total_sum += m.price_sum;
    }
    for (auto& [key, l] : lines) {
      if (l.prices) l.price_avg = rounded_div(price_sums[key], l.prices);
      r.lines.push_back(std::move(l));
    }
    if (r.total.prices) r.total.price_avg = rounded_div(total_sum, r.total.prices);
    std::stable_sort(r.lines.begin(), r.lines.end(),
                     [](const MarketReportLine& a, const MarketReportLine& b) { return a.records > b.records; });
    r.total.key = "total";
    return r;
  });
}

}  // namespace salescore
