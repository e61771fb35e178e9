// Applying records exactly once per idempotency key: the inbox row and the domain
// change commit in one transaction, so a crash between them cannot leave a record
// applied but not remembered (applied twice on redelivery) or remembered but not
// applied (lost).
#pragma once

#include <string>
#include <vector>

#include "host/record_apply.h"

namespace salescore::plugins {

enum class InboxOutcome { kApplied, kDuplicate };

// Applies `record` for `connector` unless its key is in the inbox already.
Result<InboxOutcome> apply_once(Engine& engine, const Actor& actor, const std::string& connector,
                                const NormalizedRecord& record);
// The same with the record's JSON parsed already (apply_record's second form).
Result<InboxOutcome> apply_once(Engine& engine, const Actor& actor, const std::string& connector,
                                const NormalizedRecord& record, Result<JsonFields> fields);

// Applies all `records` in one transaction (one commit for a whole page of a poll);
// the first failure rolls all of them back and is returned. `duplicates` counts the
// records skipped as already applied.
Status apply_all_once(Engine& engine, const Actor& actor, const std::string& connector,
                      const std::vector<NormalizedRecord>& records, int* duplicates = nullptr);

// The dead letter of `record`, refused with `error` after `attempts` tries: what the
// record was (to replay it) and why it was refused.
DeadLetter inbound_dead_letter(const std::string& connector, const NormalizedRecord& record, const Status& error,
                               int attempts);

}  // namespace salescore::plugins
