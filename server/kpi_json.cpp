#include "kpi_json.h"

#include "salescore/record_fields.h"

namespace salescore::cli {

std::string kpi_value_json(const KpiValue& v) {
  std::string out = "{\"id\":" + json_string(v.id) + ",\"unit\":\"" + kpi_unit_name(v.unit) +
                    "\",\"value\":" + std::to_string(v.value) + ",\"defined\":" + (v.defined ? "true" : "false") +
                    ",\"breakdown\":{";
  for (std::size_t i = 0; i < v.breakdown.size(); ++i)
    out += (i ? "," : "") + json_string(v.breakdown[i].first) + ":" + std::to_string(v.breakdown[i].second);
  return out + "}}";
}

}  // namespace salescore::cli
