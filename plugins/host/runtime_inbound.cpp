// Records a connector emits: applied at once with their inbox keys; held in emit order
// for a retry when the database cannot take them yet; dead-lettered when refused. A
// checkpoint the connector saves is persisted only once every record emitted before
// it is committed or dead-lettered, so a restart resumes from a point with nothing lost.
#include "host/inbox.h"
#include "host/runtime_core.h"
#include "host/status_codes.h"

namespace salescore::plugins {

namespace {
std::string describe(const NormalizedRecord& r) { return r.entity + " " + r.source + "/" + r.external_id; }
}  // namespace

std::string RuntimeCore::refuse_into_batch(ConnectorSlot& slot, std::string why) {
  // Records refused while a batch is open would leave a hole in it that a connector not
  // checking every return could commit: the whole batch is lost instead.
  if (slot.batch) slot.batch->abandon(Status(Code::kResourceExhausted, why + "; the batch is not applied"));
  return why;
}

bool RuntimeCore::dead_letter_record(ConnectorSlot& slot, const NormalizedRecord& record, const Status& error,
                                     int attempts) {
  auto id = engine.connectors().add_dead_letter(inbound_dead_letter(slot.name(), record, error, attempts));
  if (!id.ok()) {
    log(&slot, LogLevel::kWarn, "record " + describe(record) + " failed (" + error.message() +
                                    ") and cannot be dead-lettered yet: " + id.status().message());
    return false;
  }
  ++slot.dead_lettered;
  note_error(slot, error.message());
  log(&slot, LogLevel::kWarn, "record " + describe(record) + " is dead letter " + std::to_string(*id) + ": " +
                                  error.to_string());
  return true;
}

void RuntimeCore::hold(ConnectorSlot& slot, const NormalizedRecord& record, std::uint64_t seq, int failures,
                       const std::string& error, Instant now) {
  HeldRecord h;
  h.record = record;
  h.seq = seq;
  h.failures = failures;
  h.last_error = error;
  h.next_attempt_at = failures > 0 ? Instant{now.ms + slot.backoff().delay_ms(failures, options.random)} : now;
  slot.held.push_back(std::move(h));
}

sc_status RuntimeCore::emit(ConnectorSlot& slot, std::vector<NormalizedRecord> records) {
  CallContext* ctx = current_call();
  if (ctx && ctx->slot != &slot) ctx = nullptr;
  // A route's sender (a webhook, 1C) delivers again when told to, so a route never
  // holds records: what the database cannot take now is refused with a retryable code.
  const bool from_route = ctx && ctx->kind == CallKind::kRoute;
  // A session (an IMAP IDLE, an AMI stream) succeeds record by record: there is no
  // poll that returns to count it by.
  const bool from_session = ctx && ctx->kind == CallKind::kSession;
  auto refuse = [&](sc_status code, const std::string& why) {
    if (ctx) {
      ctx->intake_refused = true;
      ctx->failure = why;
    }
    return code;
  };
  for (auto& r : records) r.idempotency_key = idempotency_key_of(r);

  std::unique_lock lock(slot.intake_mutex);
  if (slot.intake_paused())
    return refuse(SC_RESOURCE_EXHAUSTED, refuse_into_batch(slot, slot.operator_paused
                                                                     ? "the connector is paused by an operator"
                                                                     : "intake paused: the outbox backlog is over its limit"));
  if (slot.batch) {
    // All or nothing: applied in the batch's transaction, committed at batch_end. The
    // push may wait for room in its queue, so the intake lock is let go first.
    std::shared_ptr<StreamingBatch> batch = slot.batch;
    lock.unlock();
    batch->push(std::move(records));
    return SC_OK;
  }
  const Instant now = this->now();
  const std::uint64_t first_seq = slot.last_seq + 1;
  if (!slot.held.empty()) {
    // Records are applied in emit order: these wait behind the held ones.
    if (from_route) return refuse(SC_UNAVAILABLE, "earlier records wait for the database: " + slot.held.front().last_error);
    slot.last_seq += records.size();
    for (std::size_t i = 0; i < records.size(); ++i) hold(slot, records[i], first_seq + i, 0, "", now);
    return SC_OK;
  }
  slot.last_seq += records.size();

  // One transaction for the whole call when every record goes in; otherwise one per
  // record, to find the ones at fault without losing the others.
  if (records.size() > 1) {
    int duplicates = 0;
    if (apply_all_once(engine, slot.actor, slot.name(), records, &duplicates).is_ok()) {
      slot.applied += static_cast<std::int64_t>(records.size()) - duplicates;
      slot.duplicates += duplicates;
      if (from_session) note_success(slot);
      return SC_OK;
    }
  }
  sc_status result = SC_OK;
  for (std::size_t i = 0; i < records.size(); ++i) {
    auto outcome = apply_once(engine, slot.actor, slot.name(), records[i]);
    if (outcome.ok()) {
      ++(*outcome == InboxOutcome::kApplied ? slot.applied : slot.duplicates);
      continue;
    }
    const Status& error = outcome.status();
    if (is_retryable(error.code()) || !dead_letter_record(slot, records[i], error, 1)) {
      note_error(slot, error.message());
      if (from_route) return refuse(is_retryable(error.code()) ? abi_from_code(error.code()) : SC_UNAVAILABLE,
                                    error.message());
      log(&slot, LogLevel::kWarn, "record " + describe(records[i]) + " held for a retry: " + error.message());
      for (std::size_t j = i; j < records.size(); ++j)
        hold(slot, records[j], first_seq + j, j == i ? 1 : 0, j == i ? error.message() : "", now);
      return SC_OK;
    }
    if (result == SC_OK) result = abi_from_code(error.code());
    if (ctx && ctx->failure.empty()) ctx->failure = error.message();
  }
  persist_checkpoint_if_settled(slot);
  if (from_session && result == SC_OK) note_success(slot);
  return result;
}

void RuntimeCore::retry_held(ConnectorSlot& slot, Instant now) {
  std::lock_guard lock(slot.intake_mutex);
  while (!slot.held.empty()) {
    HeldRecord& head = slot.held.front();
    if (head.next_attempt_at > now) break;
    auto outcome = apply_once(engine, slot.actor, slot.name(), head.record);
    if (outcome.ok()) {
      ++(*outcome == InboxOutcome::kApplied ? slot.applied : slot.duplicates);
      slot.held.pop_front();
      continue;
    }
    const Status& error = outcome.status();
    ++head.failures;
    head.last_error = error.message();
    const bool retryable = is_retryable(error.code());
    if (retryable && head.failures <= slot.settings().retry_limit) {
      // The records behind wait too: what fails is the database, not this record.
      head.next_attempt_at = Instant{now.ms + slot.backoff().delay_ms(head.failures, options.random)};
      note_error(slot, error.message());
      break;
    }
    Status final_error = retryable ? Status(error.code(), "gave up after " + std::to_string(head.failures) +
                                                              " attempts: " + error.message())
                                   : error;
    if (!dead_letter_record(slot, head.record, final_error, head.failures)) {
      head.next_attempt_at = Instant{now.ms + slot.backoff().delay_ms(head.failures, options.random)};
      break;
    }
    slot.held.pop_front();
  }
  persist_checkpoint_if_settled(slot);
}

sc_status RuntimeCore::emit_products(ConnectorSlot& slot, std::vector<CatalogProduct> products) {
  CallContext* ctx = current_call();
  auto refuse = [&](sc_status code, const std::string& why) {
    if (ctx && ctx->slot == &slot) ctx->failure = why;
    return code;
  };
  std::unique_lock lock(slot.intake_mutex);
  if (slot.intake_paused())
    return refuse(SC_RESOURCE_EXHAUSTED, refuse_into_batch(slot, "intake paused: products not taken"));
  // Outside a batch a refused product would be a dead letter, and those keep the JSON
  // of a record: emit_records is the way there.
  if (!slot.batch) return refuse(SC_FAILED_PRECONDITION, "emit_products needs an open batch (batch_begin)");
  std::shared_ptr<StreamingBatch> batch = slot.batch;
  lock.unlock();  // the push may wait for room in the batch's queue
  batch->push(std::move(products));
  return SC_OK;
}

sc_status RuntimeCore::begin_batch(ConnectorSlot& slot, StreamingBatch::RefusedRecord refused) {
  std::lock_guard lock(slot.intake_mutex);
  if (slot.batch) {
    if (CallContext* ctx = current_call(); ctx && ctx->slot == &slot) ctx->failure = "a batch is open already";
    return SC_FAILED_PRECONDITION;
  }
  slot.batch = std::make_shared<StreamingBatch>(engine, slot.actor, slot.name(), StreamingBatch::kQueueCapacity, refused);
  slot.batch_checkpoint.reset();
  slot.checkpoint_before_batch = slot.checkpoint;
  return SC_OK;
}

sc_status RuntimeCore::end_batch(ConnectorSlot& slot, bool commit, int64_t* dead_letters) {
  CallContext* ctx = current_call();
  if (ctx && ctx->slot != &slot) ctx = nullptr;
  std::shared_ptr<StreamingBatch> batch;
  {
    std::lock_guard lock(slot.intake_mutex);
    if (!slot.batch) {
      if (ctx) ctx->failure = "no batch is open";
      return SC_FAILED_PRECONDITION;
    }
    batch = std::move(slot.batch);
  }
  // Waits for the records still queued, then commits (or rolls back) outside the intake
  // lock: emits of this connector that are not part of the batch are not held up by it.
  Status st = batch->finish(commit);
  std::lock_guard lock(slot.intake_mutex);
  std::optional<std::string> saved_inside = std::move(slot.batch_checkpoint);
  slot.batch_checkpoint.reset();
  if (!st.is_ok() || !commit) {
    // The batch's checkpoint covers records that were not applied: forgotten, and
    // checkpoint_read answers what it did before (unless a save outside the batch came
    // since, while it was finishing).
    if (saved_inside && slot.checkpoint == saved_inside) slot.checkpoint = slot.checkpoint_before_batch;
  }
  slot.checkpoint_before_batch.reset();
  if (!st.is_ok()) {
    note_error(slot, st.message());
    if (ctx) ctx->failure = st.message();
    log(&slot, LogLevel::kWarn, "batch of " + std::to_string(batch->records()) + " records not applied: " + st.message());
    return abi_from_code(st.code());
  }
  if (commit) {
    slot.last_seq += static_cast<std::uint64_t>(batch->records());
    slot.applied += batch->applied();
    slot.duplicates += batch->duplicates();
    slot.dead_lettered += batch->dead_lettered();
    if (dead_letters) *dead_letters = batch->dead_lettered();
    for (const auto& letter : batch->dead_letters())
      log(&slot, LogLevel::kWarn, "record " + letter.record + " is dead letter " + std::to_string(letter.letter) + ": " +
                                      letter.reason);
    const auto told = static_cast<std::int64_t>(batch->dead_letters().size());
    if (batch->dead_lettered() > told)
      log(&slot, LogLevel::kWarn, "and " + std::to_string(batch->dead_lettered() - told) +
                                      " more records of the batch are dead letters");
    if (!batch->dead_letters().empty()) note_error(slot, batch->dead_letters().front().reason);
    if (saved_inside) slot.staged = StagedCheckpoint{std::move(*saved_inside), slot.last_seq};
  }
  persist_checkpoint_if_settled(slot);
  return SC_OK;
}

void RuntimeCore::persist_checkpoint_if_settled(ConnectorSlot& slot) {
  if (!slot.staged || slot.batch) return;
  if (!slot.held.empty() && slot.held.front().seq <= slot.staged->covers_seq) return;
  Status saved = engine.connectors().save_checkpoint(slot.name(), slot.staged->value);
  if (saved.is_ok()) slot.staged.reset();
  else log(&slot, LogLevel::kDebug, "checkpoint not saved yet: " + saved.message());
}

sc_status RuntimeCore::save_checkpoint(ConnectorSlot& slot, std::string value) {
  std::lock_guard lock(slot.intake_mutex);
  slot.checkpoint = value;
  if (slot.batch) {
    slot.batch_checkpoint = std::move(value);  // staged by end_batch once the batch commits
    return SC_OK;
  }
  slot.staged = StagedCheckpoint{std::move(value), slot.last_seq};
  persist_checkpoint_if_settled(slot);
  return SC_OK;
}

std::optional<std::string> RuntimeCore::read_checkpoint(ConnectorSlot& slot) {
  std::lock_guard lock(slot.intake_mutex);
  return slot.checkpoint;
}

}  // namespace salescore::plugins
