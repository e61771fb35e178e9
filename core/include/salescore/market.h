// Market and competitor information (рыночная информация): what managers and assistants
// hear from clients and see in the market — competitors' prices and offers, changes in
// demand, customers' requirements — recorded where the head can read it over a period,
// by competitor or by product group. Rules in docs/rules.md, "Market information".
//
// Include salescore/engine.h, or this header: each includes the other (see payments.h).
//
// Thread-safety: like every service, calls are serialized on the engine's connection.
#include "salescore/engine.h"

#ifndef SALESCORE_MARKET_H_
#define SALESCORE_MARKET_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "salescore/kpi.h"
#include "salescore/record_fields.h"

namespace salescore {

enum class MarketKind { kCompetitorPrice, kCompetitorOffer, kDemandChange, kCustomerRequirement, kOther };
// "competitor_price", "competitor_offer", "demand_change", "customer_requirement", "other"
const char* market_kind_name(MarketKind k);
Result<MarketKind> parse_market_kind(std::string_view name);

// One piece of market information.
struct MarketNote {
  Id id = 0;
  MarketKind kind = MarketKind::kOther;
  std::string competitor;     // whose price or offer (required for those kinds)
  Id product_id = 0;          // our product it is about, when one matches
  std::string product_group;  // the product's group by default ("Tools / Drills")
  std::string region;
  std::string value;          // what was learnt: "demand +20 % before the season", "2 for 1"
  std::optional<Money> price; // a competitor's price (required for competitor_price)
  std::string source;         // where it was heard: "client call", "exhibition", "their site"
  Instant observed_at;        // when (default: now; not in the future)
  Id client_id = 0;           // the client it came from, if any
  Id recorded_by = 0;         // who recorded it (set by the engine)
  Instant created_at;
};

struct MarketQuery {
  std::optional<MarketKind> kind;
  std::optional<std::string> competitor, product_group, region;  // exact match
  std::optional<Id> client_id, product_id, recorded_by;
  std::optional<Instant> from, to;  // observed_at in [from, to)
  Page page;
};

enum class MarketGrouping { kCompetitor, kProductGroup };
const char* market_grouping_name(MarketGrouping g);  // "competitor", "product_group"
Result<MarketGrouping> parse_market_grouping(std::string_view name);

// One competitor's (or product group's) line of the report.
struct MarketReportLine {
  std::string key;  // the competitor or the product group; "" for records without one
  std::int64_t records = 0;
  std::int64_t competitor_prices = 0, competitor_offers = 0, demand_changes = 0, customer_requirements = 0,
               others = 0;
  // Competitors' prices in the company currency seen in the period (others are not
  // comparable and are left out): how many, the lowest, the average (rounded half
  // away from zero) and the highest, in minor units.
  std::int64_t prices = 0;
  std::optional<std::int64_t> price_min, price_avg, price_max;
};

struct MarketReport {
  Period period;
  MarketGrouping by = MarketGrouping::kCompetitor;
  std::string currency;               // the company currency the prices are in
  std::vector<MarketReportLine> lines;  // most records first, then by key
  MarketReportLine total;
};

class MarketService {
 public:
  explicit MarketService(detail::EngineState* s) : s_(s) {}
  // Records market information. The recorder is the actor; the client, when given, must
  // be one the actor may work with (a manager their clients, an assistant their
  // manager's, a head their department's).
  Result<MarketNote> add(const Actor& actor, MarketNote note);
  // Seen by whoever recorded it, whoever sees their records (their head), and whoever
  // sees its client.
  Result<MarketNote> get(const Actor& actor, Id id);
  Result<std::vector<MarketNote>> find(const Actor& actor, const MarketQuery& query);
  // The records the actor sees observed in the period, by competitor or product group.
  Result<MarketReport> report(const Actor& actor, const Period& period, MarketGrouping by);

 private:
  detail::EngineState* s_;
};

FieldList fields_of(const MarketNote& n);

}  // namespace salescore

#endif  // SALESCORE_MARKET_H_
