// Replaying a dead letter once its cause is fixed (the client it referred to exists
// now, the peer's password was corrected). Needs only the engine, so the CLI and
// Python can replay without a running connector; outbound items are queued again and
// delivered by the connector's runtime.
//
// A letter keeps what it was given up for: a replay is recorded beside it (time and
// outcome, ConnectorService::record_replay), never over it.
#pragma once

#include "host/record_apply.h"

namespace salescore::plugins {

enum class ReplayOutcome {
  kApplied,     // an inbound record was applied
  kDuplicate,   // an inbound record had meanwhile been applied through a redelivery
  kRequeued,    // an outbound item is back in its connector's outbox with a fresh retry budget
};
const char* replay_outcome_name(ReplayOutcome o);

// Why letter `letter` cannot be replayed now, as kFailedPrecondition: it was replayed
// already, it is an automation's event (not a record), or a replay of it is still
// queued for delivery. OK when it can. A refused replay changes nothing, so this is
// asked before anything is written (the connector's user included).
Status check_replayable(Engine& engine, const DeadLetter& letter);

// Replays dead letter `id`. An inbound record is applied again: applied, the letter is
// replayed; refused, the letter stays open with the failure recorded and the error is
// returned. An outbound item is queued again and the letter stays open until its
// connector delivers it (then it is replayed) or gives up on it again (then that
// failure is recorded on the same letter). `actor` is who an inbound record is written as.
Result<ReplayOutcome> replay_dead_letter(Engine& engine, const Actor& actor, Id id);
// The same, written as the letter's connector's integration user (what the CLI uses).
Result<ReplayOutcome> replay_dead_letter(Engine& engine, Id id);

}  // namespace salescore::plugins
