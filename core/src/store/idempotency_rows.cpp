#include "store/idempotency_rows.h"

#include "store/row_helpers.h"

namespace salescore::store {

Result<bool> claim_idempotency_key(Connection& c, Id user_id, const std::string& key, const std::string& request_hash,
                                   Instant at) {
  // reply_status 0: claimed, no reply yet. No other transaction ever sees such a row:
  // the reply is kept before the claim commits.
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(
                          "INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, reply_status, "
                          "reply_body, claimed_at) VALUES (?, ?, ?, 0, '', ?) "
                          "ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING user_id")));
  StatementUse use(*s);
  s->bind_all(user_id, key, request_hash, at.ms);
  return s->step();
}

Result<std::optional<KeptRequest>> load_idempotency_key(Connection& c, Id user_id, const std::string& key) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         {"request_hash", "reply_status", "reply_body"}, "idempotency_keys",
                                         "user_id = ? AND idempotency_key = ?"))));
  StatementUse use(*s);
  s->bind_all(user_id, key);
  return map_first<KeptRequest>(*s, [](Statement& row) {
    return KeptRequest{row.column_text(0), KeptReply{static_cast<int>(row.column_int(1)), row.column_text(2)}};
  });
}

Status keep_idempotent_reply(Connection& c, Id user_id, const std::string& key, const KeptReply& reply) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().update(
                                         "idempotency_keys", {"reply_status", "reply_body"},
                                         "user_id = ? AND idempotency_key = ?"))));
  StatementUse use(*s);
  s->bind_all(static_cast<std::int64_t>(reply.status), reply.body, user_id, key);
  return s->run();
}

Status purge_idempotency_keys(Connection& c, Instant claimed_before) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders("DELETE FROM idempotency_keys WHERE claimed_at < ?")));
  StatementUse use(*s);
  s->bind_all(claimed_before.ms);
  return s->run();
}

}  // namespace salescore::store
