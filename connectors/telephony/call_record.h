// A finished call as the record the host applies (entity "call": an interaction of kind
// call plus the customer's number, which core matches to a client and follows up).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "call.h"
#include "salescore/plugin_api.h"

namespace salescore::telephony {

struct CallRecord {
  std::string external_id;  // the call's key: the same from AMI, CDR and a webhook of one call
  std::string json;
  std::string idempotency_key;  // "call:<key>" for a whole call; "" (content) for one closed without its hangup
  bool skip = false;        // an internal call: no client's timeline to land on
};

// `logins`: extension -> salescore login (a manager with no login is named in the body).
CallRecord call_record(const Call& call, const std::map<std::string, std::string>& logins,
                       std::size_t internal_max_digits);

// "2026-12-07T01:31:17Z" (whole seconds: AMI, CDR and webhooks of one call agree on them).
std::string iso_seconds(std::int64_t ms);
// A number fit for the engine's phone rules: digits with an optional '+', longer than an
// extension; "" for a withheld number ("anonymous", "<unknown>") or an extension.
std::string outside_number(const std::string& raw, std::size_t internal_max_digits);

}  // namespace salescore::telephony

namespace salescore::telephony {
// Hands one call record to the host (entity "call", source "telephony"). A whole call is
// keyed "call:<key>", so the same call from AMI, a CDR import or a webhook retry is
// applied once; one closed by a resync or timeout keeps a content key, so the CDR's
// fuller rows of it still apply.
sc_status emit_call_record(const sc_host_api* api, sc_host* host, const std::string& external_id,
                           const std::string& json, const std::string& idempotency_key);
// Hands `calls` over in one emit_records: the host applies them in one transaction, and
// one at a time only when one of them is refused, so a bad call loses no other. A burst
// of calls costs one commit, not one each (bench/RESULTS.md, telephony). The codes are
// emit_records': SC_RESOURCE_EXHAUSTED or SC_UNAVAILABLE mean none was taken.
sc_status emit_call_records(const sc_host_api* api, sc_host* host, const CallRecord* calls, std::size_t count);
// At most this many calls a hand-over: one transaction stays short for the other writers.
inline constexpr std::size_t kCallsPerHandOver = 500;
}  // namespace salescore::telephony
