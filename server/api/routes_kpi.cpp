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
  std::vector<KpiValue> values;
  if (auto id = q.text("id")) {
    auto one = call.engine.kpi().get(call.actor, *id, *target, *period);
    if (!one.ok()) return error_reply(one.status());
    values.push_back(std::move(*one));
  } else if (auto ids = q.text("ids")) {
    // Only the figures a screen shows: the point-in-time ones (receivables, retention,
    // distribution) cost far more than the rest, and get_all computes every one.
    std::size_t from = 0;
    while (from <= ids->size()) {
      const std::size_t comma = std::min(ids->find(',', from), ids->size());
      auto one = call.engine.kpi().get(call.actor, ids->substr(from, comma - from), *target, *period);
      if (!one.ok()) return error_reply(one.status());
      values.push_back(std::move(*one));
      from = comma + 1;
    }
  } else {
    auto all = call.engine.kpi().get_all(call.actor, *target, *period);
    if (!all.ok()) return error_reply(all.status());
    values = std::move(*all);
  }
  std::string out = "{\"period\":" + json_string(period->label) + ",\"scope\":\"" + kpi_scope_name(target->scope) +
                    "\",\"user_id\":" + std::to_string(target->user_id) + ",\"kpis\":[";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + kpi_value_json(values[i]);
  return json_reply(200, out + "]}");
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
  auto built = call.engine.kpi().report(call.actor, *kind, *date, *target);
  if (!built.ok()) return error_reply(built.status());
  std::ostringstream json;
  render_report(*built, ReportFormat::kJson, Lang::kEn, json);
  return json_reply(200, json.str());
}

}  // namespace

void add_kpi_routes(std::vector<Route>& out) {
  out.push_back({.method = "GET", .pattern = "/api/v1/kpi",
                 .summary = "KPIs of docs/kpi.md for ?period= (one with ?id=, some with ?ids=a,b), of ?user=, ?team= or the company",
                 .handler = kpi, .filters = {"period", "id", "ids", "user", "team"}});
  out.push_back({.method = "GET", .pattern = "/api/v1/reports",
                 .summary = "The daily, weekly or monthly sales report (?kind=, ?date=, ?user=, ?team=)",
                 .handler = report, .filters = {"kind", "date", "user", "team"}});
}

}  // namespace salescore::cli
