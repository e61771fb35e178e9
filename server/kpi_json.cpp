#include "kpi_json.h"

#include <algorithm>

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

namespace {

std::string values_json(const std::vector<KpiValue>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + kpi_value_json(values[i]);
  return out + "]";
}

}  // namespace

std::string kpi_table_json(const Period& period, const KpiTarget& target, const KpiTable& table, KpiSplit split) {
  std::string out = "{\"period\":" + json_string(period.label) + ",\"scope\":\"" + kpi_scope_name(target.scope) +
                    "\",\"user_id\":" + std::to_string(target.user_id) + ",\"kpis\":" + values_json(table.total);
  if (split == KpiSplit::kNone) return out + "}";
  out += ",\"by\":\"" + std::string(kpi_split_name(split)) + "\",\"rows\":[";
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    const KpiRow& row = table.rows[i];
    out += std::string(i ? "," : "") + "{\"user_id\":" + std::to_string(row.user_id) +
           ",\"label\":" + json_string(row.label) + ",\"period\":" + json_string(row.period.label) +
           ",\"kpis\":" + values_json(row.values) + "}";
  }
  return out + "]}";
}

std::vector<std::string> kpi_id_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from <= text.size()) {
    const std::size_t comma = std::min(text.find(',', from), text.size());
    out.push_back(text.substr(from, comma - from));
    from = comma + 1;
  }
  return out;
}

}  // namespace salescore::cli
