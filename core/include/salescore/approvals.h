// Commercial proposals (КП), approvals by authority level, and contracts.
//
// A proposal or contract whose terms go beyond the acting user's authority (the
// approval matrix, [approvals] in config.h) is not sent or signed until someone with
// that authority approves it. The services are handed out by the Engine
// (engine.proposals(), .approvals(), .contracts()); like every service they take the
// acting user, answer expected failures with Status, and may be shared between threads.
//
// engine.h includes this header once Saved and Page are declared, and this header
// includes engine.h first, so either may be included on its own. That is why the
// include guard comes after the include: when engine.h is the outer file, the inner
// include of engine.h is skipped and the declarations below still get made in time
// for the Engine's members.
#include "salescore/engine.h"

#ifndef SALESCORE_APPROVALS_H_
#define SALESCORE_APPROVALS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "salescore/model.h"
#include "salescore/record_fields.h"

namespace salescore {

namespace detail {
struct EngineState;
}

// ---- commercial proposals (КП) ----

// A standard proposal offers the price list; an individual one is made for this
// client and always needs the head's approval before it is sent.
enum class ProposalKind { kStandard, kIndividual };
const char* proposal_kind_name(ProposalKind k);
Result<ProposalKind> parse_proposal_kind(std::string_view name);

// draft -> [approval_requested -> approved | rejected] -> sent -> received -> accepted | declined
// A rejected proposal is reworked (any change puts it back to draft) and asked again.
enum class ProposalStatus { kDraft, kApprovalRequested, kApproved, kRejected, kSent, kReceived, kAccepted, kDeclined };
const char* proposal_status_name(ProposalStatus s);
Result<ProposalStatus> parse_proposal_status(std::string_view name);

struct ProposalLine {
  std::string sku;
  Id product_id = 0;  // resolved from the SKU when the catalog knows it
  std::string name;
  Quantity quantity;
  std::int64_t price_minor = 0;   // per unit
  std::int64_t discount_bp = 0;   // off the line, in hundredths of a percent: 1250 is 12.50 %
  std::int64_t amount_minor = 0;  // price * quantity less the discount, computed by the engine
  bool operator==(const ProposalLine&) const = default;
};

// What the proposal promises besides prices. A deferral beyond the matrix and any
// special terms need approval like a large discount does.
struct ProposalTerms {
  std::string payment_terms;   // "prepay", "50/50", "net 45"
  int deferral_days = 0;       // payment deferral granted to the client
  std::string shipping_terms;  // "EXW Moscow", "delivery by us within 24 h"
  std::optional<Instant> valid_until;
  std::string special_terms;   // anything outside the standard terms; non-empty needs approval
  bool operator==(const ProposalTerms&) const = default;
};

struct Proposal {
  Id id = 0;
  ProposalKind kind = ProposalKind::kStandard;
  Id client_id = 0;
  Id deal_id = 0;   // optional; sending it adds "proposal_sent" to the deal's documents
  Id owner_id = 0;  // defaults to the client's owner
  ProposalStatus status = ProposalStatus::kDraft;
  std::string currency;  // defaults to the configured currency
  std::vector<ProposalLine> lines;
  std::int64_t total_minor = 0;  // sum of line amounts, computed by the engine
  ProposalTerms terms;
  std::string notes;
  Id approval_id = 0;  // the latest approval request
  std::optional<Instant> sent_at;
  std::optional<Instant> received_at;  // when the client confirmed receipt
  std::optional<Instant> answered_at;  // accepted or declined
  std::string decline_reason;
  Id receipt_task_id = 0;  // the owner's task to make sure the client got it
  Instant created_at;
  Instant updated_at;
};

// Changes to a proposal that is not yet sent. A change to an approved or rejected
// proposal puts it back to draft: the approval was for the old terms.
struct ProposalPatch {
  std::optional<ProposalKind> kind;
  std::optional<Id> deal_id;
  std::optional<std::vector<ProposalLine>> lines;  // replaces the lines; totals recomputed
  std::optional<ProposalTerms> terms;              // replaces the terms
  std::optional<std::string> notes;
};

struct ProposalQuery {
  std::optional<Id> client_id, deal_id, owner_id;
  std::optional<ProposalStatus> status;
  Page page;
};

// ---- approvals ----

enum class ApprovalSubject { kProposal, kContract, kDealDiscount, kVisit };
const char* approval_subject_name(ApprovalSubject s);
Result<ApprovalSubject> parse_approval_subject(std::string_view name);

enum class ApprovalStatus { kPending, kApproved, kRejected, kCancelled };
const char* approval_status_name(ApprovalStatus s);
Result<ApprovalStatus> parse_approval_status(std::string_view name);

// A request for someone with more authority to allow something: what (subject), why
// (reason, and the matrix rules it trips), who asks, who is to decide, and the answer.
struct Approval {
  Id id = 0;
  ApprovalSubject subject = ApprovalSubject::kProposal;
  Id subject_id = 0;  // the proposal, contract or deal; the client for a visit
  Id client_id = 0;
  Id deal_id = 0;
  Id owner_id = 0;         // the subject's owner: their department's head decides
  Id requester_id = 0;
  Id on_behalf_of_id = 0;  // the absent owner, when their deputy asked
  // Matrix rules tripped: "individual_proposal", "discount", "deferral",
  // "contract_amount", "special_terms", "vip_visit".
  std::vector<std::string> rules;
  std::string summary;  // what the matrix found, e.g. "discount 15.00% above 10.00%"
  std::string reason;   // the requester's why
  std::int64_t discount_bp = 0;     // a deal discount: the discount asked for
  std::optional<Instant> visit_at;  // a visit: when it is planned
  Role approver_role = Role::kHead;  // the least authority that may decide
  Id approver_id = 0;                // who is asked now (moves up on escalation)
  ApprovalStatus status = ApprovalStatus::kPending;
  std::optional<Instant> due_at;  // unanswered by then, it escalates; none once at the top
  int escalations = 0;
  Id task_id = 0;  // the current approver's task
  Id decided_by = 0;
  std::optional<Instant> decided_at;
  std::string comment;
  Instant created_at;
  Instant updated_at;
};

struct ApprovalQuery {
  std::optional<Id> approver_id, requester_id, subject_id;
  std::optional<ApprovalSubject> subject;
  std::optional<ApprovalStatus> status;
  Page page;
};

// ---- contracts ----

enum class ContractType { kSale, kSupply, kDistribution };
const char* contract_type_name(ContractType t);
Result<ContractType> parse_contract_type(std::string_view name);

// draft -> [on_approval -> draft (approved or not)] -> signed -> expired | terminated
enum class ContractStatus { kDraft, kOnApproval, kSigned, kExpired, kTerminated };
const char* contract_status_name(ContractStatus s);
Result<ContractStatus> parse_contract_status(std::string_view name);

struct Contract {
  Id id = 0;
  ContractType type = ContractType::kSale;
  Id client_id = 0;
  Id deal_id = 0;   // optional; signing adds "contract_signed" to the deal's documents
  Id owner_id = 0;  // defaults to the client's owner
  std::string number;  // unique
  Money amount;        // an empty currency takes the configured one
  int deferral_days = 0;
  std::string special_terms;
  std::string risk_note;  // the risk assessment an approval is asked with
  std::optional<Instant> valid_from;
  std::optional<Instant> valid_to;  // a signed contract expires here
  std::optional<Instant> signed_at;
  ContractStatus status = ContractStatus::kDraft;
  bool approved = false;  // the current terms were approved; any change clears it
  Id approval_id = 0;     // the latest approval request
  std::string termination_reason;
  Instant created_at;
  Instant updated_at;
};

// Changes to a draft contract.
struct ContractPatch {
  std::optional<ContractType> type;
  std::optional<std::string> number, special_terms, risk_note;
  std::optional<Id> deal_id;
  std::optional<Money> amount;  // an empty currency keeps the contract's
  std::optional<int> deferral_days;
  std::optional<std::optional<Instant>> valid_from, valid_to;
};

struct ContractQuery {
  std::optional<Id> client_id, deal_id, owner_id;
  std::optional<ContractStatus> status;
  Page page;
};

// ---- services ----

class ProposalService {
 public:
  explicit ProposalService(detail::EngineState* s) : s_(s) {}
  // Drafts a proposal for a client the actor works. Lines are priced here; bad lines and
  // terms are named field by field ("lines[0].discount", "terms.valid_until").
  Result<Saved<Proposal>> add(const Actor& actor, Proposal proposal);
  Result<Proposal> get(const Actor& actor, Id id);
  // Refused (failed_precondition) while a decision is awaited and once it is sent.
  Result<Saved<Proposal>> update(const Actor& actor, Id id, const ProposalPatch& patch);
  // Asks for the approval the proposal needs: it is individual, or its terms go beyond
  // the actor's authority. Refused when it needs none. `reason` is required.
  Result<Approval> request_approval(const Actor& actor, Id id, const std::string& reason);
  // Records that the proposal went to the client and gives the owner a task to make
  // sure it arrived. Refused with reason "approval_required" when it needs an approval
  // it does not have; refused once its validity date has passed.
  Result<Proposal> send(const Actor& actor, Id id);
  // The client confirmed receipt, at `at` (default now; not before it was sent).
  Result<Proposal> mark_received(const Actor& actor, Id id, std::optional<Instant> at = {});
  // The client's answer. An answer implies receipt.
  Result<Proposal> accept(const Actor& actor, Id id);
  Result<Proposal> decline(const Actor& actor, Id id, const std::string& reason);
  Result<std::vector<Proposal>> find(const Actor& actor, const ProposalQuery& query);
  Result<std::int64_t> count(const Actor& actor, const ProposalQuery& query);

 private:
  detail::EngineState* s_;
};

class ApprovalService {
 public:
  explicit ApprovalService(detail::EngineState* s) : s_(s) {}
  // Asks for a discount on a deal (in hundredths of a percent). Within the actor's own
  // authority it is granted at once; either way the grant adds "discount_approved" to
  // the deal's documents.
  Result<Approval> request_deal_discount(const Actor& actor, Id deal_id, std::int64_t discount_bp,
                                         const std::string& reason);
  // Asks to visit a client at `at`. Visits to VIP clients need approval; others are
  // granted at once.
  Result<Approval> request_visit(const Actor& actor, Id client_id, Instant at, const std::string& reason);
  // A decision by someone with the authority: the subject's head (or the one it was
  // escalated to), a director or an admin; never the requester. Anyone else is refused
  // with permission_denied and audited. A rejection needs a comment.
  Result<Approval> approve(const Actor& actor, Id id, const std::string& comment = "");
  Result<Approval> reject(const Actor& actor, Id id, const std::string& comment);
  Result<Approval> get(const Actor& actor, Id id);
  // The requests the actor may see: their own, those addressed to them, and those on
  // records in their scope. Oldest first.
  Result<std::vector<Approval>> find(const Actor& actor, const ApprovalQuery& query);
  Result<std::int64_t> count(const Actor& actor, const ApprovalQuery& query);

 private:
  detail::EngineState* s_;
};

class ContractService {
 public:
  explicit ContractService(detail::EngineState* s) : s_(s) {}
  Result<Saved<Contract>> add(const Actor& actor, Contract contract);
  Result<Contract> get(const Actor& actor, Id id);
  // Drafts only; a change clears an earlier approval.
  Result<Saved<Contract>> update(const Actor& actor, Id id, const ContractPatch& patch);
  // Sends the contract for approval (amount, deferral or special terms beyond the
  // actor's authority). Needs a reason and the contract's risk note.
  Result<Approval> request_approval(const Actor& actor, Id id, const std::string& reason);
  // Signed at `at` (default now). Refused with reason "approval_required" while the
  // contract needs an approval it does not have.
  Result<Contract> sign(const Actor& actor, Id id, std::optional<Instant> at = {});
  // Ends a contract (or withdraws a draft) for `reason`; a pending approval is cancelled.
  Result<Contract> terminate(const Actor& actor, Id id, const std::string& reason);
  Result<std::vector<Contract>> find(const Actor& actor, const ContractQuery& query);
  Result<std::int64_t> count(const Actor& actor, const ContractQuery& query);

 private:
  detail::EngineState* s_;
};

FieldList fields_of(const Proposal& p);
FieldList fields_of(const Approval& a);
FieldList fields_of(const Contract& c);

}  // namespace salescore

#endif  // SALESCORE_APPROVALS_H_
