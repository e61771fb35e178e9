// A KPI value as JSON, the same for `salescore kpi get --format json` and
// GET /api/v1/kpi.
#pragma once

#include <string>

#include "salescore/kpi.h"

namespace salescore::cli {

std::string kpi_value_json(const KpiValue& v);

}  // namespace salescore::cli
