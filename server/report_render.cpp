#include "report_render.h"

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "record_writers.h"
#include "report_columns.h"
#include "salescore/record_fields.h"

namespace salescore::cli {
namespace {

void json_line(std::ostream& out, const ReportLine& l) {
  auto opt = [](const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : std::string("null"); };
  out << "{\"user_id\":" << l.user_id << ",\"name\":" << json_string(l.name) << ",\"role\":" << json_string(l.role)
      << ",\"calls\":" << l.calls
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
  for (const auto& l : r.lines) row(line_name(l, lang), l);
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
  for (const auto& l : r.lines) row(line_name(l, lang), l, false);
  row(label(lang, "total"), r.total, true);
  out << "</tbody></table>\n";
  std::vector<ReportLine> shown = r.lines;  // the "others" line by its localized name
  for (auto& l : shown) l.name = line_name(l, lang);
  svg_bars(out, label(lang, "chart.revenue"), shown,
           {{label(lang, "legend.revenue"), "#3b6fb6", [](const ReportLine& l) { return l.revenue; },
             [lang](const ReportLine& l) { return format_money(lang, l.revenue); }},
            {label(lang, "legend.plan"), "#b9c7dd", [](const ReportLine& l) { return l.plan; },
             [lang](const ReportLine& l) { return format_money(lang, l.plan); }}});
  svg_bars(out, label(lang, "chart.activity"), shown,
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
    case ReportFormat::kText: return render_report_text(report, lang, out);
    case ReportFormat::kJson: return render_json(report, lang, out);
    case ReportFormat::kCsv: return render_csv(report, lang, out);
    case ReportFormat::kHtml: return render_html(report, lang, out);
  }
}

}  // namespace salescore::cli
