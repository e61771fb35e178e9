#include "store/connector_rows.h"

#include <algorithm>
#include <map>

#include "store/json_columns.h"
#include "store/row_helpers.h"

namespace salescore::store {
namespace {

std::string sql(Connection& c, const std::string& text) { return c.dialect().placeholders(text); }

// Codes are stored by name so a dead letter stays readable in the database itself.
Code code_from_name(const std::string& name) {
  for (Code code : {Code::kOk, Code::kInvalidArgument, Code::kNotFound, Code::kAlreadyExists,
                    Code::kFailedPrecondition, Code::kPermissionDenied, Code::kUnauthenticated, Code::kConflict,
                    Code::kUnavailable, Code::kDeadlineExceeded, Code::kResourceExhausted, Code::kInternal})
    if (name == code_name(code)) return code;
  return Code::kInternal;
}

std::optional<Instant> optional_instant(Statement& s, int col) {
  if (s.column_is_null(col)) return std::nullopt;
  return Instant{s.column_int(col)};
}

Status run_update(Connection& c, const std::string& text, const std::function<void(Statement&)>& bind) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(sql(c, text)));
  StatementUse use(*s);
  bind(*s);
  return s->run();
}

// ---- outbox ----
const std::vector<std::string> kOutboxCols = {"connector",       "kind",       "payload",    "idempotency_key",
                                              "attempts",        "next_attempt_at", "last_error", "created_at",
                                              "dead_letter_id"};

std::vector<std::string> outbox_select_cols() {
  std::vector<std::string> cols = {"id"};
  cols.insert(cols.end(), kOutboxCols.begin(), kOutboxCols.end());
  return cols;
}

OutboxItem map_outbox(Statement& s) {
  OutboxItem o;
  o.id = s.column_int(0);
  o.connector = s.column_text(1);
  o.kind = s.column_text(2);
  o.payload = s.column_text(3);
  o.idempotency_key = s.column_text(4);
  o.attempts = static_cast<int>(s.column_int(5));
  o.next_attempt_at = Instant{s.column_int(6)};
  o.last_error = s.column_text(7);
  o.created_at = Instant{s.column_int(8)};
  o.dead_letter_id = s.column_is_null(9) ? 0 : s.column_int(9);
  return o;
}

// ---- dead letters ----
const std::vector<std::string> kDeadLetterCols = {"connector", "direction", "kind",    "source",
                                                  "external_id", "idempotency_key", "payload", "code",
                                                  "reason",    "attempts",  "failed_at", "replayed_at"};

std::vector<std::string> dead_letter_select_cols() {
  std::vector<std::string> cols = {"id"};
  cols.insert(cols.end(), kDeadLetterCols.begin(), kDeadLetterCols.end());
  return cols;
}

DeadLetter map_dead_letter(Statement& s) {
  DeadLetter d;
  d.id = s.column_int(0);
  d.connector = s.column_text(1);
  d.direction = s.column_text(2) == "outbound" ? DeadLetterDirection::kOutbound : DeadLetterDirection::kInbound;
  d.kind = s.column_text(3);
  d.source = s.column_text(4);
  d.external_id = s.column_text(5);
  d.idempotency_key = s.column_text(6);
  d.payload = s.column_text(7);
  d.code = code_from_name(s.column_text(8));
  d.reason = s.column_text(9);
  d.attempts = static_cast<int>(s.column_int(10));
  d.failed_at = Instant{s.column_int(11)};
  d.replayed_at = optional_instant(s, 12);
  return d;
}

// The event a letter carries (DeadLetter::event_type).
std::string event_type_of(const DeadLetter& d) {
  if (is_automation_letter(d)) return d.kind;
  if (d.direction != DeadLetterDirection::kOutbound || d.kind != "event") return "";
  try {
    auto fields = parse_string_map(d.payload);
    auto type = fields.find("type");
    return type == fields.end() ? "" : type->second;
  } catch (const std::exception&) {
    return "";  // a payload that is not JSON carries no type to show
  }
}

// Fills in what a letter's row alone does not hold: its replays and its event type.
Status complete_dead_letter(Connection& c, DeadLetter& d) {
  d.event_type = event_type_of(d);
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(sql(c, c.dialect().select({"at", "outcome", "code", "reason"},
                                                                           "dead_letter_replays",
                                                                           "dead_letter_id = ?", "id"))));
  StatementUse use(*s);
  s->bind_all(d.id);
  SC_ASSIGN_OR_RETURN(d.replays, map_rows<ReplayAttempt>(*s, [](Statement& r) {
                        return ReplayAttempt{Instant{r.column_int(0)}, r.column_text(1),
                                             code_from_name(r.column_text(2)), r.column_text(3)};
                      }));
  return Status::ok();
}

}  // namespace

// ---- inbox ----

Result<bool> inbox_has(Connection& c, const std::string& connector, const std::string& key) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(sql(c, c.dialect().select({"1"}, "connector_inbox",
                                                                           "connector = ? AND idempotency_key = ?"))));
  StatementUse use(*s);
  s->bind_all(connector, key);
  return s->step();
}

Status insert_inbox(Connection& c, const std::string& connector, const std::string& key, const std::string& entity,
                    const std::string& source, const std::string& external_id, Instant at) {
  static const std::vector<std::string> kCols = {"connector", "idempotency_key", "entity", "source", "external_id",
                                                 "applied_at"};
  return run_update(c, c.dialect().insert("connector_inbox", kCols),
                    [&](Statement& s) { s.bind_all(connector, key, entity, source, external_id, at.ms); });
}

Result<std::optional<std::string>> latest_inbox_key(Connection& c, const std::string& connector,
                                                    const std::string& entity, const std::string& source,
                                                    const std::string& external_id) {
  // Insertion order orders the claims (a key claimed again is deleted and inserted anew);
  // connector_inbox_record (migration 14) finds the record's rows.
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(sql(c, "SELECT idempotency_key FROM connector_inbox WHERE connector = ? "
                                                       "AND entity = ? AND source = ? AND external_id = ? ORDER BY " +
                                                       c.dialect().newest_first() + " LIMIT 1")));
  StatementUse use(*s);
  s->bind_all(connector, entity, source, external_id);
  SC_ASSIGN_OR_RETURN(bool found, s->step());
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(s->column_text(0));
}

Status delete_inbox_key(Connection& c, const std::string& connector, const std::string& key) {
  return run_update(c, "DELETE FROM connector_inbox WHERE connector = ? AND idempotency_key = ?",
                    [&](Statement& s) { s.bind_all(connector, key); });
}

Status prune_inbox(Connection& c, const std::string& connector, Instant before) {
  return run_update(c, "DELETE FROM connector_inbox WHERE connector = ? AND applied_at < ?",
                    [&](Statement& s) { s.bind_all(connector, before.ms); });
}

// ---- state ----

Result<std::optional<ConnectorState>> load_connector_state(Connection& c, const std::string& connector) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(sql(c, c.dialect().select({"connector", "checkpoint", "event_offset",
                                                           "last_success_at", "last_error", "runtime_state",
                                                           "runtime_reason", "runtime_at", "operator_request"},
                                                          "connector_state", "connector = ?"))));
  StatementUse use(*s);
  s->bind_all(connector);
  return map_first<ConnectorState>(*s, [](Statement& r) {
    ConnectorState st;
    st.connector = r.column_text(0);
    if (!r.column_is_null(1)) st.checkpoint = r.column_text(1);
    if (!r.column_is_null(2)) st.event_offset = r.column_int(2);
    st.last_success_at = optional_instant(r, 3);
    st.last_error = r.column_text(4);
    st.runtime_state = r.column_text(5);
    st.runtime_reason = r.column_text(6);
    st.runtime_at = optional_instant(r, 7);
    st.operator_request = r.column_text(8);
    return st;
  });
}

Status ensure_connector_state(Connection& c, const std::string& connector, Instant at) {
  SC_ASSIGN_OR_RETURN(auto existing, load_connector_state(c, connector));
  if (existing) return Status::ok();
  return run_update(c, c.dialect().insert("connector_state", {"connector", "updated_at"}),
                    [&](Statement& s) { s.bind_all(connector, at.ms); });
}

Status update_checkpoint(Connection& c, const std::string& connector, const std::string& checkpoint, Instant at) {
  return run_update(c, c.dialect().update("connector_state", {"checkpoint", "updated_at"}, "connector = ?"),
                    [&](Statement& s) { s.bind_all(checkpoint, at.ms, connector); });
}

Status update_event_offset(Connection& c, const std::string& connector, std::int64_t seq, Instant at) {
  return run_update(c, c.dialect().update("connector_state", {"event_offset", "updated_at"}, "connector = ?"),
                    [&](Statement& s) { s.bind_all(seq, at.ms, connector); });
}

Status update_last_success(Connection& c, const std::string& connector, Instant success_at) {
  return run_update(c,
                    c.dialect().update("connector_state", {"last_success_at", "last_error", "updated_at"},
                                       "connector = ?"),
                    [&](Statement& s) { s.bind_all(success_at.ms, "", success_at.ms, connector); });
}

Status update_runtime_state(Connection& c, const std::string& connector, const std::string& state,
                            const std::string& reason, Instant at) {
  return run_update(c, "UPDATE connector_state SET runtime_state = ?, runtime_reason = ?, runtime_at = ?, "
                       "updated_at = ? WHERE connector = ?",
                    [&](Statement& s) { s.bind_all(state, reason, at.ms, at.ms, connector); });
}

Status update_operator_request(Connection& c, const std::string& connector, const std::string& request, Instant at) {
  return run_update(c, "UPDATE connector_state SET operator_request = ?, updated_at = ? WHERE connector = ?",
                    [&](Statement& s) { s.bind_all(request, at.ms, connector); });
}

Result<std::string> operator_request_of(Connection& c, const std::string& connector) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(sql(c, "SELECT operator_request FROM connector_state WHERE connector = ?")));
  StatementUse use(*s);
  s->bind_all(connector);
  SC_ASSIGN_OR_RETURN(bool found, s->step());
  return found ? s->column_text(0) : std::string();
}

Status update_last_error(Connection& c, const std::string& connector, const std::string& message, Instant at) {
  return run_update(c, c.dialect().update("connector_state", {"last_error", "updated_at"}, "connector = ?"),
                    [&](Statement& s) { s.bind_all(message, at.ms, connector); });
}

// ---- outbox ----

Result<std::optional<Id>> pending_outbox_id(Connection& c, const std::string& connector, const std::string& key) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(sql(c, c.dialect().select({"id"}, "connector_outbox",
                                                                           "connector = ? AND idempotency_key = ?"))));
  StatementUse use(*s);
  s->bind_all(connector, key);
  return map_first<Id>(*s, [](Statement& r) { return r.column_int(0); });
}

Result<Id> insert_outbox(Connection& c, const OutboxItem& o) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(sql(c, c.dialect().insert("connector_outbox", kOutboxCols, "id"))));
  StatementUse use(*s);
  s->bind_all(o.connector, o.kind, o.payload, o.idempotency_key, o.attempts, o.next_attempt_at.ms, o.last_error,
              o.created_at.ms, o.dead_letter_id ? std::optional<std::int64_t>(o.dead_letter_id) : std::nullopt);
  SC_ASSIGN_OR_RETURN(bool row, s->step());
  if (!row) return Status::internal("insert into connector_outbox returned no id");
  return s->column_int(0);
}

Result<std::vector<OutboxItem>> due_outbox(Connection& c, const std::string& connector, Instant now, int limit) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(sql(c, c.dialect().select(outbox_select_cols(), "connector_outbox",
                                                          "connector = ? AND next_attempt_at <= ?", "id", true))));
  StatementUse use(*s);
  s->bind_all(connector, now.ms, static_cast<std::int64_t>(limit > 0 ? limit : -1));
  return map_rows<OutboxItem>(*s, map_outbox);
}

Result<std::vector<OutboxItem>> claim_due_outbox(Connection& c, const std::string& connector, Instant now, int limit,
                                                 const std::string& holder, Instant lease_until) {
  const Dialect& d = c.dialect();
  std::string returning;
  for (const std::string& col : outbox_select_cols()) returning += (returning.empty() ? "" : ", ") + col;
  // Items due and not under another process's live lease, oldest first; on PostgreSQL
  // rows another process is claiming this moment are passed over (skip_locked), not
  // waited for. An expired lease is a claim of a process that died: taken over.
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(sql(c, "UPDATE connector_outbox SET claimed_by = ?, lease_until = ? WHERE id IN "
                                       "(SELECT id FROM connector_outbox WHERE connector = ? AND next_attempt_at <= ? "
                                       "AND (lease_until IS NULL OR lease_until <= ? OR claimed_by = ?) ORDER BY id "
                                       "LIMIT ?" + d.skip_locked() + ") RETURNING " + returning)));
  std::vector<OutboxItem> items;
  {
    StatementUse use(*s);
    s->bind_all(holder, lease_until.ms, connector, now.ms, now.ms, holder,
                static_cast<std::int64_t>(limit > 0 ? limit : -1));
    SC_ASSIGN_OR_RETURN(items, map_rows<OutboxItem>(*s, map_outbox));
  }
  // RETURNING gives the rows in no promised order.
  std::sort(items.begin(), items.end(), [](const OutboxItem& a, const OutboxItem& b) { return a.id < b.id; });
  return items;
}

Status release_outbox_claims(Connection& c, const std::string& connector, const std::string& holder) {
  return run_update(c, "UPDATE connector_outbox SET claimed_by = NULL, lease_until = NULL "
                       "WHERE connector = ? AND claimed_by = ?",
                    [&](Statement& s) { s.bind_all(connector, holder); });
}

Status release_other_outbox_claims(Connection& c, const std::string& connector, const std::string& holder) {
  return run_update(c, "UPDATE connector_outbox SET claimed_by = NULL, lease_until = NULL "
                       "WHERE connector = ? AND claimed_by IS NOT NULL AND claimed_by <> ?",
                    [&](Statement& s) { s.bind_all(connector, holder); });
}

Result<std::optional<OutboxItem>> load_outbox(Connection& c, Id id) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(sql(c, c.dialect().select(outbox_select_cols(), "connector_outbox", "id = ?"))));
  StatementUse use(*s);
  s->bind_all(id);
  return map_first<OutboxItem>(*s, map_outbox);
}

Result<std::int64_t> count_outbox(Connection& c, const std::string& connector) {
  Filter f;
  f.add("connector = ?", {connector});
  return scalar_int(c, "SELECT COUNT(*) FROM connector_outbox WHERE " + f.where(), f);
}

Status delete_outbox(Connection& c, Id id) {
  return run_update(c, "DELETE FROM connector_outbox WHERE id = ?", [&](Statement& s) { s.bind_all(id); });
}

Status update_outbox_attempt(Connection& c, Id id, int attempts, Instant next_attempt_at, const std::string& error) {
  // A rescheduled item is no longer claimed: whoever runs the connector when it is due
  // again tries it.
  return run_update(c,
                    "UPDATE connector_outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, claimed_by = NULL, "
                    "lease_until = NULL WHERE id = ?",
                    [&](Statement& s) { s.bind_all(attempts, next_attempt_at.ms, error, id); });
}

Status link_outbox_to_dead_letter(Connection& c, Id item_id, Id dead_letter_id) {
  return run_update(c, c.dialect().update("connector_outbox", {"dead_letter_id"}, "id = ?"),
                    [&](Statement& s) { s.bind_all(dead_letter_id, item_id); });
}

Result<std::optional<Id>> outbox_item_of_dead_letter(Connection& c, Id dead_letter_id) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(sql(c, c.dialect().select({"id"}, "connector_outbox", "dead_letter_id = ?"))));
  StatementUse use(*s);
  s->bind_all(dead_letter_id);
  return map_first<Id>(*s, [](Statement& r) { return r.column_int(0); });
}

// ---- dead letters ----

Result<Id> insert_dead_letter(Connection& c, const DeadLetter& d) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(sql(c, c.dialect().insert("dead_letters", kDeadLetterCols, "id"))));
  StatementUse use(*s);
  s->bind_all(d.connector, std::string(dead_letter_direction_name(d.direction)), d.kind, d.source, d.external_id,
              d.idempotency_key, d.payload, std::string(code_name(d.code)), d.reason, d.attempts, d.failed_at.ms,
              d.replayed_at ? std::optional<std::int64_t>(d.replayed_at->ms) : std::nullopt);
  SC_ASSIGN_OR_RETURN(bool row, s->step());
  if (!row) return Status::internal("insert into dead_letters returned no id");
  return s->column_int(0);
}

Result<std::optional<Id>> open_letter_for_same_record(Connection& c, const DeadLetter& d) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(sql(c, "SELECT id FROM dead_letters WHERE connector = ? AND direction = ? AND kind = ? "
                                       "AND source = ? AND external_id = ? AND payload = ? AND code = ? AND reason = ? "
                                       "AND replayed_at IS NULL ORDER BY id LIMIT 1")));
  StatementUse use(*s);
  s->bind_all(d.connector, std::string(dead_letter_direction_name(d.direction)), d.kind, d.source, d.external_id,
              d.payload, std::string(code_name(d.code)), d.reason);
  return map_first<Id>(*s, [](Statement& r) { return r.column_int(0); });
}

Result<std::vector<DeadLetter>> find_dead_letters(Connection& c, const DeadLetterQuery& q) {
  Filter f;
  f.eq_if("connector", q.connector);
  if (!q.include_replayed) f.add("replayed_at IS NULL");
  if (q.after_id > 0) f.add("id > ?", {q.after_id});
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(sql(c, c.dialect().select(dead_letter_select_cols(), "dead_letters",
                                                                           f.where(), "id", true))));
  std::vector<DeadLetter> letters;
  {
    StatementUse use(*s);
    s->bind_int(f.bind(*s), q.limit > 0 ? q.limit : -1);
    SC_ASSIGN_OR_RETURN(letters, map_rows<DeadLetter>(*s, map_dead_letter));
  }
  for (DeadLetter& d : letters) SC_RETURN_IF_ERROR(complete_dead_letter(c, d));
  return letters;
}

Result<std::optional<DeadLetter>> load_dead_letter(Connection& c, Id id) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(sql(c, c.dialect().select(dead_letter_select_cols(), "dead_letters", "id = ?"))));
  std::optional<DeadLetter> letter;
  {
    StatementUse use(*s);
    s->bind_all(id);
    SC_ASSIGN_OR_RETURN(letter, map_first<DeadLetter>(*s, map_dead_letter));
  }
  if (letter) SC_RETURN_IF_ERROR(complete_dead_letter(c, *letter));
  return letter;
}

Result<std::int64_t> count_open_dead_letters(Connection& c, const std::string& connector) {
  Filter f;
  f.add("replayed_at IS NULL");
  if (!connector.empty()) f.add("connector = ?", {connector});
  return scalar_int(c, "SELECT COUNT(*) FROM dead_letters WHERE " + f.where(), f);
}

Status update_dead_letter_replayed(Connection& c, Id id, Instant at) {
  return run_update(c, c.dialect().update("dead_letters", {"replayed_at"}, "id = ?"),
                    [&](Statement& s) { s.bind_all(at.ms, id); });
}

Status count_failed_replay(Connection& c, Id id) {
  return run_update(c, "UPDATE dead_letters SET attempts = attempts + 1 WHERE id = ?",
                    [&](Statement& s) { s.bind_all(id); });
}

Status insert_replay_attempt(Connection& c, Id dead_letter_id, const ReplayAttempt& a) {
  static const std::vector<std::string> kCols = {"dead_letter_id", "at", "outcome", "code", "reason"};
  return run_update(c, c.dialect().insert("dead_letter_replays", kCols), [&](Statement& s) {
    s.bind_all(dead_letter_id, a.at.ms, a.outcome, std::string(code_name(a.code)), a.reason);
  });
}

Result<std::optional<Id>> id_by_source_key(Connection& c, const std::string& entity, const std::string& source,
                                           const std::string& external_id) {
  // A fixed table per entity: the name is never taken from the caller's text.
  static const std::map<std::string, std::string> kTables = {
      {"client", "clients"}, {"product", "products"}, {"order", "orders"}, {"interaction", "interactions"}, {"deal", "deals"}};
  auto table = kTables.find(entity);
  if (table == kTables.end())
    return Status::invalid("records of '" + entity + "' are not keyed by (source, external_id)", {{"entity", entity}});
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(sql(c, c.dialect().select({"id"}, table->second,
                                                                           "source = ? AND external_id = ?"))));
  StatementUse use(*s);
  s->bind_all(source, external_id);
  return map_first<Id>(*s, [](Statement& r) { return r.column_int(0); });
}

}  // namespace salescore::store
