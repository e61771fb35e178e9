// The text report: people as rows and figures as columns, in blocks that fit 100 cells.
#include <algorithm>
#include <ostream>

#include "report_columns.h"

namespace salescore::cli {
namespace {

// A column header on one or two lines: split at the space that makes the wider half
// narrowest, so long labels ("Просроченные задачи") do not widen their column.
std::vector<std::string> header_lines(const std::string& text, std::size_t values_width) {
  if (cells(text) <= values_width) return {text};
  std::vector<std::string> best = {text};
  std::size_t best_width = cells(text);
  for (std::size_t at = text.find(' '); at != std::string::npos; at = text.find(' ', at + 1)) {
    std::string a = text.substr(0, at), b = text.substr(at + 1);
    const std::size_t w = std::max(cells(a), cells(b));
    if (w < best_width) {
      best_width = w;
      best = {a, b};
    }
  }
  return best;
}

constexpr std::size_t kTextWidth = 100;  // fits a terminal and a plain-text e-mail
constexpr std::size_t kMaxNameWidth = 24;
constexpr std::size_t kGap = 2;

}  // namespace

// One row per person, one column per figure. The figures that do not fit 100 cells
// beside the names go to further blocks below, each repeating the names, so a report
// reads the same in a terminal, an e-mail and a printout in every language.
void render_report_text(const Report& r, Lang lang, std::ostream& out) {
  const auto cols = columns_of(r.kind);
  out << title_of(r, lang) << "\n"
      << label(lang, "period") << ": " << period_text(r.period, lang) << " (" << r.period.label << ")\n"
      << label(lang, "previous") << ": " << period_text(r.previous, lang) << "\n"
      << label(lang, "currency") << ": " << r.currency << "\n";
  std::vector<const ReportLine*> lines;
  for (const auto& l : r.lines) lines.push_back(&l);
  lines.push_back(&r.total);
  std::size_t name_width = cells(label(lang, "manager"));
  for (const auto* l : lines) name_width = std::max(name_width, cells(line_name(*l, lang)));
  name_width = std::min(name_width, kMaxNameWidth);

  struct Laid {
    const Column* column;
    std::vector<std::string> header;
    std::size_t width;
  };
  std::vector<Laid> laid;
  for (const auto& c : cols) {
    std::size_t values = 0;
    for (const auto* l : lines) values = std::max(values, cells(c.text(lang, *l)));
    Laid col{&c, header_lines(label(lang, c.key), values), values};
    for (const auto& h : col.header) col.width = std::max(col.width, cells(h));
    laid.push_back(std::move(col));
  }
  std::size_t from = 0;
  while (from < laid.size()) {
    std::size_t to = from, width = name_width;
    while (to < laid.size() && (to == from || width + kGap + laid[to].width <= kTextWidth)) width += kGap + laid[to++].width;
    std::size_t header_rows = 1;
    for (std::size_t i = from; i < to; ++i) header_rows = std::max(header_rows, laid[i].header.size());
    out << "\n";
    for (std::size_t row = 0; row < header_rows; ++row) {
      // Headers sit on the bottom rows, next to the first line of figures.
      std::string text = pad_right(row + 1 == header_rows ? label(lang, "manager") : "", name_width);
      for (std::size_t i = from; i < to; ++i) {
        const auto& h = laid[i].header;
        const std::size_t skip = header_rows - h.size();
        text += std::string(kGap, ' ') + pad_left(row < skip ? "" : h[row - skip], laid[i].width);
      }
      while (!text.empty() && text.back() == ' ') text.pop_back();
      out << text << "\n";
    }
    out << std::string(width, '-') << "\n";
    for (const auto* l : lines) {
      if (l == &r.total) out << std::string(width, '-') << "\n";
      out << pad_right(cut(line_name(*l, lang), name_width), name_width);
      for (std::size_t i = from; i < to; ++i) out << std::string(kGap, ' ') << pad_left(laid[i].column->text(lang, *l), laid[i].width);
      out << "\n";
    }
    from = to;
  }
}

}  // namespace salescore::cli
