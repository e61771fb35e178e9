// A deal's documents: derived from the deal's records, or attested by a person.
//
// Why the documents column is kept (rather than computed only when a gate is checked):
// readers (the API, Python, exports, the event log) show a deal's documents without
// querying its proposals, contracts and approvals each time. So that the column cannot
// drift from the records, it is written by one function, refresh_deal_documents, from
// the records and the attestations. Every engine path that changes a backing record
// calls it, and every change of a deal (each gate check included) derives the list
// again first. No caller's list is ever stored.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/engine_state.h"
#include "engine/field_errors.h"

namespace salescore::detail {

// Writes the deal's documents again from its records after one of them changed (a
// proposal sent or received, a contract signed or terminated, a discount granted), as a
// plain change of the deal: its updated event shows the documents that came or went.
// deal_id 0 (a record without a deal) does nothing.
Status refresh_deal_documents(EngineState& s, const Actor& actor, Id deal_id);

// A caller's list of documents (a deal's create or update) is refused unless it names
// exactly what the deal has: the error names each document that differs and how the
// deal gets it (the record that backs it, or attest_document).
void check_written_documents(const PipelineConfig& pipeline, const std::vector<std::string>& has,
                             const std::vector<std::string>& written, FieldErrors& errors);

// How a deal gets `document`: the record that backs it, or that it is attested.
std::string how_a_deal_gets(const PipelineConfig& pipeline, const std::string& document);

// A custom field named after a document would pass the gate that asks for the document:
// such names are refused ("custom.<name>").
void check_custom_fields(const PipelineConfig& pipeline, const std::map<std::string, std::string>& custom,
                         FieldErrors& errors);

}  // namespace salescore::detail
