#include "store/approval_rows.h"

#include "salescore/record_fields.h"
#include "store/json_columns.h"
#include "store/row_helpers.h"

namespace salescore::store {
namespace {
const std::vector<std::string> kCols = {
    "subject",     "subject_id", "client_id",     "deal_id",     "owner_id",   "requester_id", "on_behalf_of_id",
    "rules",       "summary",    "reason",        "discount_bp", "visit_at",   "approver_role", "approver_id",
    "status",      "due_at",     "escalations",   "task_id",     "decided_by", "decided_at",   "comment",
    "created_at",  "updated_at"};

std::vector<std::string> select_cols() {
  std::vector<std::string> cols = {"id"};
  cols.insert(cols.end(), kCols.begin(), kCols.end());
  return cols;
}

std::optional<std::int64_t> opt_ms(const std::optional<Instant>& t) {
  return t ? std::optional<std::int64_t>(t->ms) : std::nullopt;
}

void bind_approval(Statement& s, const Approval& a) {
  s.bind_all(std::string(approval_subject_name(a.subject)), a.subject_id, null_if_zero(a.client_id),
             null_if_zero(a.deal_id), null_if_zero(a.owner_id), null_if_zero(a.requester_id),
             null_if_zero(a.on_behalf_of_id), json_of(a.rules), a.summary, a.reason, a.discount_bp, opt_ms(a.visit_at),
             std::string(role_name(a.approver_role)), null_if_zero(a.approver_id),
             std::string(approval_status_name(a.status)), opt_ms(a.due_at), a.escalations, null_if_zero(a.task_id),
             null_if_zero(a.decided_by), opt_ms(a.decided_at), a.comment, a.created_at.ms, a.updated_at.ms);
}

std::optional<Instant> opt_instant(Statement& s, int col) {
  return s.column_is_null(col) ? std::nullopt : std::optional<Instant>(Instant{s.column_int(col)});
}

Approval map_approval(Statement& s) {
  Approval a;
  a.id = s.column_int(0);
  auto subject = parse_approval_subject(s.column_text(1));
  a.subject = subject.ok() ? *subject : ApprovalSubject::kProposal;
  a.subject_id = s.column_int(2);
  a.client_id = s.column_int(3);
  a.deal_id = s.column_int(4);
  a.owner_id = s.column_int(5);
  a.requester_id = s.column_int(6);
  a.on_behalf_of_id = s.column_int(7);
  a.rules = parse_string_list(s.column_text(8));
  a.summary = s.column_text(9);
  a.reason = s.column_text(10);
  a.discount_bp = s.column_int(11);
  a.visit_at = opt_instant(s, 12);
  auto role = parse_role(s.column_text(13));
  a.approver_role = role.ok() ? *role : Role::kHead;
  a.approver_id = s.column_int(14);
  auto status = parse_approval_status(s.column_text(15));
  a.status = status.ok() ? *status : ApprovalStatus::kPending;
  a.due_at = opt_instant(s, 16);
  a.escalations = static_cast<int>(s.column_int(17));
  a.task_id = s.column_int(18);
  a.decided_by = s.column_int(19);
  a.decided_at = opt_instant(s, 20);
  a.comment = s.column_text(21);
  a.created_at = Instant{s.column_int(22)};
  a.updated_at = Instant{s.column_int(23)};
  return a;
}
}  // namespace

Result<Id> insert_approval(Connection& c, const Approval& a) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().insert("approvals", kCols))));
  StatementUse use(*s);
  bind_approval(*s, a);
  SC_RETURN_IF_ERROR(s->run());
  return c.last_insert_id();
}

Status update_approval(Connection& c, const Approval& a) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().update("approvals", kCols, "id = ?"))));
  StatementUse use(*s);
  bind_approval(*s, a);
  s->bind_int(static_cast<int>(kCols.size()) + 1, a.id);
  return s->run();
}

Result<std::optional<Approval>> load_approval(Connection& c, Id id) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().select(select_cols(), "approvals", "id = ?"))));
  StatementUse use(*s);
  s->bind_all(id);
  return map_first<Approval>(*s, map_approval);
}

namespace {
Filter approval_filter(const ApprovalQuery& q, const std::string& visible) {
  Filter f;
  if (!visible.empty()) f.add(visible);
  f.eq_if("approver_id", q.approver_id);
  f.eq_if("requester_id", q.requester_id);
  f.eq_if("subject_id", q.subject_id);
  if (q.subject) f.add("subject = ?", {std::string(approval_subject_name(*q.subject))});
  if (q.status) f.add("status = ?", {std::string(approval_status_name(*q.status))});
  return f;
}
}  // namespace

Result<std::int64_t> count_approvals(Connection& c, const ApprovalQuery& q, const std::string& visible) {
  Filter f = approval_filter(q, visible);
  return scalar_int(c, "SELECT COUNT(*) FROM approvals" + (f.where().empty() ? "" : " WHERE " + f.where()), f);
}

Result<std::vector<Approval>> find_approvals(Connection& c, const ApprovalQuery& q, const std::string& visible) {
  Filter f = approval_filter(q, visible);
  f.after("id", q.page);
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().select(select_cols(), "approvals", f.where(), "id", true))));
  StatementUse use(*s);
  s->bind_int(f.bind(*s), limit_value(q.page));
  return map_rows<Approval>(*s, map_approval);
}

Result<std::vector<Approval>> approvals_past_due(Connection& c, Instant now) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         select_cols(), "approvals", "status = 'pending' AND due_at <= ?",
                                         "due_at, id"))));
  StatementUse use(*s);
  s->bind_all(now.ms);
  return map_rows<Approval>(*s, map_approval);
}

}  // namespace salescore::store
