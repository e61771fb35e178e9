// Approval requests: deal discounts and visits to key clients asked for directly, the
// decisions on every request, and who may see them. Proposals and contracts open their
// requests through their own services; the shared steps are in approval_flow.cpp.
#include "engine/approval_flow.h"
#include "engine/deal_documents.h"
#include "engine/record_writes.h"
#include "rules/stage_gates.h"
#include "store/approval_rows.h"
#include "store/client_rows.h"
#include "store/deal_rows.h"

namespace salescore {
using namespace detail;

namespace {

Result<Approval> load_or_not_found(EngineState& s, Id id) {
  SC_ASSIGN_OR_RETURN(auto a, store::load_approval(*s.conn, id));
  if (!a) return not_found("approval", id);
  return std::move(*a);
}

// The people a request concerns, and whoever sees the subject's owner's records.
bool may_see(const Scope& scope, const Approval& a) {
  if (scope.everything || scope.owns(a.owner_id)) return true;
  return scope.user_id != 0 && (scope.user_id == a.requester_id || scope.user_id == a.approver_id ||
                                scope.user_id == a.on_behalf_of_id);
}

Result<Approval> decide(EngineState& s, const Actor& actor, Id id, bool approve, const std::string& comment) {
  // A refusal must say what to rework.
  if (!approve) SC_RETURN_IF_ERROR(require_text(comment, "comment", "a rejection"));
  SC_ASSIGN_OR_RETURN(Approval a, load_or_not_found(s, id));
  SC_ASSIGN_OR_RETURN(Scope scope, scope_of(s, actor));
  if (auto why = why_not_decider(scope, a)) return deny(s, actor, "decide", "approval", id, *why);
  if (a.status != ApprovalStatus::kPending)
    return Status::failed_precondition("approval " + std::to_string(id) + " is already " +
                                       approval_status_name(a.status));
  SC_RETURN_IF_ERROR(apply_decision(s, actor, a, approve, comment));
  return a;
}

}  // namespace

Result<Approval> ApprovalService::request_deal_discount(const Actor& actor, Id deal_id, std::int64_t discount_bp,
                                                        const std::string& reason) {
  return write<Approval>(*s_, [&]() -> Result<Approval> {
    FieldErrors errors;
    if (discount_bp <= 0 || discount_bp > 100'00) errors.add("discount_percent", "must be above 0 and at most 100%");
    errors.check("reason", require_text(reason, "reason", "a discount request"));
    SC_RETURN_IF_ERROR(errors.to_status("discount request"));
    SC_ASSIGN_OR_RETURN(auto deal, store::load_deal(*s_->conn, deal_id));
    if (!deal) return not_found("deal", deal_id);
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    if (!scope.covers_owned(deal->owner_id, deal->source))
      return deny(*s_, actor, "ask a discount on", "deal", deal_id);
    if (is_closed_stage(deal->stage))
      return Status::failed_precondition("deal " + std::to_string(deal_id) + " is " + deal->stage);
    TermsUnderReview terms;
    terms.max_discount_bp = discount_bp;
    ApprovalAsk ask;
    ask.subject = ApprovalSubject::kDealDiscount;
    ask.subject_id = deal_id;
    ask.client_id = deal->client_id;
    ask.deal_id = deal_id;
    ask.owner_id = deal->owner_id;
    ask.reason = reason;
    ask.discount_bp = discount_bp;
    SC_ASSIGN_OR_RETURN(Approval a, open_approval(*s_, actor, scope, ask, review_terms(s_->config.approvals, terms)));
    if (a.status == ApprovalStatus::kApproved)
      SC_RETURN_IF_ERROR(refresh_deal_documents(*s_, actor, deal_id));
    return a;
  });
}

Result<Approval> ApprovalService::request_visit(const Actor& actor, Id client_id, Instant at,
                                                const std::string& reason) {
  return write<Approval>(*s_, [&]() -> Result<Approval> {
    FieldErrors errors;
    if (at.ms <= 0) errors.add("visit_at", "required");
    errors.check("reason", require_text(reason, "reason", "a visit request"));
    SC_RETURN_IF_ERROR(errors.to_status("visit request"));
    SC_ASSIGN_OR_RETURN(auto client, store::load_client(*s_->conn, client_id));
    if (!client) return not_found("client", client_id);
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    if (!scope.covers_client(client->owner_id, client->assistant_id, client->source))
      return deny(*s_, actor, "plan a visit to", "client", client_id);
    TermsUnderReview terms;
    terms.vip_visit = client->tier == Tier::kVip;
    ApprovalAsk ask;
    ask.subject = ApprovalSubject::kVisit;
    ask.subject_id = client_id;
    ask.client_id = client_id;
    ask.owner_id = client->owner_id;
    ask.reason = reason;
    ask.visit_at = at;
    return open_approval(*s_, actor, scope, ask, review_terms(s_->config.approvals, terms));
  });
}

Result<Approval> ApprovalService::approve(const Actor& actor, Id id, const std::string& comment) {
  return write<Approval>(*s_, [&] { return decide(*s_, actor, id, true, comment); });
}

Result<Approval> ApprovalService::reject(const Actor& actor, Id id, const std::string& comment) {
  return write<Approval>(*s_, [&] { return decide(*s_, actor, id, false, comment); });
}

Result<Approval> ApprovalService::get(const Actor& actor, Id id) {
  return read<Approval>(*s_, [&]() -> Result<Approval> {
    SC_ASSIGN_OR_RETURN(Approval a, load_or_not_found(*s_, id));
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    if (!may_see(scope, a)) return deny(*s_, actor, "read", "approval", id);
    return a;
  });
}

namespace {
// Their own requests, those addressed to them, and those on records in their scope.
std::string visible_approvals(const detail::Scope& scope) {
  if (scope.everything) return "";
  const std::string me = std::to_string(scope.user_id);
  return "(" + scope.condition("owner_id", "") + " OR requester_id = " + me + " OR approver_id = " + me +
         " OR on_behalf_of_id = " + me + ")";
}
}  // namespace

Result<std::vector<Approval>> ApprovalService::find(const Actor& actor, const ApprovalQuery& query) {
  return read<std::vector<Approval>>(*s_, [&]() -> Result<std::vector<Approval>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::find_approvals(*s_->conn, query, visible_approvals(scope));
  });
}

Result<std::int64_t> ApprovalService::count(const Actor& actor, const ApprovalQuery& query) {
  return read<std::int64_t>(*s_, [&]() -> Result<std::int64_t> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::count_approvals(*s_->conn, query, visible_approvals(scope));
  });
}

}  // namespace salescore
