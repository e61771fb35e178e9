#include "engine/deal_documents.h"

#include <algorithm>
#include <set>

#include "engine/record_writes.h"
#include "store/deal_document_rows.h"
#include "store/deal_rows.h"

namespace salescore::detail {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

std::string how_a_deal_gets(const PipelineConfig& pipeline, const std::string& document) {
  static const std::map<std::string, std::string> kByRecord = {
      {"proposal_sent", "derived from the deal's proposals: send a proposal of this deal"},
      {"proposal_received", "derived from the deal's proposals: record the client's receipt of one"},
      {"contract_signed", "derived from the deal's contracts: sign a contract of this deal"},
      {"discount_approved", "derived from the deal's approvals: ask for a discount and have it granted"},
  };
  if (auto it = kByRecord.find(document); it != kByRecord.end()) return it->second;
  if (is_engine_known_document(document)) return "derived by the engine from the deal's records";
  if (is_attestable_document(pipeline, document)) return "attestable: attest it with the deal's attest operation";
  return "neither derived from records nor attestable at any stage ([pipeline] attestable.<stage>)";
}

Status refresh_deal_documents(EngineState& s, const Actor& actor, Id deal_id) {
  if (deal_id == 0) return Status::ok();
  SC_ASSIGN_OR_RETURN(auto before, store::load_deal(*s.conn, deal_id));
  if (!before) return not_found("deal", deal_id);
  Deal after = *before;
  SC_ASSIGN_OR_RETURN(after.documents, store::derived_documents(*s.conn, deal_id));
  SC_ASSIGN_OR_RETURN(auto outcome, save_if_changed(s, actor, "deal", *before, after, [&](const Deal& d) {
                        return store::update_deal(*s.conn, d);
                      }));
  (void)outcome;
  return Status::ok();
}

void check_written_documents(const PipelineConfig& pipeline, const std::vector<std::string>& has,
                             const std::vector<std::string>& written, FieldErrors& errors) {
  std::set<std::string> differing;
  for (const auto& d : written)
    if (!contains(has, d)) differing.insert(d);
  for (const auto& d : has)
    if (!contains(written, d)) differing.insert(d);
  if (differing.empty()) return;
  std::string problem = "a deal's documents are not written by hand";
  for (const auto& d : differing)
    problem += "; " + (d.empty() ? std::string("(empty name)") : d) + ": " + how_a_deal_gets(pipeline, d);
  errors.add("documents", problem);
}

void check_custom_fields(const PipelineConfig& pipeline, const std::map<std::string, std::string>& custom,
                         FieldErrors& errors) {
  for (const auto& [name, value] : custom)
    if (is_deal_document(pipeline, name))
      errors.add("custom." + name, "is the name of a document, which a custom field cannot stand in for: " +
                                       how_a_deal_gets(pipeline, name));
}

}  // namespace salescore::detail
