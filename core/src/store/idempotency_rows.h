// The kept replies of idempotent requests (idempotency.h), one row per (user, key).
#pragma once

#include <optional>
#include <string>

#include "salescore/idempotency.h"
#include "store/sql.h"

namespace salescore::store {

struct KeptRequest {
  std::string request_hash;
  KeptReply reply;
};

// Claims (user_id, key) for the request: true when the key was free and is now this
// request's; false when a row holds it already (then load it). One INSERT ... ON
// CONFLICT DO NOTHING, so two transactions claiming the same key at once serialize on
// the primary key instead of both finding it free.
Result<bool> claim_idempotency_key(Connection& c, Id user_id, const std::string& key, const std::string& request_hash,
                                   Instant at);
Result<std::optional<KeptRequest>> load_idempotency_key(Connection& c, Id user_id, const std::string& key);
// Keeps the reply of the request that claimed the key.
Status keep_idempotent_reply(Connection& c, Id user_id, const std::string& key, const KeptReply& reply);
// Deletes every key claimed before `claimed_before`.
Status purge_idempotency_keys(Connection& c, Instant claimed_before);

}  // namespace salescore::store
