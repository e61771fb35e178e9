// The demo company's year of work, lived through month by month on a manual clock, so
// that every KPI of docs/kpi.md has figures in every month: leads through every channel
// with first responses and some SLA breaches, deals moving through the stages over
// weeks to won or lost (with reasons), proposals and approvals, contracts, claims with
// causes, absences with deputies, a route rep's visits with stock and orders.
//
// Written after the company itself (demo_company.h), through the engine's services with
// the clock set to each moment, so the rules and the event log apply as they would
// have. Running it again changes nothing: a database that has the demo's leads has
// its year already.
#pragma once

#include <string>
#include <vector>

#include "demo_company.h"

namespace salescore::cli {

Result<std::vector<DemoTally>> write_demo_history(const std::string& url, const Config& config,
                                                  const DemoOptions& options);

}  // namespace salescore::cli
