// The records behind a deal's documents (a sent proposal, a signed contract, a granted
// discount) and the documents people attested.
#pragma once
#include <string>
#include <vector>

#include "salescore/engine.h"
#include "store/sql.h"

namespace salescore::store {

// The engine-known documents (config.h) that a record of deal `deal_id` backs now, in
// the order engine_known_documents() lists them.
Result<std::vector<std::string>> documents_backed_by_records(Connection& c, Id deal_id);

// The deal's documents as its records and attestations give them now: the engine-known
// ones a record backs, then the attested ones, oldest first. What a deal's documents
// column holds (engine/deal_documents.h).
Result<std::vector<std::string>> derived_documents(Connection& c, Id deal_id);
// Whether `document` is attested on the deal already.
Result<bool> is_attested(Connection& c, Id deal_id, const std::string& document);
Result<Id> insert_attestation(Connection& c, const DocumentAttestation& a);
// `visible`: an extra SQL condition over the deals table (alias d) from the access scope.
Result<std::vector<DocumentAttestation>> find_attestations(Connection& c, const AttestationQuery& q,
                                                           const std::string& visible = "");

// Migration 15's data step: every deal's documents derived again from its records; a
// name typed onto a deal that no record backs is kept as attested by the migration
// (attested_by unknown, `at`), so the deal passes the gates it passed before until a
// head reviews it.
Status derive_documents_of_every_deal(Connection& c, Instant at);

}  // namespace salescore::store
