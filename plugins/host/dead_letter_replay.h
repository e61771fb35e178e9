// Replaying a dead letter once its cause is fixed (the client it referred to exists
// now, the peer's password was corrected). Needs only the engine, so the CLI and
// Python can replay without a running connector; outbound items are queued again and
// delivered by the connector's runtime.
#pragma once

#include "host/record_apply.h"

namespace salescore::plugins {

enum class ReplayOutcome {
  kApplied,     // an inbound record was applied
  kDuplicate,   // an inbound record had meanwhile been applied through a redelivery
  kRequeued,    // an outbound item is back in its connector's outbox with a fresh retry budget
};
const char* replay_outcome_name(ReplayOutcome o);

// Replays dead letter `id` and marks it replayed. When the replay fails the letter
// stays, with the new reason and one more attempt, and the error is returned.
// kFailedPrecondition for a letter that was replayed already.
// `actor` is who an inbound record is written as.
Result<ReplayOutcome> replay_dead_letter(Engine& engine, const Actor& actor, Id id);
// The same, written as the letter's connector's integration user (what the CLI uses).
Result<ReplayOutcome> replay_dead_letter(Engine& engine, Id id);

}  // namespace salescore::plugins
