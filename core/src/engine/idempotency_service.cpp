// Idempotent requests: the key's claim, the write and its kept reply in one transaction.
#include "engine/record_writes.h"
#include "rules/access.h"
#include "salescore/tokens.h"
#include "store/idempotency_rows.h"

namespace salescore {
using namespace detail;

namespace {

constexpr std::size_t kMaxKeyChars = 255;
constexpr const char* kKeyField = "Idempotency-Key";
constexpr std::int64_t kMsPerHour = 3'600'000;

Status key_problem(const std::string& problem) {
  return Status::invalid("Idempotency-Key: " + problem, {{kKeyField, problem}});
}

}  // namespace

Status IdempotencyService::check_key(std::string_view key) {
  if (key.empty()) return key_problem("empty: send 1 to 255 printable ASCII characters, or no header");
  if (key.size() > kMaxKeyChars)
    return key_problem("longer than 255 characters (" + std::to_string(key.size()) + ")");
  for (char c : key)
    if (c < ' ' || c > '~') return key_problem("only printable ASCII characters (space to '~') are allowed");
  return Status::ok();
}

Result<OnceReply> IdempotencyService::once(const Actor& actor, const std::string& key, const std::string& request,
                                           const std::function<WriteReply()>& write) {
  SC_RETURN_IF_ERROR(check_key(key));
  // The same SHA-256 hex as a token's: a fixed-size stand-in for the request's text.
  const std::string request_hash = token_hash(request);
  OnceReply out;
  bool refused = false;
  Status st = in_write_tx(*s_, [&]() -> Status {
    SC_RETURN_IF_ERROR(scope_of(*s_, actor).status());  // a deactivated user keeps no keys either
    const Instant now = s_->now();
    SC_RETURN_IF_ERROR(store::purge_idempotency_keys(
        *s_->conn, Instant{now.ms - static_cast<std::int64_t>(s_->config.idempotency_hours) * kMsPerHour}));
    SC_ASSIGN_OR_RETURN(bool claimed, store::claim_idempotency_key(*s_->conn, actor.user_id, key, request_hash, now));
    if (!claimed) {
      SC_ASSIGN_OR_RETURN(auto kept, store::load_idempotency_key(*s_->conn, actor.user_id, key));
      if (!kept) return Status::internal("idempotency key '" + key + "' was claimed and is gone");
      if (kept->request_hash != request_hash)
        return Status(Code::kFailedPrecondition,
                      "Idempotency-Key '" + key + "' was used for another request within the last " +
                          std::to_string(s_->config.idempotency_hours) + " h: a new request needs a new key",
                      {{kKeyField, "used for another request"}});
      out.reply = std::move(kept->reply);
      out.replayed = true;
      return Status::ok();
    }
    WriteReply written = write();
    out.reply = std::move(written.reply);
    if (!written.done) {
      refused = true;  // roll back the claim with whatever the refused write did
      return Status::failed_precondition("refused");
    }
    return store::keep_idempotent_reply(*s_->conn, actor.user_id, key, out.reply);
  });
  if (refused) return out;
  if (!st.is_ok()) return st;
  return out;
}

}  // namespace salescore
