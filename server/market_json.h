// The market report (MarketService::report) as JSON, the same for REST and the CLI:
// prices as decimal strings in the report's currency, null when there were none.
#pragma once

#include <string>

#include "salescore/engine.h"

namespace salescore::cli {

std::string market_report_json(const MarketReport& r);

}  // namespace salescore::cli
