// Idempotent requests: a write sent again under the same key (a web shop's script
// retrying a POST whose reply it never saw) is answered with the first reply and changes
// nothing. The REST API's Idempotency-Key header maps onto this.
//
// A key belongs to the user who sent it and is kept `[api] idempotency_hours` (24 by
// default) in the database, so a restart forgets nothing. The key is claimed, the write
// done and its reply kept in one transaction: two requests with the same key at once
// cannot both apply (the second waits for the first to commit, then gets its reply), and
// a crash cannot leave a write without its kept reply or the other way round.
//
// Thread-safety: as every service of the Engine.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "salescore/model.h"

namespace salescore {

namespace detail {
struct EngineState;
}

// What a request was answered: the protocol's status (HTTP for the REST API) and body.
struct KeptReply {
  int status = 0;
  std::string body;
};

// What IdempotencyService::once gives back.
struct OnceReply {
  KeptReply reply;
  bool replayed = false;  // kept from an earlier request under the same key
};

// The answer of one run of a write: its reply, and whether it was done. A refused write
// (bad input, no access, a rule) is rolled back with everything it did and its key is
// not kept, so the caller may correct the request and send it under the same key.
struct WriteReply {
  KeptReply reply;
  bool done = false;
};

class IdempotencyService {
 public:
  explicit IdempotencyService(detail::EngineState* s) : s_(s) {}

  // At most 255 characters, printable ASCII (space to '~'), not empty: a UUID, a hash,
  // an order number. kInvalidArgument naming "Idempotency-Key" otherwise.
  static Status check_key(std::string_view key);

  // Runs `write` once per (actor, key). `request` is what identifies the request besides
  // the key (the REST API: method, target and body); only its SHA-256 is kept.
  //  - key new (or expired): `write` runs in one transaction with the claim of the key;
  //    a done write commits with its reply kept, a refused one rolls back and keeps nothing;
  //  - key kept for the same request: the kept reply, `replayed`, nothing runs;
  //  - key kept for another request: kFailedPrecondition naming the key.
  // Expired keys are purged in the same transaction.
  Result<OnceReply> once(const Actor& actor, const std::string& key, const std::string& request,
                         const std::function<WriteReply()>& write);

 private:
  detail::EngineState* s_;
};

}  // namespace salescore
