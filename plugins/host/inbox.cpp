#include "host/inbox.h"

#include "host/known_skus.h"

#include "salescore/plugin_api.h"

namespace salescore::plugins {
namespace {
// Inside an open transaction: claim the key, then apply (with `parsed` when the record's
// JSON was read already).
Result<InboxOutcome> claim_and_apply(Engine& engine, const Actor& actor, const std::string& connector,
                                     const NormalizedRecord& record, Result<JsonFields>* parsed = nullptr) {
  const auto apply = [&] {
    return parsed ? apply_record(engine, actor, record, std::move(*parsed)) : apply_record(engine, actor, record);
  };
  // A state record is applied as it is: the upsert itself changes nothing the second time.
  if (record.idempotency_key == SC_KEY_STATE) {
    SC_RETURN_IF_ERROR(apply().status());
    return InboxOutcome::kApplied;
  }
  const std::string key = idempotency_key_of(record);
  SC_ASSIGN_OR_RETURN(bool fresh, engine.connectors().claim_inbox(
                                      connector, key, record.entity, record.source, record.external_id,
                                      is_content_key(key) ? ConnectorService::InboxClaim::kLatest
                                                          : ConnectorService::InboxClaim::kOnce));
  if (!fresh) return InboxOutcome::kDuplicate;
  SC_RETURN_IF_ERROR(apply().status());
  return InboxOutcome::kApplied;
}

Result<InboxOutcome> apply_once_with(Engine& engine, const Actor& actor, const std::string& connector,
                                     const NormalizedRecord& record, Result<JsonFields>* parsed) {
  InboxOutcome outcome = InboxOutcome::kApplied;
  Status st = engine.batch([&]() -> Status {
    SC_ASSIGN_OR_RETURN(outcome, claim_and_apply(engine, actor, connector, record, parsed));
    return Status::ok();
  });
  if (!st.is_ok()) return st;
  return outcome;
}
}  // namespace

Result<InboxOutcome> apply_once(Engine& engine, const Actor& actor, const std::string& connector,
                                const NormalizedRecord& record) {
  return apply_once_with(engine, actor, connector, record, nullptr);
}

Result<InboxOutcome> apply_once(Engine& engine, const Actor& actor, const std::string& connector,
                                const NormalizedRecord& record, Result<JsonFields> fields) {
  return apply_once_with(engine, actor, connector, record, &fields);
}

Status apply_all_once(Engine& engine, const Actor& actor, const std::string& connector,
                      const std::vector<NormalizedRecord>& records, int* duplicates) {
  int skipped = 0;
  Status st = engine.batch([&]() -> Status {
    KnownSkus skus;  // products found stay found inside the batch's transaction
    for (const auto& r : records) {
      auto outcome = claim_and_apply(engine, actor, connector, r);
      if (!outcome.ok()) {
        // Among many records, say which one was refused.
        const Status& e = outcome.status();
        return Status(e.code(), r.entity + " " + r.source + "/" + r.external_id + ": " + e.message(), e.fields());
      }
      if (*outcome == InboxOutcome::kDuplicate) ++skipped;
    }
    return Status::ok();
  });
  if (st.is_ok() && duplicates) *duplicates = skipped;
  return st;
}

DeadLetter inbound_dead_letter(const std::string& connector, const NormalizedRecord& record, const Status& error,
                               int attempts) {
  DeadLetter letter;
  letter.connector = connector;
  letter.direction = DeadLetterDirection::kInbound;
  letter.kind = record.entity;
  letter.source = record.source;
  letter.external_id = record.external_id;
  letter.idempotency_key = record.idempotency_key;
  letter.payload = record.json;
  letter.code = error.code();
  letter.reason = error.message();
  letter.attempts = attempts;
  return letter;
}

}  // namespace salescore::plugins
