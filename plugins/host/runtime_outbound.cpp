// Outbound: events a connector subscribed to are copied from the event log into its
// outbox (the log offset advances in the same transaction, so each event is queued
// once), and due items are handed to deliver() oldest first. A retryable failure
// reschedules the item with full-jitter backoff and holds back the connector's whole
// outbox until then: a peer that is down sees one attempt per backoff period instead
// of a retry storm of every pending item. Past the retry limit, or on a dead-letter
// code, the item becomes a dead letter.
#include "host/runtime_core.h"
#include "salescore/record_fields.h"
#include "host/status_codes.h"

namespace salescore::plugins {
namespace {

std::string event_payload(const Event& e) {
  return "{\"seq\":" + std::to_string(e.seq) + ",\"type\":" + json_string(e.type) + ",\"entity\":" +
         json_string(e.entity) + ",\"entity_id\":" + std::to_string(e.entity_id) + ",\"at\":" +
         json_string(format_iso8601(e.at)) + ",\"actor_id\":" + std::to_string(e.actor_id) +
         ",\"data\":" + (e.payload.empty() ? "null" : e.payload) + "}";
}

// Why a delivery was given up on: a refusal speaks for itself; retries that ran out say so.
std::string give_up_reason(const CallOutcome& result, int failures) {
  if (!is_retryable_abi(result.code)) return result.message;
  return "gave up after " + std::to_string(failures) + " attempts: " + result.message;
}

bool starts_with_one_of(const std::vector<std::string>& prefixes, const std::string& type) {
  for (const auto& prefix : prefixes)
    if (type.compare(0, prefix.size(), prefix) == 0) return true;
  return false;
}

}  // namespace

sc_status RuntimeCore::subscribe(ConnectorSlot& slot, std::vector<std::string> prefixes) {
  if (!in_create(slot)) return refuse_service(slot, SC_FAILED_PRECONDITION, "subscribe: only inside create()");
  // A prefix within a declared one receives a subset of what the table promised (and
  // `plugins list` shows); anything else would widen it.
  for (const auto& prefix : prefixes)
    if (!starts_with_one_of(slot.descriptor().subscriptions, prefix))
      return refuse_service(slot, SC_INVALID_ARGUMENT,
                            "subscribe: '" + prefix + "' is not within the event types the connector declares");
  slot.narrowed_subscriptions = std::move(prefixes);
  return SC_OK;
}

bool RuntimeCore::fan_out(ConnectorSlot& slot) {
  // The offset moves on for an instance that narrowed its subscriptions to none: a later
  // configuration that receives events hears of them from then on, not of a backlog.
  if (!slot.can(SC_CAP_DELIVER) || slot.descriptor().subscriptions.empty() || !slot.event_offset) return false;
  auto pending = engine.connectors().pending(slot.name());
  if (!pending.ok()) return false;
  // Events past the limit stay in the log, which is the backlog's durable part.
  std::int64_t room = slot.settings().outbox_limit - *pending;
  if (room <= 0) return false;
  auto events = engine.events().since(*slot.event_offset, options.fanout_batch);
  if (!events.ok() || events->empty()) return false;
  std::int64_t offset = *slot.event_offset;
  Status st = engine.batch([&]() -> Status {
    for (const Event& e : *events) {
      if (room <= 0) break;
      if (starts_with_one_of(slot.subscriptions(), e.type)) {
        OutboxItem item;
        item.connector = slot.name();
        item.kind = "event";
        item.payload = event_payload(e);
        item.idempotency_key = "event:" + std::to_string(e.seq);
        SC_RETURN_IF_ERROR(engine.connectors().enqueue(item).status());
        --room;
      }
      offset = e.seq;
    }
    return engine.connectors().save_event_offset(slot.name(), offset);
  });
  if (!st.is_ok()) {
    log(&slot, LogLevel::kDebug, "events not queued yet: " + st.message());
    return false;
  }
  slot.event_offset = offset;
  // A whole batch read: more of the log may be waiting for the room left.
  return events->size() >= static_cast<std::size_t>(options.fanout_batch) && room > 0;
}

// A replayed item that fails again goes back to its letter: the failure is recorded
// there, and no second letter is made for the same item.
bool RuntimeCore::give_up_on_replay(ConnectorSlot& slot, const OutboxItem& item, const CallOutcome& result,
                                    int failures, Instant now) {
  const std::string reason = give_up_reason(result, failures);
  Status st = engine.batch([&]() -> Status {
    SC_RETURN_IF_ERROR(engine.connectors().record_replay(
        item.dead_letter_id, ReplayAttempt::failed(now, code_from_abi(result.code), reason), false));
    return engine.connectors().remove_from_outbox(item.id);
  });
  if (!st.is_ok()) {
    log(&slot, LogLevel::kWarn, "outbox item " + std::to_string(item.id) + " cannot go back to dead letter " +
                                    std::to_string(item.dead_letter_id) + " yet: " + st.message());
    return false;
  }
  ++slot.dead_lettered;
  log(&slot, LogLevel::kWarn, "outbox item " + std::to_string(item.id) + " failed again: dead letter " +
                                  std::to_string(item.dead_letter_id) + " keeps it: " + reason);
  return true;
}

// Removes the delivered items from the outbox in one transaction (a replayed one's letter
// records that it went). Delivered but not removed (the database busy, or a kill -9
// before this) means delivered again later: the idempotency key is there for the peer to
// notice, and at-least-once is the promise. One commit per batch, not per item: a commit
// each cost more than the POST on a kept-alive connection.
void RuntimeCore::acknowledge(ConnectorSlot& slot, const std::vector<const OutboxItem*>& delivered, Instant now) {
  if (delivered.empty()) return;
  Status st = engine.batch([&]() -> Status {
    for (const OutboxItem* item : delivered) {
      SC_RETURN_IF_ERROR(engine.connectors().remove_from_outbox(item->id));
      if (item->dead_letter_id)
        SC_RETURN_IF_ERROR(
            engine.connectors().record_replay(item->dead_letter_id, ReplayAttempt::went(now, "delivered"), true));
    }
    return Status::ok();
  });
  if (!st.is_ok())
    log(&slot, LogLevel::kDebug, std::to_string(delivered.size()) + " delivered items not removed yet (sent again "
                                     "later, under their idempotency keys): " + st.message());
}

bool RuntimeCore::deliver_due(ConnectorSlot& slot, Instant now) {
  // An operator's pause holds deliveries too (the peer may be in maintenance);
  // backpressure does not, since delivering is what drains it.
  if (!slot.can(SC_CAP_DELIVER) || !slot.created || slot.operator_paused) return false;
  if (now < slot.delivery_blocked_until) return false;
  // A read first: most steps find nothing due, and a claim is a write.
  auto waiting = engine.connectors().due(slot.name(), now, 1);
  if (!waiting.ok() || waiting->empty()) return false;
  // Claimed with a lease: should this process die mid-delivery, the process that takes
  // the connector over tries them once the lease runs out.
  auto due = engine.connectors().claim_due(slot.name(), now, options.delivery_batch, holder,
                                           Instant{now.ms + options.delivery_lease_ms});
  if (!due.ok()) return false;
  struct GiveBack {
    RuntimeCore& core;
    ConnectorSlot& slot;
    ~GiveBack() {  // what was not tried this step (a failure stops the batch)
      Status st = core.engine.connectors().release_claims(slot.name(), core.holder);
      if (!st.is_ok()) core.log(&slot, LogLevel::kDebug, "claims not given back yet: " + st.message());
    }
  } give_back{*this, slot};
  std::vector<const OutboxItem*> delivered;
  delivered.reserve(due->size());
  bool whole_batch = due->size() >= static_cast<std::size_t>(options.delivery_batch);
  for (const OutboxItem& item : *due) {
    if (slot.shutting_down) {  // the rest of the claim is given back, tried at the next start
      whole_batch = false;
      break;
    }
    sc_outbound out{};
    out.struct_size = sizeof out;
    out.id = item.id;
    out.kind = item.kind.c_str();
    out.payload = item.payload.c_str();
    out.payload_size = item.payload.size();
    out.idempotency_key = item.idempotency_key.c_str();
    out.attempt = static_cast<std::uint32_t>(item.attempts + 1);
    CallOutcome result = call(slot, CallKind::kDeliver, [&] { return slot.table().deliver(slot.self, &out); });
    if (result.ok()) {
      delivered.push_back(&item);  // removed with the rest of the batch (acknowledge)
      ++slot.delivered;
      note_success(slot);
      continue;
    }
    const int failures = item.attempts + 1;
    const bool retryable = is_retryable_abi(result.code);
    note_error(slot, result.message);
    if (retryable && failures <= slot.settings().retry_limit) {
      const Instant next{now.ms + slot.backoff().delay_ms(failures, options.random)};
      (void)engine.connectors().reschedule(item.id, failures, next, result.message);
      slot.delivery_blocked_until = next;
      log(&slot, LogLevel::kInfo, "delivery of outbox item " + std::to_string(item.id) + " failed (attempt " +
                                      std::to_string(failures) + "): " + result.message + "; next attempt in " +
                                      std::to_string(next.ms - now.ms) + " ms");
      whole_batch = false;
      break;
    }
    if (item.dead_letter_id) {
      if (!give_up_on_replay(slot, item, result, failures, now)) {
        whole_batch = false;
        break;  // left in the outbox: tried again
      }
      continue;
    }
    DeadLetter letter;
    letter.connector = slot.name();
    letter.direction = DeadLetterDirection::kOutbound;
    letter.kind = item.kind;
    letter.idempotency_key = item.idempotency_key;
    letter.payload = item.payload;
    letter.code = code_from_abi(result.code);
    letter.reason = give_up_reason(result, failures);
    letter.attempts = failures;
    Id letter_id = 0;
    Status st = engine.batch([&]() -> Status {
      SC_ASSIGN_OR_RETURN(letter_id, engine.connectors().add_dead_letter(letter));
      return engine.connectors().remove_from_outbox(item.id);
    });
    if (!st.is_ok()) {
      // Left in the outbox, so it is tried again rather than lost.
      log(&slot, LogLevel::kWarn, "outbox item " + std::to_string(item.id) + " cannot be dead-lettered yet: " +
                                      st.message());
      whole_batch = false;
      break;
    }
    ++slot.dead_lettered;
    log(&slot, LogLevel::kWarn, "outbox item " + std::to_string(item.id) + " is dead letter " +
                                    std::to_string(letter_id) + ": " + letter.reason);
  }
  acknowledge(slot, delivered, now);  // before give_back releases what is left
  // A whole batch went: more is probably due, and the scheduler comes back at once.
  return whole_batch;
}

void RuntimeCore::update_backpressure(ConnectorSlot& slot) {
  if (!slot.can(SC_CAP_DELIVER)) return;
  auto pending = engine.connectors().pending(slot.name());
  if (!pending.ok()) return;
  const std::int64_t limit = slot.settings().outbox_limit;
  if (!slot.backpressure && *pending >= limit) {
    slot.backpressure = true;
    log(&slot, LogLevel::kWarn, "outbox backlog " + std::to_string(*pending) + " reached its limit " +
                                    std::to_string(limit) + ": intake paused until it drains to " +
                                    std::to_string(limit / 2));
    interrupt_session(slot);
  } else if (slot.backpressure && *pending <= limit / 2) {
    // Resuming at half the limit, not just under it, keeps intake from flapping.
    slot.backpressure = false;
    log(&slot, LogLevel::kInfo, "outbox backlog down to " + std::to_string(*pending) + ": intake resumed");
    wake_session(slot);
  }
}

Result<std::optional<Id>> RuntimeCore::enqueue(ConnectorSlot& slot, const std::string& kind,
                                               const std::string& payload, const std::string& idempotency_key) {
  if (!slot.can(SC_CAP_DELIVER))
    return Status::failed_precondition("connector '" + slot.name() + "' does not deliver outbound items");
  SC_ASSIGN_OR_RETURN(std::int64_t pending, engine.connectors().pending(slot.name()));
  if (pending >= slot.settings().outbox_limit)
    return Status(Code::kResourceExhausted, "connector '" + slot.name() + "' has " + std::to_string(pending) +
                                                " outbound items pending (limit " +
                                                std::to_string(slot.settings().outbox_limit) + "): try again later");
  OutboxItem item;
  item.connector = slot.name();
  item.kind = kind;
  item.payload = payload;
  item.idempotency_key = idempotency_key.empty() ? content_key({kind, payload}) : idempotency_key;
  return engine.connectors().enqueue(item);
}

}  // namespace salescore::plugins
