#include "store/lead_rows.h"

#include "store/row_helpers.h"

namespace salescore::store {
namespace {
const std::vector<std::string> kCols = {
    "channel",   "contact_name", "company",       "phone",    "email",       "inn",         "request",
    "concrete",  "client_id",    "assignee_id",   "status",   "received_at", "sla_due_at",  "first_action_at",
    "reassignments", "escalated", "deal_id",      "lost_reason", "source",   "external_id", "created_at",
    "updated_at"};

std::vector<std::string> select_cols() {
  std::vector<std::string> cols = {"id"};
  cols.insert(cols.end(), kCols.begin(), kCols.end());
  return cols;
}

void bind_lead(Statement& s, const Lead& l) {
  s.bind_all(std::string(lead_channel_name(l.channel)), l.contact_name, l.company, l.phone, l.email, l.inn, l.request,
             l.concrete, null_if_zero(l.client_id), null_if_zero(l.assignee_id),
             std::string(lead_status_name(l.status)), l.received_at.ms, l.sla_due_at.ms,
             l.first_action_at ? std::optional<std::int64_t>(l.first_action_at->ms) : std::nullopt,
             l.reassignments, l.escalated, null_if_zero(l.deal_id), l.lost_reason, null_if_empty(l.source),
             null_if_empty(l.external_id), l.created_at.ms, l.updated_at.ms);
}

Lead map_lead(Statement& s) {
  Lead l;
  l.id = s.column_int(0);
  auto ch = parse_lead_channel(s.column_text(1));
  l.channel = ch.ok() ? *ch : LeadChannel::kManual;
  l.contact_name = s.column_text(2);
  l.company = s.column_text(3);
  l.phone = s.column_text(4);
  l.email = s.column_text(5);
  l.inn = s.column_text(6);
  l.request = s.column_text(7);
  l.concrete = s.column_int(8) != 0;
  l.client_id = s.column_int(9);
  l.assignee_id = s.column_int(10);
  auto st = parse_lead_status(s.column_text(11));
  l.status = st.ok() ? *st : LeadStatus::kNew;
  l.received_at = Instant{s.column_int(12)};
  l.sla_due_at = Instant{s.column_int(13)};
  if (!s.column_is_null(14)) l.first_action_at = Instant{s.column_int(14)};
  l.reassignments = static_cast<int>(s.column_int(15));
  l.escalated = s.column_int(16) != 0;
  l.deal_id = s.column_int(17);
  l.lost_reason = s.column_text(18);
  l.source = s.column_text(19);
  l.external_id = s.column_text(20);
  l.created_at = Instant{s.column_int(21)};
  l.updated_at = Instant{s.column_int(22)};
  return l;
}
}  // namespace

Result<Id> insert_lead(Connection& c, const Lead& l) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().insert("leads", kCols))));
  StatementUse use(*s);
  bind_lead(*s, l);
  SC_RETURN_IF_ERROR(s->run());
  return c.last_insert_id();
}

Status update_lead(Connection& c, const Lead& l) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().update("leads", kCols, "id = ?"))));
  StatementUse use(*s);
  bind_lead(*s, l);
  s->bind_int(static_cast<int>(kCols.size()) + 1, l.id);
  return s->run();
}

Result<std::optional<Lead>> load_lead(Connection& c, Id id) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().select(select_cols(), "leads", "id = ?"))));
  StatementUse use(*s);
  s->bind_all(id);
  return map_first<Lead>(*s, map_lead);
}

Result<std::optional<Id>> lead_id_by_source(Connection& c, const std::string& source, const std::string& external_id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().select({"id"}, "leads", "source = ? AND external_id = ?"))));
  StatementUse use(*s);
  s->bind_all(source, external_id);
  return map_first<Id>(*s, [](Statement& r) { return r.column_int(0); });
}

namespace {
Filter lead_filter(const LeadQuery& q, const std::string& visible) {
  Filter f;
  if (!visible.empty()) f.add(visible);
  const bool breaches = q.breached_from || q.breached_to;
  if (!breaches) f.eq_if("assignee_id", q.assignee_id);
  if (q.status) f.add("status = ?", {std::string(lead_status_name(*q.status))});
  if (q.received_from) f.add("received_at >= ?", {q.received_from->ms});
  if (q.received_to) f.add("received_at < ?", {q.received_to->ms});
  if (breaches) {
    // The breach log, as the KPI counts it: by the user who missed it, when it was missed.
    Filter b;
    b.eq_if("user_id", q.assignee_id);
    if (q.breached_from) b.add("breached_at >= ?", {q.breached_from->ms});
    if (q.breached_to) b.add("breached_at < ?", {q.breached_to->ms});
    f.add_wrapped("id IN (SELECT lead_id FROM lead_breaches WHERE ", b, ")");
  }
  return f;
}
}  // namespace

Result<std::vector<Lead>> lead_queue(Connection& c, const LeadQuery& q, const std::string& visible) {
  Filter f = lead_filter(q, visible);
  f.after("id", q.page);
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         select_cols(), "leads", f.where(), "concrete DESC, received_at, id", true))));
  StatementUse use(*s);
  s->bind_int(f.bind(*s), limit_value(q.page));
  return map_rows<Lead>(*s, map_lead);
}

Result<std::vector<Lead>> find_leads(Connection& c, const LeadQuery& q, const std::string& visible) {
  Filter f = lead_filter(q, visible);
  f.after("id", q.page);
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().select(select_cols(), "leads", f.where(), "id", true))));
  StatementUse use(*s);
  s->bind_int(f.bind(*s), limit_value(q.page));
  return map_rows<Lead>(*s, map_lead);
}

Result<std::int64_t> count_leads(Connection& c, const LeadQuery& q, const std::string& visible) {
  Filter f = lead_filter(q, visible);
  return scalar_int(c, "SELECT COUNT(*) FROM leads" + (f.where().empty() ? "" : " WHERE " + f.where()), f);
}

Result<std::vector<Lead>> leads_past_sla(Connection& c, Instant now) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         select_cols(), "leads",
                                         "status = 'new' AND first_action_at IS NULL AND escalated = 0 AND sla_due_at <= ?",
                                         "sla_due_at, id"))));
  StatementUse use(*s);
  s->bind_all(now.ms);
  return map_rows<Lead>(*s, map_lead);
}

Status insert_lead_breach(Connection& c, Id lead_id, Id user_id, Instant due_at, Instant breached_at) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().insert(
                                         "lead_breaches", {"lead_id", "user_id", "due_at", "breached_at"}))));
  StatementUse use(*s);
  s->bind_all(lead_id, null_if_zero(user_id), due_at.ms, breached_at.ms);
  return s->run();
}

Result<std::int64_t> open_leads_of(Connection& c, Id user_id) {
  Filter f;
  f.add("assignee_id = ? AND status IN ('new', 'in_progress')", {user_id});
  return scalar_int(c, "SELECT COUNT(*) FROM leads WHERE " + f.where(), f);
}

Result<std::vector<Id>> active_managers(Connection& c) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().select({"id"}, "users", "role = 'manager' AND active = 1", "id"))));
  StatementUse use(*s);
  return map_rows<Id>(*s, [](Statement& r) { return r.column_int(0); });
}

Result<std::optional<std::string>> rule_state_get(Connection& c, const std::string& key) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().select({"value"}, "rule_state", "key = ?"))));
  StatementUse use(*s);
  s->bind_all(key);
  return map_first<std::string>(*s, [](Statement& r) { return r.column_text(0); });
}

Status rule_state_set(Connection& c, const std::string& key, const std::string& value) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().upsert("rule_state", {"key", "value"}, {"key"}))));
  StatementUse use(*s);
  s->bind_all(key, value);
  return s->run();
}

}  // namespace salescore::store
