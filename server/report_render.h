// Writes a sales report (KpiService::report) as text, JSON, CSV or one self-contained
// HTML page with inline SVG charts.
#pragma once

#include <ostream>
#include <string_view>

#include "report_locale.h"
#include "salescore/kpi.h"

namespace salescore::cli {

enum class ReportFormat { kText, kJson, kCsv, kHtml };
Result<ReportFormat> parse_report_format(std::string_view name);

void render_report(const Report& report, ReportFormat format, Lang lang, std::ostream& out);

}  // namespace salescore::cli
