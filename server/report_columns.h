// What every form of the sales report shares: its columns (label key, locale text, raw
// number), the names its lines show, and the display width of text in terminal cells.
#pragma once

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "report_locale.h"
#include "salescore/kpi.h"

namespace salescore::cli {

// A column of the report: its label key, and the cell of a line as locale text and as
// a raw number (JSON, CSV).
struct Column {
  const char* key;
  std::function<std::string(Lang, const ReportLine&)> text;
  std::function<std::string(const ReportLine&)> raw;
};

// The columns of a report of that kind, in reading order.
std::vector<Column> columns_of(ReportKind kind);
std::string title_of(const Report& r, Lang lang);
// "05.10.2026" or "01.10.2026 – 31.10.2026" in the locale.
std::string period_text(const Period& p, Lang lang);
// The name a line shows: the person, or the localized "others" and "total".
std::string line_name(const ReportLine& l, Lang lang);

// Display width in terminal cells (CJK characters take two), and text cut or padded to one.
std::size_t cells(const std::string& s);
std::string cut(const std::string& s, std::size_t width);
std::string pad_left(const std::string& s, std::size_t width);
std::string pad_right(const std::string& s, std::size_t width);

// The text report: one row per person, figures as columns, at most 100 cells wide.
void render_report_text(const Report& r, Lang lang, std::ostream& out);

}  // namespace salescore::cli
