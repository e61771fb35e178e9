#include "report_locale.h"

#include <chrono>
#include <map>

namespace salescore::cli {
namespace {

using Labels = std::map<std::string, std::string, std::less<>>;

// One table per language; keys are the same in each.
const Labels& labels_of(Lang lang) {
  static const Labels ru = {
      {"title.daily", "Ежедневный отчёт о продажах"}, {"title.weekly", "Еженедельный отчёт о продажах"},
      {"title.monthly", "Ежемесячный отчёт о продажах"}, {"period", "Период"}, {"previous", "Предыдущий период"},
      {"generated", "Сформирован"}, {"currency", "Валюта"}, {"manager", "Менеджер"}, {"total", "Итого"}, {"others", "Прочие"},
      {"calls", "Звонки"}, {"meetings", "Встречи"}, {"emails", "Письма"}, {"orders", "Заказы"},
      {"revenue", "Выручка"}, {"payments", "Оплаты"}, {"plan", "План"}, {"plan_pct", "Выполнение плана"},
      {"deals_won", "Сделки выиграны"}, {"deals_lost", "Сделки проиграны"}, {"leads", "Заявки"},
      {"leads_converted", "Заявки в сделки"}, {"overdue_tasks", "Просроченные задачи"},
      {"receivables", "ДЗ"}, {"overdue_receivables", "ПДЗ"}, {"prev_revenue", "Выручка, пред. период"},
      {"prev_orders", "Заказы, пред. период"}, {"change", "Изменение"},
      {"chart.revenue", "Выручка и план по менеджерам"}, {"chart.activity", "Звонки и встречи"},
      {"legend.revenue", "выручка"}, {"legend.plan", "план"}, {"legend.calls", "звонки"},
      {"legend.meetings", "встречи"}};
  static const Labels en = {
      {"title.daily", "Daily sales report"}, {"title.weekly", "Weekly sales report"},
      {"title.monthly", "Monthly sales report"}, {"period", "Period"}, {"previous", "Previous period"},
      {"generated", "Generated"}, {"currency", "Currency"}, {"manager", "Manager"}, {"total", "Total"}, {"others", "Others"},
      {"calls", "Calls"}, {"meetings", "Meetings"}, {"emails", "E-mails"}, {"orders", "Orders"},
      {"revenue", "Revenue"}, {"payments", "Payments"}, {"plan", "Plan"}, {"plan_pct", "Plan done"},
      {"deals_won", "Deals won"}, {"deals_lost", "Deals lost"}, {"leads", "Leads"},
      {"leads_converted", "Leads converted"}, {"overdue_tasks", "Overdue tasks"}, {"receivables", "Receivables"},
      {"overdue_receivables", "Overdue receivables"}, {"prev_revenue", "Revenue, previous"},
      {"prev_orders", "Orders, previous"}, {"change", "Change"}, {"chart.revenue", "Revenue and plan by manager"},
      {"chart.activity", "Calls and meetings"}, {"legend.revenue", "revenue"}, {"legend.plan", "plan"},
      {"legend.calls", "calls"}, {"legend.meetings", "meetings"}};
  static const Labels zh = {
      {"title.daily", "销售日报"}, {"title.weekly", "销售周报"}, {"title.monthly", "销售月报"}, {"period", "期间"},
      {"previous", "上一期间"}, {"generated", "生成时间"}, {"currency", "币种"}, {"manager", "销售经理"},
      {"total", "合计"}, {"others", "其他"}, {"calls", "电话"}, {"meetings", "会面"}, {"emails", "邮件"}, {"orders", "订单"},
      {"revenue", "销售额"}, {"payments", "回款"}, {"plan", "计划"}, {"plan_pct", "计划完成率"},
      {"deals_won", "成交"}, {"deals_lost", "丢单"}, {"leads", "线索"}, {"leads_converted", "线索转化"},
      {"overdue_tasks", "逾期任务"}, {"receivables", "应收账款"}, {"overdue_receivables", "逾期应收"},
      {"prev_revenue", "上期销售额"}, {"prev_orders", "上期订单"}, {"change", "变化"},
      {"chart.revenue", "各经理销售额与计划"}, {"chart.activity", "电话与会面"}, {"legend.revenue", "销售额"},
      {"legend.plan", "计划"}, {"legend.calls", "电话"}, {"legend.meetings", "会面"}};
  static const Labels bg = {
      {"title.daily", "Дневен отчет за продажбите"}, {"title.weekly", "Седмичен отчет за продажбите"},
      {"title.monthly", "Месечен отчет за продажбите"}, {"period", "Период"}, {"previous", "Предходен период"},
      {"generated", "Изготвен"}, {"currency", "Валута"}, {"manager", "Мениджър"}, {"total", "Общо"}, {"others", "Други"},
      {"calls", "Обаждания"}, {"meetings", "Срещи"}, {"emails", "Имейли"}, {"orders", "Поръчки"},
      {"revenue", "Приходи"}, {"payments", "Плащания"}, {"plan", "План"}, {"plan_pct", "Изпълнение на плана"},
      {"deals_won", "Спечелени сделки"}, {"deals_lost", "Загубени сделки"}, {"leads", "Запитвания"},
      {"leads_converted", "Запитвания в сделки"}, {"overdue_tasks", "Просрочени задачи"},
      {"receivables", "Вземания"}, {"overdue_receivables", "Просрочени вземания"},
      {"prev_revenue", "Приходи, предх. период"}, {"prev_orders", "Поръчки, предх. период"},
      {"change", "Промяна"}, {"chart.revenue", "Приходи и план по мениджъри"},
      {"chart.activity", "Обаждания и срещи"}, {"legend.revenue", "приходи"}, {"legend.plan", "план"},
      {"legend.calls", "обаждания"}, {"legend.meetings", "срещи"}};
  switch (lang) {
    case Lang::kRu: return ru;
    case Lang::kEn: return en;
    case Lang::kZh: return zh;
    case Lang::kBg: return bg;
  }
  return en;
}

bool comma_locale(Lang lang) { return lang == Lang::kRu || lang == Lang::kBg; }

// Groups of three digits with the locale's separator.
std::string grouped(Lang lang, std::uint64_t n) {
  const std::string digits = std::to_string(n);
  const std::string sep = comma_locale(lang) ? "\u00a0" : ",";
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += sep;
    out += digits[i];
  }
  return out;
}

std::uint64_t magnitude(std::int64_t v) {
  return v < 0 ? static_cast<std::uint64_t>(-(v + 1)) + 1 : static_cast<std::uint64_t>(v);
}

}  // namespace

Result<Lang> parse_lang(std::string_view code) {
  if (code == "ru") return Lang::kRu;
  if (code == "en") return Lang::kEn;
  if (code == "zh") return Lang::kZh;
  if (code == "bg") return Lang::kBg;
  return Status::invalid("unknown language '" + std::string(code) + "' (expected ru, en, zh or bg)",
                         {{"lang", "expected ru, en, zh or bg"}});
}

const char* lang_code(Lang lang) {
  switch (lang) {
    case Lang::kRu: return "ru";
    case Lang::kEn: return "en";
    case Lang::kZh: return "zh";
    case Lang::kBg: return "bg";
  }
  return "en";
}

std::string label(Lang lang, std::string_view key) {
  const Labels& l = labels_of(lang);
  auto it = l.find(key);
  return it == l.end() ? std::string(key) : it->second;
}

std::string format_money(Lang lang, std::int64_t minor) {
  const std::uint64_t m = magnitude(minor);
  const std::uint64_t cents = m % 100;
  return (minor < 0 ? "-" : "") + grouped(lang, m / 100) + (comma_locale(lang) ? "," : ".") + (cents < 10 ? "0" : "") +
         std::to_string(cents);
}

std::string format_count(Lang lang, std::int64_t n) { return (n < 0 ? "-" : "") + grouped(lang, magnitude(n)); }

std::string format_percent(Lang lang, std::optional<std::int64_t> bp) {
  if (!bp) return "—";
  // Basis points to tenths of a percent, rounded half away from zero.
  const std::int64_t tenths = (*bp >= 0 ? *bp + 5 : *bp - 5) / 10;
  const std::uint64_t m = magnitude(tenths);
  std::string out = (tenths < 0 ? "-" : "") + grouped(lang, m / 10) + (comma_locale(lang) ? "," : ".") +
                    std::to_string(m % 10);
  return out + (comma_locale(lang) ? "\u00a0%" : "%");
}

std::string format_date(Lang lang, std::int64_t day) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{days{day}}};
  const int y = static_cast<int>(ymd.year());
  const unsigned m = static_cast<unsigned>(ymd.month()), d = static_cast<unsigned>(ymd.day());
  auto two = [](unsigned v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  switch (lang) {
    case Lang::kRu: return two(d) + "." + two(m) + "." + std::to_string(y);
    case Lang::kBg: return two(d) + "." + two(m) + "." + std::to_string(y) + "\u00a0г.";
    case Lang::kZh: return std::to_string(y) + "年" + std::to_string(m) + "月" + std::to_string(d) + "日";
    case Lang::kEn: break;
  }
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return std::to_string(d) + " " + kMonths[m - 1] + " " + std::to_string(y);
}

}  // namespace salescore::cli
