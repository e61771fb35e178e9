// Deals: the pipeline from first contact to won or lost, with stage gates
// (rules/stage_gates.cpp), the time spent in each stage, and the documents people
// attest (the others are derived from records: engine/deal_documents.h).
#include "engine/deal_documents.h"
#include "engine/record_writes.h"
#include "model/json_text.h"
#include "rules/stage_gates.h"
#include "store/client_rows.h"
#include "store/deal_document_rows.h"
#include "store/deal_rows.h"

namespace salescore {
using namespace detail;

namespace {

Status validate_deal(EngineState& s, Deal& d) {
  FieldErrors errors;
  if (d.title.empty()) errors.add("title", "required");
  if (d.stage.empty()) d.stage = s.config.pipeline.stages.front();
  if (d.client_id == 0) {
    errors.add("client_id", "required");
  } else {
    SC_ASSIGN_OR_RETURN(auto owner, store::client_owner(*s.conn, d.client_id));
    if (!owner) errors.add("client_id", "client " + std::to_string(d.client_id) + " does not exist");
    else if (d.owner_id == 0) d.owner_id = *owner;
  }
  if (d.expected_amount.currency.empty()) d.expected_amount.currency = s.config.currency;
  if (!is_currency_code(d.expected_amount.currency))
    errors.add("currency", "'" + d.expected_amount.currency + "' is not an ISO 4217 code");
  if (d.expected_amount.minor < 0) errors.add("expected_amount", "cannot be negative");
  errors.check("owner_id", check_user_exists(s, d.owner_id, "owner_id"));
  check_mandatory(s, errors, "deal", [&](const std::string& f) {
    if (f == "title") return !d.title.empty();
    if (f == "expected_amount") return d.expected_amount.minor != 0;
    if (f == "expected_close") return d.expected_close.has_value();
    if (f == "owner" || f == "owner_id") return d.owner_id != 0;
    return false;
  });
  return errors.to_status("deal");
}

Result<Deal> load_or_not_found(EngineState& s, Id id) {
  SC_ASSIGN_OR_RETURN(auto d, store::load_deal(*s.conn, id));
  if (!d) return not_found("deal", id);
  return std::move(*d);
}

Status check_covers(EngineState& s, const Actor& actor, const Scope& scope, const Deal& d, const char* action) {
  if (scope.covers_owned(d.owner_id, d.source)) return Status::ok();
  return deny(s, actor, action, "deal", d.id);
}

// Everything but the documents, which the engine derives (deal_documents.h).
void apply(const DealPatch& p, Deal& d) {
  if (p.title) d.title = *p.title;
  if (p.stage) d.stage = *p.stage;
  if (p.lost_reason) d.lost_reason = *p.lost_reason;
  if (p.expected_amount) {
    // An amount given without a currency keeps the deal's own currency.
    d.expected_amount.minor = p.expected_amount->minor;
    if (!p.expected_amount->currency.empty()) d.expected_amount.currency = p.expected_amount->currency;
  }
  if (p.expected_close) d.expected_close = *p.expected_close;
  if (p.owner_id) d.owner_id = *p.owner_id;
  if (p.custom) d.custom = *p.custom;
}

// The one path every change of a deal takes: access, validation, the stage gate, the
// stage history, and the event.
Result<Saved<Deal>> change(EngineState& s, const Actor& actor, Id id, const DealPatch& patch) {
  SC_ASSIGN_OR_RETURN(Deal before, load_or_not_found(s, id));
  SC_ASSIGN_OR_RETURN(Scope scope, scope_of(s, actor));
  SC_RETURN_IF_ERROR(check_covers(s, actor, scope, before, "change"));
  Deal after = before;
  apply(patch, after);
  // The gate below reads the documents as the records give them now, whatever the
  // stored list says.
  SC_ASSIGN_OR_RETURN(after.documents, store::derived_documents(*s.conn, id));
  FieldErrors written;
  if (patch.documents) check_written_documents(s.config.pipeline, after.documents, *patch.documents, written);
  if (patch.custom) check_custom_fields(s.config.pipeline, *patch.custom, written);
  SC_RETURN_IF_ERROR(written.to_status("deal"));
  if (after.owner_id != before.owner_id && !scope.owns(after.owner_id))
    return deny(s, actor, "hand over", "deal", id, "the new owner is outside your team");
  SC_RETURN_IF_ERROR(validate_deal(s, after));
  SC_RETURN_IF_ERROR(check_stage_move(s.config.pipeline, scope, before, after));
  if (after.stage != "lost") after.lost_reason.clear();
  const bool moved = after.stage != before.stage;
  if (moved) after.stage_changed_at = s.now();
  SC_ASSIGN_OR_RETURN(auto outcome, save_if_changed(s, actor, "deal", before, after, [&](const Deal& d) {
                        return store::update_deal(*s.conn, d);
                      }));
  if (moved) {
    SC_RETURN_IF_ERROR(store::enter_stage(*s.conn, id, after.stage, after.stage_changed_at));
    SC_RETURN_IF_ERROR(append_event(s, actor, "deal." + std::string(after.stage == "won"    ? "won"
                                                                     : after.stage == "lost" ? "lost"
                                                                                             : "stage_changed"),
                                    "deal", id,
                                    "{\"from\":\"" + before.stage + "\",\"to\":\"" + after.stage + "\"}"));
  }
  return Saved<Deal>{std::move(after), outcome, {}};
}

}  // namespace

Result<Saved<Deal>> DealService::add(const Actor& actor, Deal deal) {
  return write<Saved<Deal>>(*s_, [&]() -> Result<Saved<Deal>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    if (deal.owner_id == 0 && scope.role == Role::kManager) deal.owner_id = scope.user_id;
    // A new deal has no records yet, so no documents.
    FieldErrors written;
    check_written_documents(s_->config.pipeline, {}, deal.documents, written);
    check_custom_fields(s_->config.pipeline, deal.custom, written);
    SC_RETURN_IF_ERROR(written.to_status("deal"));
    SC_RETURN_IF_ERROR(validate_deal(*s_, deal));
    if (!scope.covers_owned(deal.owner_id, deal.source)) return deny(*s_, actor, "create", "deal", 0);
    // Credited to oneself or not, a deal on a colleague's client is not one's to open.
    SC_ASSIGN_OR_RETURN(bool client_ok, may_refer_to_client(*s_, scope, deal.client_id, deal.source));
    if (!client_ok)
      return deny(*s_, actor, "create", "deal", 0,
                  "client " + std::to_string(deal.client_id) + " is not one of your clients");
    // A deal starts where the pipeline starts; later stages are reached through their gates.
    if (deal.stage != s_->config.pipeline.stages.front()) {
      Deal start = deal;
      start.stage = s_->config.pipeline.stages.front();
      SC_RETURN_IF_ERROR(check_stage_move(s_->config.pipeline, scope, start, deal));
    }
    deal.created_at = deal.updated_at = deal.stage_changed_at = s_->now();
    SC_ASSIGN_OR_RETURN(deal.id, store::insert_deal(*s_->conn, deal));
    SC_RETURN_IF_ERROR(store::enter_stage(*s_->conn, deal.id, deal.stage, deal.created_at));
    SC_RETURN_IF_ERROR(log_created(*s_, actor, "deal", deal));
    return Saved<Deal>{std::move(deal), WriteOutcome::kCreated, {}};
  });
}

Result<Deal> DealService::get(const Actor& actor, Id id) {
  return read<Deal>(*s_, [&]() -> Result<Deal> {
    SC_ASSIGN_OR_RETURN(Deal d, load_or_not_found(*s_, id));
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    SC_RETURN_IF_ERROR(check_covers(*s_, actor, scope, d, "read"));
    return d;
  });
}

Result<Saved<Deal>> DealService::update(const Actor& actor, Id id, const DealPatch& patch) {
  return write<Saved<Deal>>(*s_, [&] { return change(*s_, actor, id, patch); });
}

Result<Saved<Deal>> DealService::advance(const Actor& actor, Id id, const std::string& stage, const DealPatch& with) {
  DealPatch patch = with;
  patch.stage = stage;
  return write<Saved<Deal>>(*s_, [&] { return change(*s_, actor, id, patch); });
}

Result<Saved<Deal>> DealService::lose(const Actor& actor, Id id, const std::string& reason) {
  DealPatch patch;
  patch.stage = "lost";
  patch.lost_reason = reason;
  return write<Saved<Deal>>(*s_, [&] { return change(*s_, actor, id, patch); });
}

Result<std::vector<Deal>> DealService::find(const Actor& actor, const DealQuery& query) {
  return read<std::vector<Deal>>(*s_, [&]() -> Result<std::vector<Deal>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::find_deals(*s_->conn, query, scope.condition("owner_id", "source"));
  });
}

Result<std::int64_t> DealService::count(const Actor& actor, const DealQuery& query) {
  return read<std::int64_t>(*s_, [&]() -> Result<std::int64_t> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::count_deals(*s_->conn, query, scope.condition("owner_id", "source"));
  });
}

Result<std::vector<StageVisit>> DealService::stage_history(const Actor& actor, Id id) {
  return read<std::vector<StageVisit>>(*s_, [&]() -> Result<std::vector<StageVisit>> {
    SC_ASSIGN_OR_RETURN(Deal d, load_or_not_found(*s_, id));
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    SC_RETURN_IF_ERROR(check_covers(*s_, actor, scope, d, "read"));
    return store::stage_visits(*s_->conn, id);
  });
}

Result<Saved<Deal>> DealService::attest_document(const Actor& actor, Id id, const std::string& document,
                                                 const std::string& note) {
  return write<Saved<Deal>>(*s_, [&]() -> Result<Saved<Deal>> {
    SC_ASSIGN_OR_RETURN(Deal deal, load_or_not_found(*s_, id));
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    SC_RETURN_IF_ERROR(check_covers(*s_, actor, scope, deal, "attest a document of"));
    const PipelineConfig& pipeline = s_->config.pipeline;
    FieldErrors errors;
    if (document.empty())
      errors.add("document", "required");
    else if (is_engine_known_document(document) || !is_attestable_document(pipeline, document))
      errors.add("document", document + " cannot be attested: " + how_a_deal_gets(pipeline, document));
    SC_RETURN_IF_ERROR(errors.to_status("attestation"));
    if (is_closed_stage(deal.stage))
      return Status::failed_precondition("deal " + std::to_string(id) + " is " + deal.stage +
                                         ": its documents no longer change");
    SC_ASSIGN_OR_RETURN(bool already, store::is_attested(*s_->conn, id, document));
    if (already) return Saved<Deal>{std::move(deal), WriteOutcome::kUnchanged, {}};
    DocumentAttestation attestation;
    attestation.deal_id = id;
    attestation.document = document;
    attestation.attested_by = actor.user_id;
    attestation.note = note;
    attestation.attested_at = s_->now();
    SC_RETURN_IF_ERROR(store::insert_attestation(*s_->conn, attestation).status());
    SC_RETURN_IF_ERROR(append_event(*s_, actor, "deal.document_attested", "deal", id,
                                    "{\"document\":" + json_string(document) + ",\"note\":" + json_string(note) +
                                        ",\"attested_by\":" + std::to_string(actor.user_id) + "}"));
    SC_RETURN_IF_ERROR(refresh_deal_documents(*s_, actor, id));
    SC_ASSIGN_OR_RETURN(Deal attested, load_or_not_found(*s_, id));
    return Saved<Deal>{std::move(attested), WriteOutcome::kUpdated, {}};
  });
}

Result<std::vector<DocumentAttestation>> DealService::attestations(const Actor& actor, const AttestationQuery& query) {
  return read<std::vector<DocumentAttestation>>(*s_, [&]() -> Result<std::vector<DocumentAttestation>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::find_attestations(*s_->conn, query, scope.condition("d.owner_id", "d.source"));
  });
}

}  // namespace salescore
