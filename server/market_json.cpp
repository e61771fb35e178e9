#include "market_json.h"

#include "salescore/record_fields.h"

namespace salescore::cli {
namespace {

std::string opt_amount(const std::optional<std::int64_t>& v) {
  return v ? "\"" + format_amount(*v) + "\"" : std::string("null");
}

std::string line_json(const MarketReportLine& l) {
  return "{\"key\":" + json_string(l.key) + ",\"records\":" + std::to_string(l.records) +
         ",\"competitor_prices\":" + std::to_string(l.competitor_prices) +
         ",\"competitor_offers\":" + std::to_string(l.competitor_offers) +
         ",\"demand_changes\":" + std::to_string(l.demand_changes) +
         ",\"customer_requirements\":" + std::to_string(l.customer_requirements) +
         ",\"others\":" + std::to_string(l.others) + ",\"prices\":" + std::to_string(l.prices) +
         ",\"price_min\":" + opt_amount(l.price_min) + ",\"price_avg\":" + opt_amount(l.price_avg) +
         ",\"price_max\":" + opt_amount(l.price_max) + "}";
}

}  // namespace

std::string market_report_json(const MarketReport& r) {
  std::string out = "{\"period\":" + json_string(r.period.label) + ",\"by\":\"" + market_grouping_name(r.by) +
                    "\",\"currency\":" + json_string(r.currency) + ",\"lines\":[";
  for (std::size_t i = 0; i < r.lines.size(); ++i) out += (i ? "," : "") + line_json(r.lines[i]);
  return out + "],\"total\":" + line_json(r.total) + "}";
}

}  // namespace salescore::cli
