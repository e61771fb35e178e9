// Monthly sales plans per manager. Setting a plan again keeps the old one (replaced_at),
// so "what was the plan on the 10th" stays answerable.
#include "engine/field_errors.h"
#include "engine/record_writes.h"
#include "kpi/kpi_facts.h"
#include "rules/access.h"
#include "store/kpi_rows.h"
#include "store/user_rows.h"

namespace salescore {
using namespace detail;

namespace {

Result<std::int64_t> parse_month(const std::string& text) {
  auto p = parse_period(text);
  if (!p.ok() || p->kind != PeriodKind::kMonth)
    return Status::invalid("month: expected YYYY-MM, not '" + text + "'", {{"month", "expected YYYY-MM"}});
  return month_key(p->first_day);
}

SalesPlan plan_of(const store::PlanRow& r, const std::string& month) {
  return SalesPlan{r.id, r.user_id, month, r.amount, r.set_by, r.set_at, r.replaced_at};
}

// Plans are read by whoever sees the user: themself, their head, directors and admins.
Status check_may_read(EngineState& s, const Actor& actor, Id user_id) {
  SC_ASSIGN_OR_RETURN(Scope scope, scope_of(s, actor));
  if (user_id == actor.user_id || scope.owns(user_id)) return Status::ok();
  return deny(s, actor, "read the plan of", "user", user_id, "outside your scope");
}

}  // namespace

Result<SalesPlan> PlanService::set(const Actor& actor, Id user_id, const std::string& month, Money amount) {
  return write<SalesPlan>(*s_, [&]() -> Result<SalesPlan> {
    FieldErrors errors;
    auto month_key_or = parse_month(month);
    if (!month_key_or.ok()) errors.add("month", "expected YYYY-MM");
    if (amount.currency.empty()) amount.currency = s_->config.currency;
    if (amount.currency != s_->config.currency)
      errors.add("amount", "plans are in the company currency " + s_->config.currency);
    if (amount.minor < 0) errors.add("amount", "cannot be negative");
    SC_ASSIGN_OR_RETURN(auto user, store::load_user(*s_->conn, user_id));
    if (!user) errors.add("user_id", "user " + std::to_string(user_id) + " does not exist");
    SC_RETURN_IF_ERROR(errors.to_status("plan"));
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    // The head sets the plans of their department; directors and admins anyone's.
    const bool allowed = scope.everything || (scope.role == Role::kHead && user->head_id == actor.user_id);
    if (!allowed) return deny(*s_, actor, "set the plan of", "user", user_id, "plans are set by the head");
    store::PlanRow row;
    row.user_id = user_id;
    row.month = *month_key_or;
    row.amount = amount;
    row.set_by = actor.user_id;
    row.set_at = s_->now();
    SC_RETURN_IF_ERROR(store::replace_current_plan(*s_->conn, user_id, row.month, row.set_at));
    SC_ASSIGN_OR_RETURN(row.id, store::insert_plan(*s_->conn, row));
    SalesPlan plan = plan_of(row, month);
    SC_RETURN_IF_ERROR(append_event(*s_, actor, "plan.set", "user", user_id,
                                    "{\"month\":\"" + month + "\",\"amount_minor\":" + std::to_string(amount.minor) +
                                        ",\"currency\":\"" + amount.currency + "\",\"plan_id\":" +
                                        std::to_string(row.id) + "}"));
    return plan;
  });
}

Result<SalesPlan> PlanService::get(const Actor& actor, Id user_id, const std::string& month) {
  return read<SalesPlan>(*s_, [&]() -> Result<SalesPlan> {
    SC_ASSIGN_OR_RETURN(std::int64_t key, parse_month(month));
    SC_RETURN_IF_ERROR(check_may_read(*s_, actor, user_id));
    SC_ASSIGN_OR_RETURN(auto row, store::current_plan(*s_->conn, user_id, key));
    if (!row) return Status::not_found("no plan for user " + std::to_string(user_id) + " in " + month);
    return plan_of(*row, month);
  });
}

Result<std::vector<SalesPlan>> PlanService::history(const Actor& actor, Id user_id, const std::string& month) {
  return read<std::vector<SalesPlan>>(*s_, [&]() -> Result<std::vector<SalesPlan>> {
    SC_ASSIGN_OR_RETURN(std::int64_t key, parse_month(month));
    SC_RETURN_IF_ERROR(check_may_read(*s_, actor, user_id));
    SC_ASSIGN_OR_RETURN(auto rows, store::plan_history(*s_->conn, user_id, key));
    std::vector<SalesPlan> out;
    for (const auto& r : rows) out.push_back(plan_of(r, month));
    return out;
  });
}

}  // namespace salescore
