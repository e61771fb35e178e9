// Rows of the connector runtime: inbox keys, connector state, outbox, dead letters.
#pragma once
#include <optional>
#include <vector>

#include "salescore/connectors.h"
#include "store/sql.h"

namespace salescore::store {
Result<bool> inbox_has(Connection& c, const std::string& connector, const std::string& key);
// Forgets the connector's keys of records applied before `before`.
Status prune_inbox(Connection& c, const std::string& connector, Instant before);
Status update_runtime_state(Connection& c, const std::string& connector, const std::string& state,
                            const std::string& reason, Instant at);
Status update_operator_request(Connection& c, const std::string& connector, const std::string& request, Instant at);
// "" when there is none (or no state row).
Result<std::string> operator_request_of(Connection& c, const std::string& connector);
// The key claimed last for a record (entity, source, external_id), if any.
Result<std::optional<std::string>> latest_inbox_key(Connection& c, const std::string& connector,
                                                    const std::string& entity, const std::string& source,
                                                    const std::string& external_id);
Status delete_inbox_key(Connection& c, const std::string& connector, const std::string& key);
Status insert_inbox(Connection& c, const std::string& connector, const std::string& key, const std::string& entity,
                    const std::string& source, const std::string& external_id, Instant at);

Result<std::optional<ConnectorState>> load_connector_state(Connection& c, const std::string& connector);
// Creates the state row when it is missing, so the updates below always find one.
Status ensure_connector_state(Connection& c, const std::string& connector, Instant at);
Status update_checkpoint(Connection& c, const std::string& connector, const std::string& checkpoint, Instant at);
Status update_event_offset(Connection& c, const std::string& connector, std::int64_t seq, Instant at);
Status update_last_success(Connection& c, const std::string& connector, Instant success_at);
Status update_last_error(Connection& c, const std::string& connector, const std::string& message, Instant at);

Result<std::optional<Id>> pending_outbox_id(Connection& c, const std::string& connector, const std::string& key);
Result<Id> insert_outbox(Connection& c, const OutboxItem& item);
Result<std::vector<OutboxItem>> due_outbox(Connection& c, const std::string& connector, Instant now, int limit);
// Claims up to `limit` due items for `holder` until `lease_until` (see migration 25).
Result<std::vector<OutboxItem>> claim_due_outbox(Connection& c, const std::string& connector, Instant now, int limit,
                                                 const std::string& holder, Instant lease_until);
// Gives back the items `holder` claimed and did not deliver.
Status release_outbox_claims(Connection& c, const std::string& connector, const std::string& holder);
// Gives back every claim on `connector`'s items that `holder` did not make.
Status release_other_outbox_claims(Connection& c, const std::string& connector, const std::string& holder);
Result<std::optional<OutboxItem>> load_outbox(Connection& c, Id id);
Result<std::int64_t> count_outbox(Connection& c, const std::string& connector);
Status delete_outbox(Connection& c, Id id);
Status update_outbox_attempt(Connection& c, Id id, int attempts, Instant next_attempt_at, const std::string& error);
Status link_outbox_to_dead_letter(Connection& c, Id item_id, Id dead_letter_id);
Result<std::optional<Id>> outbox_item_of_dead_letter(Connection& c, Id dead_letter_id);

Result<Id> insert_dead_letter(Connection& c, const DeadLetter& d);
// The open letter of the same inbound record refused for the same reason, if any.
Result<std::optional<Id>> open_letter_for_same_record(Connection& c, const DeadLetter& d);
Result<std::vector<DeadLetter>> find_dead_letters(Connection& c, const DeadLetterQuery& q);
Result<std::optional<DeadLetter>> load_dead_letter(Connection& c, Id id);
Result<std::int64_t> count_open_dead_letters(Connection& c, const std::string& connector);
Status update_dead_letter_replayed(Connection& c, Id id, Instant at);
Status count_failed_replay(Connection& c, Id id);
Status insert_replay_attempt(Connection& c, Id dead_letter_id, const ReplayAttempt& attempt);

// (source, external_id) -> id for the tables keyed that way.
Result<std::optional<Id>> id_by_source_key(Connection& c, const std::string& entity, const std::string& source,
                                           const std::string& external_id);
}  // namespace salescore::store
