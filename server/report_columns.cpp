#include "report_columns.h"

#include <chrono>
#include <optional>

#include "salescore/record_fields.h"

namespace salescore::cli {
namespace {

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

}  // namespace

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
  }
  // Deals and leads in every report, the daily one too (docs/kpi.md promises them).
  c.push_back({"deals_won", [](Lang l, const ReportLine& r) { return format_count(l, r.deals_won); },
               [](const ReportLine& r) { return std::to_string(r.deals_won); }});
  c.push_back({"deals_lost", [](Lang l, const ReportLine& r) { return format_count(l, r.deals_lost); },
               [](const ReportLine& r) { return std::to_string(r.deals_lost); }});
  c.push_back({"leads", [](Lang l, const ReportLine& r) { return format_count(l, r.leads); },
               [](const ReportLine& r) { return std::to_string(r.leads); }});
  c.push_back({"leads_converted", [](Lang l, const ReportLine& r) { return format_count(l, r.leads_converted); },
               [](const ReportLine& r) { return std::to_string(r.leads_converted); }});
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

// The longest start that fits, with "…" when something was cut.
std::string cut(const std::string& s, std::size_t width) {
  if (cells(s) <= width) return s;
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    std::string next = out + s.substr(i, len);
    if (cells(next) + 1 > width) break;
    out = std::move(next);
    i += len;
  }
  return out + "\u2026";
}

std::string pad_left(const std::string& s, std::size_t width) {
  const std::size_t w = cells(s);
  return w >= width ? s : std::string(width - w, ' ') + s;
}
std::string pad_right(const std::string& s, std::size_t width) {
  const std::size_t w = cells(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

std::string line_name(const ReportLine& l, Lang lang) {
  if (l.role == "others" || l.role == "total") return label(lang, l.role);
  return l.name;
}

}  // namespace salescore::cli
