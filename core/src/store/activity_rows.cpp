#include "store/activity_rows.h"
#include "store/column_rows.h"

#include "store/row_helpers.h"

namespace salescore::store {
namespace {
const std::vector<std::string> kInteractionCols = {"kind",    "direction",  "occurred_at", "duration_s", "user_id",
                                                   "client_id", "contact_id", "subject",    "body",       "source",
                                                   "external_id", "created_at",
                                                   // migration 20: what a PBX says of a call
                                                   "call_caller", "call_callee", "call_manager", "call_ring_s",
                                                   "call_disposition", "call_hangup_cause", "call_recording",
                                                   "call_pbx_id", "call_rang_not_answered"};

std::vector<std::string> with_id(const std::vector<std::string>& cols) {
  std::vector<std::string> out = {"id"};
  out.insert(out.end(), cols.begin(), cols.end());
  return out;
}

void bind_interaction(Statement& s, const Interaction& i) {
  s.bind_all(std::string(interaction_kind_name(i.kind)), std::string(direction_name(i.direction)), i.occurred_at.ms,
             i.duration_s, null_if_zero(i.user_id), null_if_zero(i.client_id), null_if_zero(i.contact_id), i.subject,
             i.body, null_if_empty(i.source), null_if_empty(i.external_id), i.created_at.ms, i.call.caller,
             i.call.callee, i.call.manager, i.call.ring_s, i.call.disposition, i.call.hangup_cause, i.call.recording,
             i.call.pbx_call_id, i.call.rang_not_answered);
}

Interaction map_interaction(Statement& s) {
  Interaction i;
  i.id = s.column_int(0);
  auto kind = parse_interaction_kind(s.column_text(1));
  i.kind = kind.ok() ? *kind : InteractionKind::kNote;
  auto dir = parse_direction(s.column_text(2));
  i.direction = dir.ok() ? *dir : Direction::kNone;
  i.occurred_at = Instant{s.column_int(3)};
  i.duration_s = s.column_int(4);
  i.user_id = s.column_int(5);
  i.client_id = s.column_int(6);
  i.contact_id = s.column_int(7);
  i.subject = s.column_text(8);
  i.body = s.column_text(9);
  i.source = s.column_text(10);
  i.external_id = s.column_text(11);
  i.created_at = Instant{s.column_int(12)};
  i.call.caller = s.column_text(13);
  i.call.callee = s.column_text(14);
  i.call.manager = s.column_text(15);
  i.call.ring_s = s.column_int(16);
  i.call.disposition = s.column_text(17);
  i.call.hangup_cause = s.column_text(18);
  i.call.recording = s.column_text(19);
  i.call.pbx_call_id = s.column_text(20);
  i.call.rang_not_answered = s.column_text(21);
  return i;
}

const std::vector<std::string> kTaskCols = {"title",  "due_at",     "assignee_id", "client_id", "deal_id", "order_id",
                                            "status", "notes",      "created_at",  "updated_at", "done_at", "lead_id"};

std::optional<std::int64_t> opt_ms(const std::optional<Instant>& t) {
  return t ? std::optional<std::int64_t>(t->ms) : std::nullopt;
}

void bind_task(Statement& s, const Task& t) {
  s.bind_all(t.title, opt_ms(t.due_at), null_if_zero(t.assignee_id), null_if_zero(t.client_id),
             null_if_zero(t.deal_id), null_if_zero(t.order_id), std::string(task_status_name(t.status)), t.notes,
             t.created_at.ms, t.updated_at.ms, opt_ms(t.done_at), null_if_zero(t.lead_id));
}

Task map_task(Statement& s) {
  Task t;
  t.id = s.column_int(0);
  t.title = s.column_text(1);
  if (!s.column_is_null(2)) t.due_at = Instant{s.column_int(2)};
  t.assignee_id = s.column_int(3);
  t.client_id = s.column_int(4);
  t.deal_id = s.column_int(5);
  t.order_id = s.column_int(6);
  auto st = parse_task_status(s.column_text(7));
  t.status = st.ok() ? *st : TaskStatus::kOpen;
  t.notes = s.column_text(8);
  t.created_at = Instant{s.column_int(9)};
  t.updated_at = Instant{s.column_int(10)};
  if (!s.column_is_null(11)) t.done_at = Instant{s.column_int(11)};
  t.lead_id = s.column_int(12);
  return t;
}
}  // namespace

Result<Id> insert_interaction(Connection& c, const Interaction& i) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().insert("interactions", kInteractionCols, "id"))));
  StatementUse use(*s);
  bind_interaction(*s, i);
  SC_ASSIGN_OR_RETURN(bool row, s->step());
  if (!row) return Status::internal("insert into interactions returned no id");
  return s->column_int(0);
}

Status update_interaction(Connection& c, const Interaction& i) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().update("interactions", kInteractionCols, "id = ?"))));
  StatementUse use(*s);
  bind_interaction(*s, i);
  s->bind_int(static_cast<int>(kInteractionCols.size()) + 1, i.id);
  return s->run();
}

Result<std::optional<Interaction>> load_interaction(Connection& c, Id id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().select(with_id(kInteractionCols), "interactions", "id = ?"))));
  StatementUse use(*s);
  s->bind_all(id);
  return map_first<Interaction>(*s, map_interaction);
}

Result<std::optional<Id>> interaction_id_by_source(Connection& c, const std::string& source,
                                                   const std::string& external_id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         {"id"}, "interactions", "source = ? AND external_id = ?"))));
  StatementUse use(*s);
  s->bind_all(source, external_id);
  return map_first<Id>(*s, [](Statement& r) { return r.column_int(0); });
}

namespace {
Filter interaction_filter(const InteractionQuery& q, const std::string& visible) {
  Filter f;
  if (!visible.empty()) f.add(visible);
  f.eq_if("client_id", q.client_id);
  f.eq_if("user_id", q.user_id);
  if (q.kind) f.add("kind = ?", {std::string(interaction_kind_name(*q.kind))});
  if (q.from) f.add("occurred_at >= ?", {q.from->ms});
  if (q.to) f.add("occurred_at < ?", {q.to->ms});
  return f;
}
}  // namespace

Result<ColumnTable> interaction_columns(Connection& c, const InteractionQuery& q, const std::string& visible) {
  static const std::vector<ColumnDef> defs = {
      {"id", "id"},
      {"kind", "kind", ColumnKind::kText},
      {"direction", "direction", ColumnKind::kText},
      {"occurred_at", "occurred_at", ColumnKind::kInstant},
      {"duration_s", "duration_s"},
      {"user_id", "user_id", ColumnKind::kInt, true},
      {"client_id", "client_id", ColumnKind::kInt, true},
      {"contact_id", "contact_id", ColumnKind::kInt, true},
      {"subject", "subject", ColumnKind::kText},
      {"body", "body", ColumnKind::kText},
      {"source", "COALESCE(source, '')", ColumnKind::kText},
      {"external_id", "COALESCE(external_id, '')", ColumnKind::kText},
      {"created_at", "created_at", ColumnKind::kInstant},
      {"caller", "call_caller", ColumnKind::kText},
      {"callee", "call_callee", ColumnKind::kText},
      {"manager", "call_manager", ColumnKind::kText},
      {"ring_s", "call_ring_s"},
      {"disposition", "call_disposition", ColumnKind::kText},
      {"hangup_cause", "call_hangup_cause", ColumnKind::kText},
      {"recording", "call_recording", ColumnKind::kText},
      {"pbx_call_id", "call_pbx_id", ColumnKind::kText},
      {"rang_not_answered", "call_rang_not_answered", ColumnKind::kText},
  };
  return select_columns(c, "interactions", defs, interaction_filter(q, visible), q.page);
}

Result<std::int64_t> count_interactions(Connection& c, const InteractionQuery& q, const std::string& visible) {
  Filter f = interaction_filter(q, visible);
  return scalar_int(c, "SELECT COUNT(*) FROM interactions" + (f.where().empty() ? "" : " WHERE " + f.where()), f);
}

Result<std::vector<Interaction>> find_interactions(Connection& c, const InteractionQuery& q,
                                                   const std::string& visible) {
  Filter f = interaction_filter(q, visible);
  f.after("id", q.page);
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         with_id(kInteractionCols), "interactions", f.where(), "id", true))));
  StatementUse use(*s);
  s->bind_int(f.bind(*s), limit_value(q.page));
  return map_rows<Interaction>(*s, map_interaction);
}

Result<Id> insert_task(Connection& c, const Task& t) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().insert("tasks", kTaskCols, "id"))));
  StatementUse use(*s);
  bind_task(*s, t);
  SC_ASSIGN_OR_RETURN(bool row, s->step());
  if (!row) return Status::internal("insert into tasks returned no id");
  return s->column_int(0);
}

Status update_task(Connection& c, const Task& t) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().update("tasks", kTaskCols, "id = ?"))));
  StatementUse use(*s);
  bind_task(*s, t);
  s->bind_int(static_cast<int>(kTaskCols.size()) + 1, t.id);
  return s->run();
}

Result<std::optional<Task>> load_task(Connection& c, Id id) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().select(with_id(kTaskCols), "tasks", "id = ?"))));
  StatementUse use(*s);
  s->bind_all(id);
  return map_first<Task>(*s, map_task);
}

namespace {
Filter task_filter(const TaskQuery& q, const std::string& visible) {
  Filter f;
  if (!visible.empty()) f.add(visible);
  f.eq_if("assignee_id", q.assignee_id);
  f.eq_if("client_id", q.client_id);
  f.eq_if("lead_id", q.lead_id);
  if (q.status) f.add("status = ?", {std::string(task_status_name(*q.status))});
  if (q.due_before) f.add("due_at < ?", {q.due_before->ms});
  return f;
}
}  // namespace

Result<std::int64_t> count_tasks(Connection& c, const TaskQuery& q, const std::string& visible) {
  Filter f = task_filter(q, visible);
  return scalar_int(c, "SELECT COUNT(*) FROM tasks" + (f.where().empty() ? "" : " WHERE " + f.where()), f);
}

Result<std::vector<Task>> find_tasks(Connection& c, const TaskQuery& q, const std::string& visible) {
  Filter f = task_filter(q, visible);
  f.after("id", q.page);
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().select(with_id(kTaskCols), "tasks", f.where(), "id", true))));
  StatementUse use(*s);
  s->bind_int(f.bind(*s), limit_value(q.page));
  return map_rows<Task>(*s, map_task);
}

}  // namespace salescore::store
