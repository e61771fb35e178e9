// Contracts: drafted, approved when their amount or terms go beyond the signer's
// authority, signed (which the deal's "won" gate needs), and expired by the timers
// (engine/approval_flow.cpp) or terminated.
#include "engine/approval_flow.h"
#include "engine/deal_documents.h"
#include "engine/record_writes.h"
#include "model/json_text.h"
#include "store/client_rows.h"
#include "store/contract_rows.h"
#include "store/deal_rows.h"

namespace salescore {
using namespace detail;

namespace {

Status validate_contract(EngineState& s, Contract& k) {
  FieldErrors errors;
  if (k.client_id == 0) {
    errors.add("client_id", "required");
  } else {
    SC_ASSIGN_OR_RETURN(auto owner, store::client_owner(*s.conn, k.client_id));
    if (!owner) errors.add("client_id", "client " + std::to_string(k.client_id) + " does not exist");
    else if (k.owner_id == 0) k.owner_id = *owner;
  }
  if (k.deal_id) {
    SC_ASSIGN_OR_RETURN(auto deal, store::load_deal(*s.conn, k.deal_id));
    if (!deal) errors.add("deal_id", "deal " + std::to_string(k.deal_id) + " does not exist");
    else if (deal->client_id != k.client_id)
      errors.add("deal_id", "deal " + std::to_string(k.deal_id) + " is with another client");
  }
  if (k.number.find_first_not_of(' ') == std::string::npos) errors.add("number", "required");
  if (k.amount.currency.empty()) k.amount.currency = s.config.currency;
  if (!is_currency_code(k.amount.currency))
    errors.add("currency", "'" + k.amount.currency + "' is not an ISO 4217 code");
  if (k.amount.minor < 0) errors.add("amount", "cannot be negative");
  if (k.deferral_days < 0) errors.add("deferral_days", "cannot be negative");
  if (k.valid_from && k.valid_to && *k.valid_to <= *k.valid_from) errors.add("valid_to", "must be after valid_from");
  errors.check("owner_id", check_user_exists(s, k.owner_id, "owner_id"));
  SC_RETURN_IF_ERROR(errors.to_status("contract"));
  SC_ASSIGN_OR_RETURN(auto same_number, store::contract_id_by_number(*s.conn, k.number));
  if (same_number && *same_number != k.id)
    return Status::already_exists("contract number '" + k.number + "' is taken by contract " +
                                      std::to_string(*same_number),
                                  {{"number", "taken"}});
  return Status::ok();
}

Result<Contract> load_covered(EngineState& s, const Actor& actor, Id id, const char* action, Scope& scope) {
  SC_ASSIGN_OR_RETURN(auto k, store::load_contract(*s.conn, id));
  if (!k) return not_found("contract", id);
  SC_ASSIGN_OR_RETURN(scope, scope_of(s, actor));
  if (!scope.covers_owned(k->owner_id, "")) return deny(s, actor, action, "contract", id);
  return std::move(*k);
}

TermsUnderReview terms_of(const Contract& k) {
  TermsUnderReview t;
  t.contract_amount_minor = k.amount.minor;
  t.deferral_days = k.deferral_days;
  t.special_terms = !k.special_terms.empty();
  return t;
}

std::string label(const Contract& k) { return "contract " + std::to_string(k.id) + " (" + k.number + ")"; }

// Saves one step of the contract's way and logs "contract.<step>". Signing and
// terminating change what the deal's contract_signed derives from, so it is derived again.
Status save_step(EngineState& s, const Actor& actor, const Contract& before, Contract& after, const std::string& step,
                 const std::string& payload = "{}") {
  SC_ASSIGN_OR_RETURN(auto outcome, save_if_changed(s, actor, "contract", before, after, [&](const Contract& k) {
                        return store::update_contract(*s.conn, k);
                      }));
  (void)outcome;
  SC_RETURN_IF_ERROR(append_event(s, actor, "contract." + step, "contract", after.id, payload));
  return refresh_deal_documents(s, actor, after.deal_id);
}

Status refuse_on_approval(const Contract& k) {
  return Status(Code::kFailedPrecondition,
                label(k) + " awaits the decision on approval " + std::to_string(k.approval_id), {},
                "approval_required");
}

}  // namespace

Result<Saved<Contract>> ContractService::add(const Actor& actor, Contract k) {
  return write<Saved<Contract>>(*s_, [&]() -> Result<Saved<Contract>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    k.id = 0;
    k.status = ContractStatus::kDraft;
    k.approved = false;
    k.approval_id = 0;
    k.signed_at.reset();
    k.termination_reason.clear();
    SC_RETURN_IF_ERROR(validate_contract(*s_, k));
    SC_ASSIGN_OR_RETURN(bool client_ok, covers_client_id(*s_, scope, k.client_id));
    if (!client_ok || !scope.covers_owned(k.owner_id, "")) return deny(*s_, actor, "create", "contract", 0);
    k.created_at = k.updated_at = s_->now();
    SC_ASSIGN_OR_RETURN(k.id, store::insert_contract(*s_->conn, k));
    SC_RETURN_IF_ERROR(log_created(*s_, actor, "contract", k));
    return Saved<Contract>{std::move(k), WriteOutcome::kCreated, {}};
  });
}

Result<Contract> ContractService::get(const Actor& actor, Id id) {
  return read<Contract>(*s_, [&]() -> Result<Contract> {
    Scope scope;
    return load_covered(*s_, actor, id, "read", scope);
  });
}

Result<Saved<Contract>> ContractService::update(const Actor& actor, Id id, const ContractPatch& patch) {
  return write<Saved<Contract>>(*s_, [&]() -> Result<Saved<Contract>> {
    Scope scope;
    SC_ASSIGN_OR_RETURN(Contract before, load_covered(*s_, actor, id, "change", scope));
    if (before.status == ContractStatus::kOnApproval) return refuse_on_approval(before);
    if (before.status != ContractStatus::kDraft)
      return Status::failed_precondition(label(before) + " is " + contract_status_name(before.status) +
                                         "; a signed contract changes by a new contract or an addendum");
    Contract after = before;
    if (patch.type) after.type = *patch.type;
    if (patch.number) after.number = *patch.number;
    if (patch.special_terms) after.special_terms = *patch.special_terms;
    if (patch.risk_note) after.risk_note = *patch.risk_note;
    if (patch.deal_id) after.deal_id = *patch.deal_id;
    if (patch.amount) {
      after.amount.minor = patch.amount->minor;
      if (!patch.amount->currency.empty()) after.amount.currency = patch.amount->currency;
    }
    if (patch.deferral_days) after.deferral_days = *patch.deferral_days;
    if (patch.valid_from) after.valid_from = *patch.valid_from;
    if (patch.valid_to) after.valid_to = *patch.valid_to;
    SC_RETURN_IF_ERROR(validate_contract(*s_, after));
    // The approval was for the old terms.
    if (!changed_fields_json(fields_of(before), fields_of(after)).empty()) after.approved = false;
    SC_ASSIGN_OR_RETURN(auto outcome, save_if_changed(*s_, actor, "contract", before, after, [&](const Contract& k) {
                          return store::update_contract(*s_->conn, k);
                        }));
    return Saved<Contract>{std::move(after), outcome, {}};
  });
}

Result<Approval> ContractService::request_approval(const Actor& actor, Id id, const std::string& reason) {
  return write<Approval>(*s_, [&]() -> Result<Approval> {
    SC_RETURN_IF_ERROR(require_text(reason, "reason", "an approval request"));
    Scope scope;
    SC_ASSIGN_OR_RETURN(Contract k, load_covered(*s_, actor, id, "ask approval for", scope));
    if (k.status == ContractStatus::kOnApproval) return refuse_on_approval(k);
    if (k.status != ContractStatus::kDraft)
      return Status::failed_precondition(label(k) + " is " + contract_status_name(k.status) +
                                         "; approval is asked for a draft");
    // The approver weighs the risk, so it travels with the request.
    SC_RETURN_IF_ERROR(require_text(k.risk_note, "risk_note", "a contract sent for approval"));
    MatrixFindings findings = review_terms(s_->config.approvals, terms_of(k));
    if (!needs_approval(findings, scope))
      return Status::failed_precondition(label(k) + " needs no approval: its terms are within your authority");
    ApprovalAsk ask;
    ask.subject = ApprovalSubject::kContract;
    ask.subject_id = k.id;
    ask.client_id = k.client_id;
    ask.deal_id = k.deal_id;
    ask.owner_id = k.owner_id;
    ask.reason = reason;
    SC_ASSIGN_OR_RETURN(Approval a, open_approval(*s_, actor, scope, ask, findings));
    Contract before = k;
    k.status = ContractStatus::kOnApproval;
    k.approval_id = a.id;
    k.approved = false;
    SC_RETURN_IF_ERROR(save_step(*s_, actor, before, k, "approval_requested",
                                 "{\"approval_id\":" + std::to_string(a.id) +
                                     ",\"approver_id\":" + std::to_string(a.approver_id) +
                                     ",\"rules\":" + json_of(a.rules) + "}"));
    return a;
  });
}

Result<Contract> ContractService::sign(const Actor& actor, Id id, std::optional<Instant> at) {
  return write<Contract>(*s_, [&]() -> Result<Contract> {
    Scope scope;
    SC_ASSIGN_OR_RETURN(Contract k, load_covered(*s_, actor, id, "sign", scope));
    if (k.status == ContractStatus::kOnApproval) return refuse_on_approval(k);
    if (k.status != ContractStatus::kDraft)
      return Status::failed_precondition(label(k) + " is already " + contract_status_name(k.status));
    MatrixFindings findings = review_terms(s_->config.approvals, terms_of(k));
    if (needs_approval(findings, scope) && !k.approved)
      return Status(Code::kFailedPrecondition, label(k) + " needs approval before it is signed: " + findings.summary(),
                    findings.found, "approval_required");
    const Instant now = s_->now();
    const Instant when = at.value_or(now);
    if (when > now)
      return Status::invalid("a contract cannot be signed in the future", {{"signed_at", "in the future"}});
    if (k.valid_to && *k.valid_to <= now)
      return Status(Code::kFailedPrecondition, label(k) + " was valid until " + format_iso8601(*k.valid_to),
                    {{"valid_to", "already passed"}});
    Contract before = k;
    k.status = ContractStatus::kSigned;
    k.signed_at = when;
    SC_RETURN_IF_ERROR(save_step(*s_, actor, before, k, "signed",
                                 "{\"signed_at\":\"" + format_iso8601(when) + "\",\"deal_id\":" +
                                     std::to_string(k.deal_id) + "}"));
    return k;
  });
}

Result<Contract> ContractService::terminate(const Actor& actor, Id id, const std::string& reason) {
  return write<Contract>(*s_, [&]() -> Result<Contract> {
    SC_RETURN_IF_ERROR(require_text(reason, "reason", "a terminated contract"));
    Scope scope;
    SC_ASSIGN_OR_RETURN(Contract k, load_covered(*s_, actor, id, "terminate", scope));
    if (k.status == ContractStatus::kExpired || k.status == ContractStatus::kTerminated)
      return Status::failed_precondition(label(k) + " is already " + contract_status_name(k.status));
    if (k.status == ContractStatus::kOnApproval)
      SC_RETURN_IF_ERROR(cancel_approval(*s_, actor, k.approval_id, "the contract was terminated: " + reason));
    Contract before = k;
    k.status = ContractStatus::kTerminated;
    k.termination_reason = reason;
    SC_RETURN_IF_ERROR(save_step(*s_, actor, before, k, "terminated", "{\"reason\":" + json_string(reason) + "}"));
    return k;
  });
}

Result<std::vector<Contract>> ContractService::find(const Actor& actor, const ContractQuery& query) {
  return read<std::vector<Contract>>(*s_, [&]() -> Result<std::vector<Contract>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::find_contracts(*s_->conn, query, scope.condition("owner_id", ""));
  });
}

Result<std::int64_t> ContractService::count(const Actor& actor, const ContractQuery& query) {
  return read<std::int64_t>(*s_, [&]() -> Result<std::int64_t> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::count_contracts(*s_->conn, query, scope.condition("owner_id", ""));
  });
}

}  // namespace salescore
