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

Result<ReplayOutcome> replay_dead_letter(Engine& engine, const Actor& actor, Id id) {
  SC_ASSIGN_OR_RETURN(DeadLetter letter, engine.connectors().dead_letter(id));
  if (letter.replayed_at)
    return Status::failed_precondition("dead letter " + std::to_string(id) + " was replayed at " +
                                       format_iso8601(*letter.replayed_at));
  const Instant now = engine.clock().now();
  if (letter.direction == DeadLetterDirection::kOutbound) {
    Status st = engine.batch([&]() -> Status {
      OutboxItem item;
      item.connector = letter.connector;
      item.kind = letter.kind;
      item.payload = letter.payload;
      item.idempotency_key = letter.idempotency_key;
      // Already pending under the same key (queued again meanwhile): that item will do.
      SC_RETURN_IF_ERROR(engine.connectors().enqueue(item).status());
      return engine.connectors().mark_replayed(id, now);
    });
    if (!st.is_ok()) return st;
    return ReplayOutcome::kRequeued;
  }
  NormalizedRecord record{letter.kind, letter.source, letter.external_id, letter.payload, letter.idempotency_key};
  auto applied = apply_once(engine, actor, letter.connector, record);
  if (!applied.ok()) {
    SC_RETURN_IF_ERROR(engine.connectors().record_replay_failure(id, applied.status().code(), applied.status().message()));
    return applied.status();
  }
  SC_RETURN_IF_ERROR(engine.connectors().mark_replayed(id, now));
  return *applied == InboxOutcome::kDuplicate ? ReplayOutcome::kDuplicate : ReplayOutcome::kApplied;
}

Result<ReplayOutcome> replay_dead_letter(Engine& engine, Id id) {
  SC_ASSIGN_OR_RETURN(DeadLetter letter, engine.connectors().dead_letter(id));
  SC_ASSIGN_OR_RETURN(Actor actor, connector_actor(engine, letter.connector));
  return replay_dead_letter(engine, actor, id);
}

}  // namespace salescore::plugins
