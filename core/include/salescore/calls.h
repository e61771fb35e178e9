// Calls from a PBX: kept on the client's timeline once, and a missed one never lost.
#pragma once

#include <optional>
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

// Click-to-call: asks the PBX to ring `actor`'s phone and connect them to a client or one
// of its contacts. The actor must be a person who may see the client (the access rules;
// kPermissionDenied otherwise). The number is `phone` if given (it must be one of the
// contact's or client's, kInvalidArgument otherwise), else the contact's first, else the
// client's first. Queues a "call" action for the telephony connector ({"login", "phone",
// "client_id", "contact_id"}; the connector maps the login to the manager's extension)
// under `key`, or one derived from caller, number and minute, so a double click queues one
// call. The outcome is recorded on the timeline as the PBX reports the call.
struct DialRequest {
  Id client_id = 0;
  Id contact_id = 0;
  std::string phone;
  std::string key;
};
struct Dialled {
  std::optional<Id> outbox_id;  // nullopt: the same call was queued already
  std::string phone;            // the number dialled, E.164
};
Result<Dialled> dial(Engine& engine, const Actor& actor, const DialRequest& request);

}  // namespace salescore
