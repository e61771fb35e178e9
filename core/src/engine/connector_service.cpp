// The connector runtime's bookkeeping in the engine's database. Every write joins the
// caller's Engine::batch when one is open, which is what lets the runtime commit an
// inbox key together with the record it applied.
#include "engine/engine_state.h"
#include "rules/access.h"
#include "salescore/connectors.h"
#include "store/connector_rows.h"

namespace salescore {
using namespace detail;

const char* dead_letter_direction_name(DeadLetterDirection d) {
  return d == DeadLetterDirection::kOutbound ? "outbound" : "inbound";
}

bool is_automation_letter(const DeadLetter& letter) {
  return letter.direction == DeadLetterDirection::kInbound && letter.source == kAutomationLetterSource;
}

namespace {
Status need_connector(const std::string& connector) {
  if (connector.empty()) return Status::invalid("a connector name is required", {{"connector", "required"}});
  return Status::ok();
}
}  // namespace

Result<bool> ConnectorService::claim_inbox(const std::string& connector, const std::string& key,
                                           const std::string& entity, const std::string& source,
                                           const std::string& external_id, InboxClaim how) {
  SC_RETURN_IF_ERROR(need_connector(connector));
  if (key.empty()) return Status::invalid("an idempotency key is required", {{"idempotency_key", "required"}});
  return write<bool>(*s_, [&]() -> Result<bool> {
    if (how == InboxClaim::kLatest) {
      SC_ASSIGN_OR_RETURN(auto latest, store::latest_inbox_key(*s_->conn, connector, entity, source, external_id));
      if (latest == key) return false;
      // Claimed again as the newest: its old row goes, so the order of the rows stays
      // the order in which the record's states were applied. A record with no row yet
      // (every record of a first import) has no old row: its content key names the
      // record, so no other record's row holds it.
      if (latest) SC_RETURN_IF_ERROR(store::delete_inbox_key(*s_->conn, connector, key));
    } else {
      SC_ASSIGN_OR_RETURN(bool seen, store::inbox_has(*s_->conn, connector, key));
      if (seen) return false;
    }
    SC_RETURN_IF_ERROR(store::insert_inbox(*s_->conn, connector, key, entity, source, external_id, s_->now()));
    return true;
  });
}

Status ConnectorService::prune_inbox(const std::string& connector, Instant before) {
  return detail::in_write_tx(*s_, [&] { return store::prune_inbox(*s_->conn, connector, before); });
}

Result<bool> ConnectorService::inbox_contains(const std::string& connector, const std::string& key) {
  return read<bool>(*s_, [&] { return store::inbox_has(*s_->conn, connector, key); });
}

Result<ConnectorState> ConnectorService::state(const std::string& connector) {
  return read<ConnectorState>(*s_, [&]() -> Result<ConnectorState> {
    SC_ASSIGN_OR_RETURN(auto st, store::load_connector_state(*s_->conn, connector));
    if (st) return std::move(*st);
    ConnectorState empty;
    empty.connector = connector;
    return empty;
  });
}

namespace {
// Updates one field of a connector's state row, creating the row on first use.
Status update_state(EngineState& s, const std::string& connector, const std::function<Status()>& update) {
  SC_RETURN_IF_ERROR(need_connector(connector));
  return in_write_tx(s, [&]() -> Status {
    SC_RETURN_IF_ERROR(store::ensure_connector_state(*s.conn, connector, s.now()));
    return update();
  });
}
}  // namespace

Status ConnectorService::save_checkpoint(const std::string& connector, const std::string& checkpoint) {
  return update_state(*s_, connector,
                      [&] { return store::update_checkpoint(*s_->conn, connector, checkpoint, s_->now()); });
}

Status ConnectorService::record_runtime_state(const std::string& connector, const std::string& state,
                                              const std::string& reason) {
  return update_state(*s_, connector, [&] {
    return store::update_runtime_state(*s_->conn, connector, state, reason, s_->now());
  });
}

Status ConnectorService::request_operator(const std::string& connector, const std::string& request) {
  if (request != "pause" && request != "resume")
    return Status::invalid("an operator may ask a connector to pause or resume, not '" + request + "'",
                           {{"request", "pause or resume"}});
  return update_state(*s_, connector,
                      [&] { return store::update_operator_request(*s_->conn, connector, request, s_->now()); });
}

Result<std::optional<std::string>> ConnectorService::take_operator_request(const std::string& connector) {
  SC_RETURN_IF_ERROR(need_connector(connector));
  // Read first: the server asks every step, and a request is rare; only one found is
  // taken in a write.
  SC_ASSIGN_OR_RETURN(std::string waiting,
                      read<std::string>(*s_, [&] { return store::operator_request_of(*s_->conn, connector); }));
  if (waiting.empty()) return std::optional<std::string>();
  return write<std::optional<std::string>>(*s_, [&]() -> Result<std::optional<std::string>> {
    SC_ASSIGN_OR_RETURN(std::string request, store::operator_request_of(*s_->conn, connector));
    if (request.empty()) return std::optional<std::string>();
    SC_RETURN_IF_ERROR(store::update_operator_request(*s_->conn, connector, "", s_->now()));
    return std::optional<std::string>(request);
  });
}

Status ConnectorService::save_event_offset(const std::string& connector, std::int64_t seq) {
  return update_state(*s_, connector, [&] { return store::update_event_offset(*s_->conn, connector, seq, s_->now()); });
}

Status ConnectorService::record_success(const std::string& connector, Instant at) {
  return update_state(*s_, connector, [&] { return store::update_last_success(*s_->conn, connector, at); });
}

Status ConnectorService::record_error(const std::string& connector, const std::string& message) {
  return update_state(*s_, connector,
                      [&] { return store::update_last_error(*s_->conn, connector, message, s_->now()); });
}

Result<std::optional<Id>> ConnectorService::enqueue(const OutboxItem& item) {
  SC_RETURN_IF_ERROR(need_connector(item.connector));
  if (item.kind.empty()) return Status::invalid("an outbox item needs a kind", {{"kind", "required"}});
  if (item.idempotency_key.empty())
    return Status::invalid("an outbox item needs an idempotency key", {{"idempotency_key", "required"}});
  return write<std::optional<Id>>(*s_, [&]() -> Result<std::optional<Id>> {
    SC_ASSIGN_OR_RETURN(auto pending, store::pending_outbox_id(*s_->conn, item.connector, item.idempotency_key));
    if (pending) {
      if (item.dead_letter_id)
        SC_RETURN_IF_ERROR(store::link_outbox_to_dead_letter(*s_->conn, *pending, item.dead_letter_id));
      return std::optional<Id>();
    }
    OutboxItem row = item;
    row.created_at = s_->now();
    if (row.next_attempt_at.ms == 0) row.next_attempt_at = row.created_at;
    SC_ASSIGN_OR_RETURN(Id id, store::insert_outbox(*s_->conn, row));
    return std::optional<Id>(id);
  });
}

Result<std::vector<OutboxItem>> ConnectorService::due(const std::string& connector, Instant now, int limit) {
  return read<std::vector<OutboxItem>>(*s_, [&] { return store::due_outbox(*s_->conn, connector, now, limit); });
}

Result<std::vector<OutboxItem>> ConnectorService::claim_due(const std::string& connector, Instant now, int limit,
                                                           const std::string& holder, Instant lease_until) {
  SC_RETURN_IF_ERROR(need_connector(connector));
  if (holder.empty()) return Status::invalid("a claim needs its holder", {{"holder", "required"}});
  return write<std::vector<OutboxItem>>(
      *s_, [&] { return store::claim_due_outbox(*s_->conn, connector, now, limit, holder, lease_until); });
}

Status ConnectorService::release_claims(const std::string& connector, const std::string& holder) {
  return in_write_tx(*s_, [&] { return store::release_outbox_claims(*s_->conn, connector, holder); });
}

Status ConnectorService::release_stale_claims(const std::string& connector, const std::string& holder) {
  if (!s_->run_locks->sole_process()) return Status::ok();
  return in_write_tx(*s_, [&] { return store::release_other_outbox_claims(*s_->conn, connector, holder); });
}

Result<bool> ConnectorService::hold_run_lock(const std::string& connector) {
  SC_RETURN_IF_ERROR(need_connector(connector));
  return s_->run_locks->hold("connector:" + connector);
}

void ConnectorService::release_run_lock(const std::string& connector) {
  s_->run_locks->release("connector:" + connector);
}

Result<std::optional<OutboxItem>> ConnectorService::outbox_item(Id id) {
  return read<std::optional<OutboxItem>>(*s_, [&] { return store::load_outbox(*s_->conn, id); });
}

Result<std::int64_t> ConnectorService::pending(const std::string& connector) {
  return read<std::int64_t>(*s_, [&] { return store::count_outbox(*s_->conn, connector); });
}

Status ConnectorService::remove_from_outbox(Id id) {
  return in_write_tx(*s_, [&] { return store::delete_outbox(*s_->conn, id); });
}

Status ConnectorService::reschedule(Id id, int attempts, Instant next_attempt_at, const std::string& last_error) {
  return in_write_tx(*s_, [&] { return store::update_outbox_attempt(*s_->conn, id, attempts, next_attempt_at, last_error); });
}

Result<Id> ConnectorService::add_dead_letter(const DeadLetter& letter) {
  SC_RETURN_IF_ERROR(need_connector(letter.connector));
  return write<Id>(*s_, [&]() -> Result<Id> {
    DeadLetter row = letter;
    if (row.failed_at.ms == 0) row.failed_at = s_->now();
    // 1C sends a whole file again at every full exchange, a shop its webhooks again: the
    // same record refused for the same reason is one letter that was received again, not
    // a new letter each time (the operator would see the same failure N times).
    if (row.direction == DeadLetterDirection::kInbound && !row.external_id.empty()) {
      SC_ASSIGN_OR_RETURN(std::optional<Id> open, store::open_letter_for_same_record(*s_->conn, row));
      if (open) {
        SC_RETURN_IF_ERROR(store::insert_replay_attempt(
            *s_->conn, *open, {row.failed_at, "received_again", row.code, row.reason}));
        return *open;
      }
    }
    return store::insert_dead_letter(*s_->conn, row);
  });
}

Result<std::vector<DeadLetter>> ConnectorService::dead_letters(const DeadLetterQuery& query) {
  return read<std::vector<DeadLetter>>(*s_, [&] { return store::find_dead_letters(*s_->conn, query); });
}

Status ConnectorService::check_operator(const Actor& actor, const std::string& action) {
  return read<bool>(*s_, [&]() -> Result<bool> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    if (!scope.may_operate_connectors())
      return deny(*s_, actor, action, "dead_letter", 0, "connectors are run by a director or an admin");
    return true;
  }).status();
}

Result<DeadLetter> ConnectorService::dead_letter(Id id) {
  return read<DeadLetter>(*s_, [&]() -> Result<DeadLetter> {
    SC_ASSIGN_OR_RETURN(auto d, store::load_dead_letter(*s_->conn, id));
    if (!d) return Status::not_found("dead letter " + std::to_string(id) + " does not exist");
    return std::move(*d);
  });
}

Result<std::int64_t> ConnectorService::count_dead_letters(const std::string& connector) {
  return read<std::int64_t>(*s_, [&] { return store::count_open_dead_letters(*s_->conn, connector); });
}

Status ConnectorService::record_replay(Id id, const ReplayAttempt& attempt, bool done) {
  return in_write_tx(*s_, [&]() -> Status {
    SC_RETURN_IF_ERROR(store::insert_replay_attempt(*s_->conn, id, attempt));
    if (done) return store::update_dead_letter_replayed(*s_->conn, id, attempt.at);
    if (attempt.code != Code::kOk) return store::count_failed_replay(*s_->conn, id);
    return Status::ok();
  });
}

Result<std::optional<Id>> ConnectorService::queued_replay(Id id) {
  return read<std::optional<Id>>(*s_, [&] { return store::outbox_item_of_dead_letter(*s_->conn, id); });
}

Result<std::optional<Id>> ConnectorService::id_by_source(const std::string& entity, const std::string& source,
                                                         const std::string& external_id) {
  return read<std::optional<Id>>(*s_, [&] { return store::id_by_source_key(*s_->conn, entity, source, external_id); });
}

}  // namespace salescore
