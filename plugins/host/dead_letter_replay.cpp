#include "host/dead_letter_replay.h"

#include "host/inbox.h"
#include "host/integration_user.h"

namespace salescore::plugins {

const char* replay_outcome_name(ReplayOutcome o) {
  switch (o) {
    case ReplayOutcome::kApplied: return "applied";
    case ReplayOutcome::kDuplicate: return "duplicate";
    case ReplayOutcome::kRequeued: return "requeued";
  }
  return "applied";
}

Status check_replayable(Engine& engine, const DeadLetter& letter) {
  const std::string which = "dead letter " + std::to_string(letter.id);
  if (letter.replayed_at)
    return Status::failed_precondition(which + " was replayed at " + format_iso8601(*letter.replayed_at));
  if (is_automation_letter(letter))
    return Status::failed_precondition(
        which + " is an event automation " + letter.connector +
        " gave up on, not a record: it cannot be replayed; its payload keeps the event and the traceback");
  if (letter.direction == DeadLetterDirection::kOutbound) {
    SC_ASSIGN_OR_RETURN(auto queued, engine.connectors().queued_replay(letter.id));
    if (queued)
      return Status::failed_precondition(which + " is queued for delivery again (outbox item " +
                                         std::to_string(*queued) + ")");
  }
  return Status::ok();
}

Result<ReplayOutcome> replay_dead_letter(Engine& engine, const Actor& actor, Id id) {
  SC_ASSIGN_OR_RETURN(DeadLetter letter, engine.connectors().dead_letter(id));
  SC_RETURN_IF_ERROR(check_replayable(engine, letter));
  const Instant now = engine.clock().now();
  if (letter.direction == DeadLetterDirection::kOutbound) {
    Status st = engine.batch([&]() -> Status {
      OutboxItem item;
      item.connector = letter.connector;
      item.kind = letter.kind;
      item.payload = letter.payload;
      item.idempotency_key = letter.idempotency_key;
      item.dead_letter_id = id;  // its delivery, or its failure, is recorded on this letter
      SC_RETURN_IF_ERROR(engine.connectors().enqueue(item).status());
      return engine.connectors().record_replay(id, ReplayAttempt::went(now, "requeued"), false);
    });
    if (!st.is_ok()) return st;
    return ReplayOutcome::kRequeued;
  }
  NormalizedRecord record{letter.kind, letter.source, letter.external_id, letter.payload, letter.idempotency_key};
  auto applied = apply_once(engine, actor, letter.connector, record);
  if (!applied.ok()) {
    const Status& error = applied.status();
    SC_RETURN_IF_ERROR(
        engine.connectors().record_replay(id, ReplayAttempt::failed(now, error.code(), error.message()), false));
    return error;
  }
  const ReplayOutcome outcome =
      *applied == InboxOutcome::kDuplicate ? ReplayOutcome::kDuplicate : ReplayOutcome::kApplied;
  SC_RETURN_IF_ERROR(engine.connectors().record_replay(id, ReplayAttempt::went(now, replay_outcome_name(outcome)), true));
  return outcome;
}

Result<ReplayOutcome> replay_dead_letter(Engine& engine, Id id) {
  SC_ASSIGN_OR_RETURN(DeadLetter letter, engine.connectors().dead_letter(id));
  // Before the connector's user is looked up (and made, the first time): a refusal
  // leaves no trace.
  SC_RETURN_IF_ERROR(check_replayable(engine, letter));
  SC_ASSIGN_OR_RETURN(Actor actor, connector_actor(engine, letter.connector));
  return replay_dead_letter(engine, actor, id);
}

}  // namespace salescore::plugins
