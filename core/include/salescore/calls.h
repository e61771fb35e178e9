// Calls from a PBX: kept on the client's timeline once, and a missed one never lost.
#pragma once

#include <string>

#include "salescore/engine.h"

namespace salescore {

// Records a call (an interaction of kind "call", keyed by source and external_id as
// InteractionService::upsert keeps it) with the other party's number as the PBX gave it:
// normalized with the engine's phone rules and matched to the client that has it (a
// number two clients share names neither) when the call names no client. The first time
// a missed inbound call (no talk time) is recorded it is followed up in the same
// transaction: a call-back task for the client's owner (their deputy during an absence),
// due within the phone channel's lead SLA, or, from a number no client has, a lead on the
// phone channel (assigned and timed by the lead rules). Recording the same call again (a
// reconnect, a CDR import) follows nothing up twice. A number the phone rules refuse is
// kInvalidArgument naming it.
Result<Saved<Interaction>> record_call(Engine& engine, const Actor& actor, Interaction call, const std::string& phone);

}  // namespace salescore
