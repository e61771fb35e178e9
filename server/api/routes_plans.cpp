// /api/v1/plans and /api/v1/receivables: what the head of department plans and what the
// clients still owe. A head sets the plans of their department; a manager reads their own
// plans and receivables (core's rules, as everywhere).
#include "api/api_router.h"
#include "salescore/kpi.h"
#include "salescore/payments.h"
#include "salescore/record_fields.h"

namespace salescore::cli {
namespace {

const Fields kSetPlan = pick(schema("Plan"), {"user_id", "month", "amount", "currency"}, {"user_id", "month", "amount"});

std::string plan_json(const SalesPlan& p) {
  FieldList f;
  f.number("id", p.id);
  f.number("user_id", p.user_id);
  f.string("month", p.month);
  f.amount("amount", p.amount.minor);
  f.string("currency", p.amount.currency);
  f.id("set_by", p.set_by);
  f.instant("set_at", p.set_at);
  if (p.replaced_at) f.instant("replaced_at", *p.replaced_at);
  else f.json("replaced_at", "null");
  return f.to_json();
}

// Every plan set for ?user= and ?month=, oldest first; the one in force has no replaced_at.
HttpReply plans(ApiCall& call) {
  QueryReader q(call);
  auto user = q.user("user");
  auto month = q.text("month");
  if (Status st = q.status(); !st.is_ok()) return error_reply(st);
  std::map<std::string, std::string> missing;
  if (!user) missing["user"] = "required";
  if (!month) missing["month"] = "required (YYYY-MM)";
  if (!missing.empty()) return error_reply(Status::invalid("?user= and ?month= are required", missing));
  auto history = call.engine.plans().history(call.actor, *user, *month);
  if (!history.ok()) return error_reply(history.status());
  std::vector<std::string> items;
  for (const SalesPlan& p : *history) items.push_back(plan_json(p));
  return page_reply(items, std::nullopt);
}

HttpReply set_plan(ApiCall& call) {
  auto body = body_of(call, kSetPlan);
  if (!body.ok()) return error_reply(body.status());
  auto user = body->id("user_id");
  const std::string month = body->required_text("month");
  auto amount = body->money("amount", "currency");
  if (!user) body->error("user_id", "required");
  if (!amount) body->error("amount", "required");
  if (Status st = body->status("plan"); !st.is_ok()) return error_reply(st);
  auto plan = call.engine.plans().set(call.actor, *user, month, *amount);
  if (!plan.ok()) return error_reply(plan.status());
  return json_reply(201, plan_json(*plan));
}

std::string receivable_json(const ReceivablesLine& r) {
  FieldList aging;
  // The buckets' names are the same on every surface (Python, the KPI breakdown).
  aging.amount("0-30", r.aging.days_0_30);
  aging.amount("31-60", r.aging.days_31_60);
  aging.amount("61-90", r.aging.days_61_90);
  aging.amount("90+", r.aging.days_over_90);
  FieldList f;
  f.number("key", r.key);
  f.string("name", r.name);
  f.string("currency", r.currency);
  f.amount("receivable", r.receivable_minor);
  f.amount("overdue", r.overdue_minor);
  f.json("aging", aging.to_json());
  return f.to_json();
}

// ДЗ and ПДЗ with aging at ?at= (default now), by client, manager or department.
HttpReply receivables(ApiCall& call) {
  QueryReader q(call);
  ReceivablesQuery query;
  query.by = q.choice<ReceivablesGrouping>("by", parse_receivables_grouping).value_or(ReceivablesGrouping::kClient);
  query.at = q.instant("at");
  query.client_id = q.id("client_id");
  query.owner_id = q.id("owner_id");
  query.head_id = q.id("head_id");
  if (Status st = q.status(); !st.is_ok()) return error_reply(st);
  auto lines = call.engine.payments().receivables(call.actor, query);
  if (!lines.ok()) return error_reply(lines.status());
  std::vector<std::string> items;
  for (const ReceivablesLine& r : *lines) items.push_back(receivable_json(r));
  return page_reply(items, std::nullopt);
}

}  // namespace

void add_plan_routes(std::vector<Route>& out) {
  out.push_back({.method = "GET", .pattern = "/api/v1/plans",
                 .summary = "The sales plans set for ?user= and ?month=, oldest first (the one in force last)",
                 .handler = plans,
                 .filters = {field::text("user", "A user's id or login").need().eg("\"petrova.ma\""),
                             field::text("month", "The month, YYYY-MM").need().eg("\"2026-12\"")},
                 .reply = Reply::page("Plan")});
  out.push_back({.method = "POST", .pattern = "/api/v1/plans",
                 .summary = "Set a manager's monthly plan (their head, a director or an admin)", .handler = set_plan,
                 .fields = kSetPlan, .success_status = 201, .reply = Reply::record("Plan")});
  out.push_back({.method = "GET", .pattern = "/api/v1/receivables",
                 .summary = "Receivables and overdue with aging (?by=client|manager|department, ?at=)",
                 .handler = receivables,
                 .filters = {field::choice("by", parse_receivables_grouping,
                                           "Lines per client (default), manager or department"),
                             "at", "client_id", "owner_id", "head_id"},
                 .reply = Reply::page("Receivable")});
}

}  // namespace salescore::cli
