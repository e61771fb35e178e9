// KPI values and tables as JSON, the same for `salescore kpi get --format json` and
// GET /api/v1/kpi.
#pragma once

#include <string>
#include <vector>

#include "salescore/kpi.h"

namespace salescore::cli {

std::string kpi_value_json(const KpiValue& v);

// {"period", "scope", "user_id", "kpis": the target's figures} and, when split,
// "by" and "rows": [{"user_id", "label", "period", "kpis"}].
std::string kpi_table_json(const Period& period, const KpiTarget& target, const KpiTable& table, KpiSplit split);

// "a,b,c" -> {"a", "b", "c"}; empty parts kept, so that core names them as unknown.
std::vector<std::string> kpi_id_list(const std::string& text);

}  // namespace salescore::cli
