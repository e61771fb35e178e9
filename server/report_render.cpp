#include "report_render.h"

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "record_writers.h"
#include "salescore/record_fields.h"

namespace salescore::cli {
namespace {

// A column of the report: its label key, and the cell of a line as locale text and as
// a raw number (JSON, CSV).
struct Column {
  const char* key;
  std::function<std::string(Lang, const ReportLine&)> text;
  std::function<std::string(const ReportLine&)> raw;
};

std::string money_raw(std::int64_t minor) { return format_amount(minor); }
// Basis points as a plain percent with two decimals ("85.12", "-3.05").
std::string bp_raw(const std::optional<std::int64_t>& bp) {
  if (!bp) return "";
  const std::int64_t m = *bp < 0 ? -*bp : *bp;
  return (*bp < 0 ? "-" : "") + std::to_string(m / 100) + "." + (m % 100 < 10 ? "0" : "") + std::to_string(m % 100);
}
// Change against the previous period in basis points; none when there was nothing before.
std::optional<std::int64_t> change_bp(std::int64_t now, std::int64_t before) {
  if (before == 0) return std::nullopt;
  return (now - before) * 10'000 / before;
}

std::vector<Column> columns_of(ReportKind kind) {
  std::vector<Column> c = {
      {"calls", [](Lang l, const ReportLine& r) { return format_count(l, r.calls); },
       [](const ReportLine& r) { return std::to_string(r.calls); }},
      {"meetings", [](Lang l, const ReportLine& r) { return format_count(l, r.meetings); },
       [](const ReportLine& r) { return std::to_string(r.meetings); }},
      {"emails", [](Lang l, const ReportLine& r) { return format_count(l, r.emails); },
       [](const ReportLine& r) { return std::to_string(r.emails); }},
      {"orders", [](Lang l, const ReportLine& r) { return format_count(l, r.orders); },
       [](const ReportLine& r) { return std::to_string(r.orders); }},
      {"revenue", [](Lang l, const ReportLine& r) { return format_money(l, r.revenue); },
       [](const ReportLine& r) { return money_raw(r.revenue); }},
      {"payments", [](Lang l, const ReportLine& r) { return format_money(l, r.payments); },
       [](const ReportLine& r) { return money_raw(r.payments); }},
      {"plan", [](Lang l, const ReportLine& r) { return format_money(l, r.plan); },
       [](const ReportLine& r) { return money_raw(r.plan); }},
      {"plan_pct", [](Lang l, const ReportLine& r) { return format_percent(l, r.plan_bp); },
       [](const ReportLine& r) { return bp_raw(r.plan_bp); }},
  };
  if (kind != ReportKind::kDaily) {
    c.push_back({"prev_revenue", [](Lang l, const ReportLine& r) { return format_money(l, r.prev_revenue); },
                 [](const ReportLine& r) { return money_raw(r.prev_revenue); }});
    c.push_back({"change",
                 [](Lang l, const ReportLine& r) { return format_percent(l, change_bp(r.revenue, r.prev_revenue)); },
                 [](const ReportLine& r) { return bp_raw(change_bp(r.revenue, r.prev_revenue)); }});
    c.push_back({"prev_orders", [](Lang l, const ReportLine& r) { return format_count(l, r.prev_orders); },
                 [](const ReportLine& r) { return std::to_string(r.prev_orders); }});
    c.push_back({"deals_won", [](Lang l, const ReportLine& r) { return format_count(l, r.deals_won); },
                 [](const ReportLine& r) { return std::to_string(r.deals_won); }});
    c.push_back({"deals_lost", [](Lang l, const ReportLine& r) { return format_count(l, r.deals_lost); },
                 [](const ReportLine& r) { return std::to_string(r.deals_lost); }});
    c.push_back({"leads", [](Lang l, const ReportLine& r) { return format_count(l, r.leads); },
                 [](const ReportLine& r) { return std::to_string(r.leads); }});
    c.push_back({"leads_converted", [](Lang l, const ReportLine& r) { return format_count(l, r.leads_converted); },
                 [](const ReportLine& r) { return std::to_string(r.leads_converted); }});
  }
  c.push_back({"overdue_tasks", [](Lang l, const ReportLine& r) { return format_count(l, r.overdue_tasks); },
               [](const ReportLine& r) { return std::to_string(r.overdue_tasks); }});
  c.push_back({"receivables", [](Lang l, const ReportLine& r) { return format_money(l, r.receivables); },
               [](const ReportLine& r) { return money_raw(r.receivables); }});
  c.push_back({"overdue_receivables",
               [](Lang l, const ReportLine& r) { return format_money(l, r.overdue_receivables); },
               [](const ReportLine& r) { return money_raw(r.overdue_receivables); }});
  return c;
}

std::string title_of(const Report& r, Lang lang) { return label(lang, std::string("title.") + report_kind_name(r.kind)); }

std::string period_text(const Period& p, Lang lang) {
  if (p.first_day == p.last_day) return format_date(lang, p.first_day);
  return format_date(lang, p.first_day) + " – " + format_date(lang, p.last_day);
}

// Display width in terminal cells: CJK characters take two.
std::size_t cells(const std::string& s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    n += (len == 3 && c >= 0xE3) ? 2 : 1;
    i += len;
  }
  return n;
}

std::string pad_left(const std::string& s, std::size_t width) {
  const std::size_t w = cells(s);
  return w >= width ? s : std::string(width - w, ' ') + s;
}
std::string pad_right(const std::string& s, std::size_t width) {
  const std::size_t w = cells(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

void render_text(const Report& r, Lang lang, std::ostream& out) {
  const auto cols = columns_of(r.kind);
  out << title_of(r, lang) << "\n"
      << label(lang, "period") << ": " << period_text(r.period, lang) << " (" << r.period.label << ")\n"
      << label(lang, "previous") << ": " << period_text(r.previous, lang) << "\n"
      << label(lang, "currency") << ": " << r.currency << "\n\n";
  // A table turned on its side reads better in a terminal with many columns: one row per
  // figure, one column per manager.
  std::vector<const ReportLine*> lines;
  for (const auto& l : r.lines) lines.push_back(&l);
  lines.push_back(&r.total);
  std::size_t label_width = cells(label(lang, "manager"));
  for (const auto& c : cols) label_width = std::max(label_width, cells(label(lang, c.key)));
  std::vector<std::size_t> widths;
  for (const auto* l : lines) {
    std::size_t w = cells(l == &r.total ? label(lang, "total") : l->name);
    for (const auto& c : cols) w = std::max(w, cells(c.text(lang, *l)));
    widths.push_back(w);
  }
  out << pad_right(label(lang, "manager"), label_width);
  for (std::size_t i = 0; i < lines.size(); ++i)
    out << "  " << pad_left(lines[i] == &r.total ? label(lang, "total") : lines[i]->name, widths[i]);
  out << "\n";
  for (const auto& c : cols) {
    out << pad_right(label(lang, c.key), label_width);
    for (std::size_t i = 0; i < lines.size(); ++i) out << "  " << pad_left(c.text(lang, *lines[i]), widths[i]);
    out << "\n";
  }
}

void json_line(std::ostream& out, const ReportLine& l) {
  auto opt = [](const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : std::string("null"); };
  out << "{\"user_id\":" << l.user_id << ",\"name\":" << json_string(l.name) << ",\"calls\":" << l.calls
      << ",\"meetings\":" << l.meetings << ",\"emails\":" << l.emails << ",\"orders\":" << l.orders
      << ",\"revenue_minor\":" << l.revenue << ",\"payments_minor\":" << l.payments << ",\"plan_minor\":" << l.plan
      << ",\"plan_bp\":" << opt(l.plan_bp) << ",\"deals_won\":" << l.deals_won << ",\"deals_lost\":" << l.deals_lost
      << ",\"leads\":" << l.leads << ",\"leads_converted\":" << l.leads_converted
      << ",\"overdue_tasks\":" << l.overdue_tasks << ",\"receivables_minor\":" << l.receivables
      << ",\"overdue_receivables_minor\":" << l.overdue_receivables << ",\"previous\":{\"orders\":" << l.prev_orders
      << ",\"revenue_minor\":" << l.prev_revenue << ",\"calls\":" << l.prev_calls
      << ",\"meetings\":" << l.prev_meetings << "}}";
}

void render_json(const Report& r, Lang lang, std::ostream& out) {
  out << "{\"report\":\"" << report_kind_name(r.kind) << "\",\"lang\":\"" << lang_code(lang)
      << "\",\"title\":" << json_string(title_of(r, lang)) << ",\"period\":{\"label\":" << json_string(r.period.label)
      << ",\"first\":\"" << format_day(r.period.first_day) << "\",\"last\":\"" << format_day(r.period.last_day)
      << "\"},\"previous\":{\"label\":" << json_string(r.previous.label) << ",\"first\":\""
      << format_day(r.previous.first_day) << "\",\"last\":\"" << format_day(r.previous.last_day)
      << "\"},\"currency\":\"" << r.currency << "\",\"generated_at\":\"" << format_iso8601(r.generated_at)
      << "\",\"lines\":[";
  for (std::size_t i = 0; i < r.lines.size(); ++i) {
    if (i) out << ",";
    json_line(out, r.lines[i]);
  }
  out << "],\"total\":";
  json_line(out, r.total);
  out << "}\n";
}

void render_csv(const Report& r, Lang lang, std::ostream& out) {
  const auto cols = columns_of(r.kind);
  out << csv_field(label(lang, "manager"));
  for (const auto& c : cols) out << "," << csv_field(label(lang, c.key));
  out << "\r\n";
  auto row = [&](const std::string& name, const ReportLine& l) {
    out << csv_field(name);
    for (const auto& c : cols) out << "," << csv_field(c.raw(l));
    out << "\r\n";
  };
  for (const auto& l : r.lines) row(l.name, l);
  row(label(lang, "total"), r.total);
}

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// Horizontal bars, one group per manager: each series a bar scaled to the largest value.
struct Series {
  std::string name;
  std::string color;
  std::function<std::int64_t(const ReportLine&)> value;
  std::function<std::string(const ReportLine&)> text;
};

void svg_bars(std::ostream& out, const std::string& title, const std::vector<ReportLine>& lines,
              const std::vector<Series>& series) {
  const int name_w = 170, bar_w = 420, bar_h = 14, gap = 10, value_w = 130;
  const int group_h = static_cast<int>(series.size()) * (bar_h + 2) + gap;
  const int height = 30 + static_cast<int>(lines.size()) * group_h + 24;
  std::int64_t max = 1;
  for (const auto& l : lines)
    for (const auto& s : series) max = std::max(max, s.value(l));
  out << "<figure><figcaption>" << html_escape(title) << "</figcaption>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"100%\" viewBox=\"0 0 "
      << name_w + bar_w + value_w << " " << height << "\">\n";
  int y = 10;
  for (const auto& l : lines) {
    out << "<text x=\"0\" y=\"" << y + bar_h << "\" class=\"n\">" << html_escape(l.name) << "</text>\n";
    for (const auto& s : series) {
      const int w = static_cast<int>(s.value(l) * bar_w / max);
      out << "<rect x=\"" << name_w << "\" y=\"" << y << "\" width=\"" << std::max(w, 1) << "\" height=\"" << bar_h
          << "\" fill=\"" << s.color << "\"><title>" << html_escape(s.name + ": " + s.text(l)) << "</title></rect>\n"
          << "<text x=\"" << name_w + std::max(w, 1) + 4 << "\" y=\"" << y + bar_h - 3 << "\" class=\"v\">"
          << html_escape(s.text(l)) << "</text>\n";
      y += bar_h + 2;
    }
    y += gap;
  }
  int x = name_w;
  for (const auto& s : series) {
    out << "<rect x=\"" << x << "\" y=\"" << y + 4 << "\" width=\"12\" height=\"12\" fill=\"" << s.color
        << "\"/><text x=\"" << x + 16 << "\" y=\"" << y + 14 << "\" class=\"v\">" << html_escape(s.name)
        << "</text>\n";
    x += 120;
  }
  out << "</svg></figure>\n";
}

void render_html(const Report& r, Lang lang, std::ostream& out) {
  const auto cols = columns_of(r.kind);
  out << "<!DOCTYPE html>\n<html lang=\"" << lang_code(lang) << "\"><head><meta charset=\"utf-8\">\n<title>"
      << html_escape(title_of(r, lang) + " " + r.period.label) << "</title>\n<style>\n"
      << "body{font-family:'DejaVu Sans',Arial,'Noto Sans CJK SC',sans-serif;margin:24px;color:#222;font-size:12px}\n"
      << "h1{font-size:18px;margin:0 0 4px}p.meta{margin:0 0 12px;color:#555}\n"
      << "table{border-collapse:collapse;width:100%;margin:12px 0}th,td{border:1px solid #bbb;padding:3px 6px}\n"
      << "th{background:#eef;text-align:left}td.num{text-align:right;white-space:nowrap}tr.total td{font-weight:bold;"
         "background:#f4f4f4}\n"
      << "figure{margin:16px 0;page-break-inside:avoid}figcaption{font-weight:bold;margin-bottom:4px}\n"
      << "svg text{font-size:11px;fill:#222}svg text.v{fill:#444}\n"
      << "@page{size:A4 landscape;margin:12mm}@media print{body{margin:0}thead{display:table-header-group}"
         "tr{page-break-inside:avoid}}\n"
      << "</style></head><body>\n<h1>" << html_escape(title_of(r, lang)) << "</h1>\n<p class=\"meta\">"
      << html_escape(label(lang, "period")) << ": " << html_escape(period_text(r.period, lang)) << " ("
      << html_escape(r.period.label) << ") · " << html_escape(label(lang, "previous")) << ": "
      << html_escape(period_text(r.previous, lang)) << " · " << html_escape(label(lang, "currency")) << ": "
      << r.currency << " · " << html_escape(label(lang, "generated")) << ": " << format_iso8601(r.generated_at)
      << "</p>\n<table><thead><tr><th>" << html_escape(label(lang, "manager")) << "</th>";
  for (const auto& c : cols) out << "<th>" << html_escape(label(lang, c.key)) << "</th>";
  out << "</tr></thead><tbody>\n";
  auto row = [&](const std::string& name, const ReportLine& l, bool total) {
    out << (total ? "<tr class=\"total\">" : "<tr>") << "<td>" << html_escape(name) << "</td>";
    for (const auto& c : cols) out << "<td class=\"num\">" << html_escape(c.text(lang, l)) << "</td>";
    out << "</tr>\n";
  };
  for (const auto& l : r.lines) row(l.name, l, false);
  row(label(lang, "total"), r.total, true);
  out << "</tbody></table>\n";
  svg_bars(out, label(lang, "chart.revenue"), r.lines,
           {{label(lang, "legend.revenue"), "#3b6fb6", [](const ReportLine& l) { return l.revenue; },
             [lang](const ReportLine& l) { return format_money(lang, l.revenue); }},
            {label(lang, "legend.plan"), "#b9c7dd", [](const ReportLine& l) { return l.plan; },
             [lang](const ReportLine& l) { return format_money(lang, l.plan); }}});
  svg_bars(out, label(lang, "chart.activity"), r.lines,
           {{label(lang, "legend.calls"), "#4f9a5c", [](const ReportLine& l) { return l.calls; },
             [lang](const ReportLine& l) { return format_count(lang, l.calls); }},
            {label(lang, "legend.meetings"), "#d08a2e", [](const ReportLine& l) { return l.meetings; },
             [lang](const ReportLine& l) { return format_count(lang, l.meetings); }}});
  out << "</body></html>\n";
}

}  // namespace

Result<ReportFormat> parse_report_format(std::string_view name) {
  if (name == "text") return ReportFormat::kText;
  if (name == "json") return ReportFormat::kJson;
  if (name == "csv") return ReportFormat::kCsv;
  if (name == "html") return ReportFormat::kHtml;
  return Status::invalid("unknown format '" + std::string(name) + "' (expected text, json, csv or html)",
                         {{"format", "expected text, json, csv or html"}});
}

void render_report(const Report& report, ReportFormat format, Lang lang, std::ostream& out) {
  switch (format) {
    case ReportFormat::kText: return render_text(report, lang, out);
    case ReportFormat::kJson: return render_json(report, lang, out);
    case ReportFormat::kCsv: return render_csv(report, lang, out);
    case ReportFormat::kHtml: return render_html(report, lang, out);
  }
}

}  // namespace salescore::cli
