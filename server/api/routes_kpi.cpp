// /api/v1/kpi and /api/v1/reports: the figures of docs/kpi.md for the token's user, their
// department or the company, with core's access rules (a manager reads their own).
// Periods and report dates are the strings the CLI and Python take: 2026-10, 2026-W44,
// 2026-10-05, 2026-Q4, 2026-10-01..2026-10-15.
#include <sstream>

#include "api/api_router.h"
#include "kpi_json.h"
#include "report_render.h"
#include "salescore/record_fields.h"

namespace salescore::cli {
namespace {

// ?user=ID or ?team=HEAD_ID (not both); the company otherwise.
Result<KpiTarget> target_of(QueryReader& q) {
  auto user = q.user("user");
  auto team = q.user("team");
  SC_RETURN_IF_ERROR(q.status());
  if (user && team)
    return Status::invalid("give ?user= or ?team=, not both", {{"team", "not with user"}});
  if (user) return KpiTarget{KpiScope::kUser, *user};
  if (team) return KpiTarget{KpiScope::kTeam, *team};
  return KpiTarget{KpiScope::kCompany, 0};
}

HttpReply kpi(ApiCall& call) {
  QueryReader q(call);
  auto period_text = q.text("period");
  if (!period_text)
    return error_reply(Status::invalid("?period= is required (2026-10, 2026-W44, 2026-10-05, 2026-Q4 or A..B)",
                                       {{"period", "required"}}));
  auto period = parse_period(*period_text);
  if (!period.ok()) return error_reply(Status::invalid(period.status().message(), {{"period", period.status().message()}}));
  auto target = target_of(q);
  if (!target.ok()) return error_reply(target.status());
  // ?id= one KPI, ?ids=a,b some (a screen asks only for what it shows: the point-in-time
  // KPIs cost far more than the rest), neither every one; ?by=user|month adds the rows.
  std::vector<std::string> ids;
  if (auto id = q.text("id")) ids.push_back(*id);
  if (auto list = q.text("ids")) {
    if (!ids.empty()) return error_reply(Status::invalid("give ?id= or ?ids=, not both", {{"ids", "not with id"}}));
    ids = kpi_id_list(*list);
  }
  const KpiSplit split = q.choice("by", parse_kpi_split).value_or(KpiSplit::kNone);
  if (Status st = q.status(); !st.is_ok()) return error_reply(st);
  auto table = call.engine.kpi().table(call.actor, ids, *target, *period, split);
  if (!table.ok()) return error_reply(table.status());
  return json_reply(200, kpi_table_json(*period, *target, *table, split));
}

HttpReply report(ApiCall& call) {
  QueryReader q(call);
  auto kind = q.choice<ReportKind>("kind", parse_report_kind);
  auto date_text = q.text("date");
  auto target = target_of(q);
  if (!target.ok()) return error_reply(target.status());
  if (!kind) return error_reply(Status::invalid("?kind= is daily, weekly or monthly", {{"kind", "required"}}));
  if (!date_text) return error_reply(Status::invalid("?date=YYYY-MM-DD is required", {{"date", "required"}}));
  auto date = parse_day(*date_text);
  if (!date.ok()) return error_reply(Status::invalid("?date= expects YYYY-MM-DD", {{"date", "expected YYYY-MM-DD"}}));
  // The title's language, as in the CLI: ?lang= or else [company] language.
  auto lang = q.choice("lang", parse_lang);
  if (Status st = q.status(); !st.is_ok()) return error_reply(st);
  if (!lang) {
    auto company = parse_lang(call.engine.config().language);
    if (!company.ok()) return error_reply(company.status());
    lang = *company;
  }
  auto built = call.engine.kpi().report(call.actor, *kind, *date, *target);
  if (!built.ok()) return error_reply(built.status());
  std::ostringstream json;
  render_report(*built, ReportFormat::kJson, *lang, json);
  return json_reply(200, json.str());
}

}  // namespace

void add_kpi_routes(std::vector<Route>& out) {
  out.push_back({.method = "GET", .pattern = "/api/v1/kpi",
                 .summary = "KPIs of docs/kpi.md for ?period= (one with ?id=, some with ?ids=a,b), of ?user=, ?team= or the "
                            "company; ?by=user or ?by=month adds one row per manager or per month",
                 .handler = kpi,
                 .filters = {field::text("period", "2026-10, 2026-W44, 2026-10-05, 2026-Q4 or A..B")
                                 .need()
                                 .eg("\"2026-11\""),
                             field::text("id", "One KPI of docs/kpi.md").eg("\"orders.revenue\""),
                             field::text("ids", "Some KPIs, comma-separated").eg("\"orders.revenue,calls.count\""),
                             "user", "team",
                             field::choice("by", parse_kpi_split, "A row per manager (user) or per month")},
                 .reply = Reply::record("Kpis")});
  out.push_back({.method = "GET", .pattern = "/api/v1/reports",
                 .summary = "The daily, weekly or monthly sales report (?kind=, ?date=, ?user=, ?team=, ?lang=)",
                 .handler = report,
                 .filters = {field::choice("kind", parse_report_kind, "Which report").need(),
                             field::date("date", "The day the report is for (YYYY-MM-DD)").need(), "user", "team",
                             field::choice("lang", parse_lang, "The language; absent: [company] language")},
                 .reply = Reply::record("Report")});
}

}  // namespace salescore::cli
