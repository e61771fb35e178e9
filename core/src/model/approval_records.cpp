// Names of the proposal, approval and contract enumerations, and their records as
// field lists (event payloads, changed fields, exports).
#include "model/enum_names.h"
#include "model/json_text.h"
#include "salescore/approvals.h"

namespace salescore {
namespace {

constexpr std::array<std::pair<ProposalKind, const char*>, 2> kProposalKinds{
    {{ProposalKind::kStandard, "standard"}, {ProposalKind::kIndividual, "individual"}}};
constexpr std::array<std::pair<ProposalStatus, const char*>, 8> kProposalStatuses{
    {{ProposalStatus::kDraft, "draft"},
     {ProposalStatus::kApprovalRequested, "approval_requested"},
     {ProposalStatus::kApproved, "approved"},
     {ProposalStatus::kRejected, "rejected"},
     {ProposalStatus::kSent, "sent"},
     {ProposalStatus::kReceived, "received"},
     {ProposalStatus::kAccepted, "accepted"},
     {ProposalStatus::kDeclined, "declined"}}};
constexpr std::array<std::pair<ApprovalSubject, const char*>, 4> kApprovalSubjects{
    {{ApprovalSubject::kProposal, "proposal"},
     {ApprovalSubject::kContract, "contract"},
     {ApprovalSubject::kDealDiscount, "deal_discount"},
     {ApprovalSubject::kVisit, "visit"}}};
constexpr std::array<std::pair<ApprovalStatus, const char*>, 4> kApprovalStatuses{
    {{ApprovalStatus::kPending, "pending"},
     {ApprovalStatus::kApproved, "approved"},
     {ApprovalStatus::kRejected, "rejected"},
     {ApprovalStatus::kCancelled, "cancelled"}}};
constexpr std::array<std::pair<ContractType, const char*>, 3> kContractTypes{
    {{ContractType::kSale, "sale"}, {ContractType::kSupply, "supply"}, {ContractType::kDistribution, "distribution"}}};
constexpr std::array<std::pair<ContractStatus, const char*>, 5> kContractStatuses{
    {{ContractStatus::kDraft, "draft"},
     {ContractStatus::kOnApproval, "on_approval"},
     {ContractStatus::kSigned, "signed"},
     {ContractStatus::kExpired, "expired"},
     {ContractStatus::kTerminated, "terminated"}}};

std::string lines_json(const std::vector<ProposalLine>& lines) {
  std::string out = "[";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const ProposalLine& l = lines[i];
    if (i) out += ',';
    out += "{\"sku\":" + json_string(l.sku);
    if (l.product_id) out += ",\"product_id\":" + std::to_string(l.product_id);
    if (!l.name.empty()) out += ",\"name\":" + json_string(l.name);
    out += ",\"quantity\":\"" + format_quantity(l.quantity) + "\",\"price\":\"" + format_amount(l.price_minor) +
           "\",\"discount_percent\":\"" + format_amount(l.discount_bp) + "\",\"amount\":\"" +
           format_amount(l.amount_minor) + "\"}";
  }
  return out + "]";
}

}  // namespace

const char* proposal_kind_name(ProposalKind k) { return detail::name_of(kProposalKinds, k); }
Result<ProposalKind> parse_proposal_kind(std::string_view n) {
  return detail::parse_from(kProposalKinds, n, "proposal kind");
}
const char* proposal_status_name(ProposalStatus s) { return detail::name_of(kProposalStatuses, s); }
Result<ProposalStatus> parse_proposal_status(std::string_view n) {
  return detail::parse_from(kProposalStatuses, n, "proposal status");
}
const char* approval_subject_name(ApprovalSubject s) { return detail::name_of(kApprovalSubjects, s); }
Result<ApprovalSubject> parse_approval_subject(std::string_view n) {
  return detail::parse_from(kApprovalSubjects, n, "approval subject");
}
const char* approval_status_name(ApprovalStatus s) { return detail::name_of(kApprovalStatuses, s); }
Result<ApprovalStatus> parse_approval_status(std::string_view n) {
  return detail::parse_from(kApprovalStatuses, n, "approval status");
}
const char* contract_type_name(ContractType t) { return detail::name_of(kContractTypes, t); }
Result<ContractType> parse_contract_type(std::string_view n) {
  return detail::parse_from(kContractTypes, n, "contract type");
}
const char* contract_status_name(ContractStatus s) { return detail::name_of(kContractStatuses, s); }
Result<ContractStatus> parse_contract_status(std::string_view n) {
  return detail::parse_from(kContractStatuses, n, "contract status");
}

FieldList fields_of(const Proposal& p) {
  FieldList f;
  f.number("id", p.id);
  f.string("kind", proposal_kind_name(p.kind));
  f.number("client_id", p.client_id);
  f.id("deal_id", p.deal_id);
  f.id("owner_id", p.owner_id);
  f.string("status", proposal_status_name(p.status));
  f.string("currency", p.currency);
  f.json("lines", lines_json(p.lines));
  f.amount("total", p.total_minor);
  f.string("payment_terms", p.terms.payment_terms);
  f.number("deferral_days", p.terms.deferral_days);
  f.string("shipping_terms", p.terms.shipping_terms);
  f.instant("valid_until", p.terms.valid_until);
  f.string("special_terms", p.terms.special_terms);
  f.string("notes", p.notes);
  f.id("approval_id", p.approval_id);
  f.instant("sent_at", p.sent_at);
  f.instant("received_at", p.received_at);
  f.instant("answered_at", p.answered_at);
  f.string("decline_reason", p.decline_reason);
  f.id("receipt_task_id", p.receipt_task_id);
  f.instant("created_at", p.created_at);
  f.instant("updated_at", p.updated_at);
  return f;
}

FieldList fields_of(const Approval& a) {
  FieldList f;
  f.number("id", a.id);
  f.string("subject", approval_subject_name(a.subject));
  f.number("subject_id", a.subject_id);
  f.id("client_id", a.client_id);
  f.id("deal_id", a.deal_id);
  f.id("owner_id", a.owner_id);
  f.id("requester_id", a.requester_id);
  f.id("on_behalf_of_id", a.on_behalf_of_id);
  f.json("rules", json_of(a.rules));
  f.string("summary", a.summary);
  f.string("reason", a.reason);
  a.discount_bp ? f.string("discount_percent", format_amount(a.discount_bp)) : f.null("discount_percent");
  f.instant("visit_at", a.visit_at);
  f.string("approver_role", role_name(a.approver_role));
  f.id("approver_id", a.approver_id);
  f.string("status", approval_status_name(a.status));
  f.instant("due_at", a.due_at);
  f.number("escalations", a.escalations);
  f.id("task_id", a.task_id);
  f.id("decided_by", a.decided_by);
  f.instant("decided_at", a.decided_at);
  f.string("comment", a.comment);
  f.instant("created_at", a.created_at);
  f.instant("updated_at", a.updated_at);
  return f;
}

FieldList fields_of(const Contract& c) {
  FieldList f;
  f.number("id", c.id);
  f.string("type", contract_type_name(c.type));
  f.number("client_id", c.client_id);
  f.id("deal_id", c.deal_id);
  f.id("owner_id", c.owner_id);
  f.string("number", c.number);
  f.amount("amount", c.amount.minor);
  f.string("currency", c.amount.currency);
  f.number("deferral_days", c.deferral_days);
  f.string("special_terms", c.special_terms);
  f.string("risk_note", c.risk_note);
  f.instant("valid_from", c.valid_from);
  f.instant("valid_to", c.valid_to);
  f.instant("signed_at", c.signed_at);
  f.string("status", contract_status_name(c.status));
  f.boolean("approved", c.approved);
  f.id("approval_id", c.approval_id);
  f.string("termination_reason", c.termination_reason);
  f.instant("created_at", c.created_at);
  f.instant("updated_at", c.updated_at);
  return f;
}

}  // namespace salescore
