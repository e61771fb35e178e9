// Commercial proposals (КП): priced lines and terms, the approval an individual proposal
// or generous terms need (engine/approval_flow.cpp), and the way to the client and back:
// sent, received, accepted or declined.
#include "engine/people_texts.h"
#include "engine/approval_flow.h"
#include "engine/deal_documents.h"
#include "engine/record_writes.h"
#include "model/json_text.h"
#include "store/catalog_rows.h"
#include "store/client_rows.h"
#include "store/deal_rows.h"
#include "store/proposal_rows.h"

namespace salescore {
using namespace detail;

namespace {

constexpr std::int64_t kHourMs = 3'600'000;

// The line's gross amount less its percentage discount, rounded half up to a minor unit
// (amounts are never negative here). Split at 10 000 so gross * bp cannot overflow.
std::int64_t discounted(std::int64_t gross, std::int64_t discount_bp) {
  std::int64_t off = gross / 10'000 * discount_bp + (gross % 10'000 * discount_bp + 5'000) / 10'000;
  return gross - off;
}

Status validate_proposal(EngineState& s, Proposal& p) {
  FieldErrors errors;
  if (p.client_id == 0) {
    errors.add("client_id", "required");
  } else {
    SC_ASSIGN_OR_RETURN(auto owner, store::client_owner(*s.conn, p.client_id));
    if (!owner) errors.add("client_id", "client " + std::to_string(p.client_id) + " does not exist");
    else if (p.owner_id == 0) p.owner_id = *owner;
  }
  if (p.deal_id) {
    SC_ASSIGN_OR_RETURN(auto deal, store::load_deal(*s.conn, p.deal_id));
    if (!deal) errors.add("deal_id", "deal " + std::to_string(p.deal_id) + " does not exist");
    else if (deal->client_id != p.client_id)
      errors.add("deal_id", "deal " + std::to_string(p.deal_id) + " is with another client");
  }
  if (p.currency.empty()) p.currency = s.config.currency;
  if (!is_currency_code(p.currency)) errors.add("currency", "'" + p.currency + "' is not an ISO 4217 code");
  if (p.lines.empty()) errors.add("lines", "a proposal needs at least one line");
  std::int64_t total = 0;
  for (std::size_t i = 0; i < p.lines.size(); ++i) {
    ProposalLine& l = p.lines[i];
    auto at = [i](const char* field) { return "lines[" + std::to_string(i) + "]." + field; };
    if (l.sku.empty()) errors.add(at("sku"), "required");
    if (l.quantity.milli <= 0) errors.add(at("quantity"), "must be positive");
    if (l.price_minor < 0) errors.add(at("price"), "cannot be negative");
    if (l.discount_bp < 0 || l.discount_bp > 100'00) errors.add(at("discount_percent"), "must be between 0 and 100%");
    l.amount_minor = discounted(line_amount(std::max<std::int64_t>(l.price_minor, 0), l.quantity),
                                std::clamp<std::int64_t>(l.discount_bp, 0, 100'00));
    total += l.amount_minor;
    if (!l.sku.empty() && l.product_id == 0) {
      SC_ASSIGN_OR_RETURN(auto pid, store::product_id_by_sku(*s.conn, l.sku));
      if (pid) l.product_id = *pid;
    }
  }
  p.total_minor = total;
  if (p.terms.deferral_days < 0) errors.add("terms.deferral_days", "cannot be negative");
  if (p.terms.valid_until && *p.terms.valid_until <= s.now()) errors.add("terms.valid_until", "already passed");
  errors.check("owner_id", check_user_exists(s, p.owner_id, "owner_id"));
  return errors.to_status("proposal");
}

Result<Proposal> load_or_not_found(EngineState& s, Id id) {
  SC_ASSIGN_OR_RETURN(auto p, store::load_proposal(*s.conn, id));
  if (!p) return not_found("proposal", id);
  return std::move(*p);
}

// A proposal is the owner's, like the deal it serves: their team, assistant and deputy
// work it too.
Result<Proposal> load_covered(EngineState& s, const Actor& actor, Id id, const char* action, Scope& scope) {
  SC_ASSIGN_OR_RETURN(Proposal p, load_or_not_found(s, id));
  SC_ASSIGN_OR_RETURN(scope, scope_of(s, actor));
  if (!scope.covers_owned(p.owner_id, "")) return deny(s, actor, action, "proposal", id);
  return p;
}

TermsUnderReview terms_of(const Proposal& p) {
  TermsUnderReview t;
  t.individual_proposal = p.kind == ProposalKind::kIndividual;
  for (const auto& l : p.lines) t.max_discount_bp = std::max(t.max_discount_bp, l.discount_bp);
  t.deferral_days = p.terms.deferral_days;
  t.special_terms = !p.terms.special_terms.empty();
  return t;
}

std::string label(const Proposal& p) { return "proposal " + std::to_string(p.id); }

// Saves one step of the proposal's way and logs "proposal.<step>". A step may change
// what the deal's documents derive from (sent, received), so they are derived again.
Status save_step(EngineState& s, const Actor& actor, const Proposal& before, Proposal& after, const std::string& step,
                 const std::string& payload = "{}") {
  SC_ASSIGN_OR_RETURN(auto outcome, save_if_changed(s, actor, "proposal", before, after, [&](const Proposal& p) {
                        return store::update_proposal(*s.conn, p, p.lines != before.lines);
                      }));
  (void)outcome;
  SC_RETURN_IF_ERROR(append_event(s, actor, "proposal." + step, "proposal", after.id, payload));
  return refresh_deal_documents(s, actor, after.deal_id);
}

Status refuse_unless_answerable(const Proposal& p) {
  if (p.status == ProposalStatus::kSent || p.status == ProposalStatus::kReceived) return Status::ok();
  return Status::failed_precondition(label(p) + " is " + proposal_status_name(p.status) +
                                     "; only a sent proposal gets the client's answer");
}

// The client's answer implies they got it: receipt is recorded and its check closed.
Status note_receipt(EngineState& s, const Actor& actor, Proposal& p, Instant at) {
  if (!p.received_at) p.received_at = at;
  return close_rule_tasks(s, actor, "proposal", p.id, "proposal.receipt", TaskStatus::kDone);
}

}  // namespace

Result<Saved<Proposal>> ProposalService::add(const Actor& actor, Proposal p) {
  return write<Saved<Proposal>>(*s_, [&]() -> Result<Saved<Proposal>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    // The way to the client is recorded by the transitions, not taken from the caller.
    p.status = ProposalStatus::kDraft;
    p.approval_id = p.receipt_task_id = 0;
    p.sent_at = p.received_at = p.answered_at = std::nullopt;
    p.decline_reason.clear();
    SC_RETURN_IF_ERROR(validate_proposal(*s_, p));
    SC_ASSIGN_OR_RETURN(bool client_ok, covers_client_id(*s_, scope, p.client_id));
    if (!client_ok || !scope.covers_owned(p.owner_id, "")) return deny(*s_, actor, "create", "proposal", 0);
    p.created_at = p.updated_at = s_->now();
    SC_ASSIGN_OR_RETURN(p.id, store::insert_proposal(*s_->conn, p));
    SC_RETURN_IF_ERROR(log_created(*s_, actor, "proposal", p));
    return Saved<Proposal>{std::move(p), WriteOutcome::kCreated, {}};
  });
}

Result<Proposal> ProposalService::get(const Actor& actor, Id id) {
  return read<Proposal>(*s_, [&]() -> Result<Proposal> {
    Scope scope;
    return load_covered(*s_, actor, id, "read", scope);
  });
}

Result<Saved<Proposal>> ProposalService::update(const Actor& actor, Id id, const ProposalPatch& patch) {
  return write<Saved<Proposal>>(*s_, [&]() -> Result<Saved<Proposal>> {
    Scope scope;
    SC_ASSIGN_OR_RETURN(Proposal before, load_covered(*s_, actor, id, "change", scope));
    if (before.status == ProposalStatus::kApprovalRequested)
      return Status(Code::kFailedPrecondition,
                    label(before) + " awaits the decision on approval " + std::to_string(before.approval_id) +
                        "; it cannot change meanwhile",
                    {}, "approval_required");
    if (before.status != ProposalStatus::kDraft && before.status != ProposalStatus::kApproved &&
        before.status != ProposalStatus::kRejected)
      return Status::failed_precondition(label(before) + " was sent; draft a new proposal instead");
    Proposal after = before;
    if (patch.kind) after.kind = *patch.kind;
    if (patch.deal_id) after.deal_id = *patch.deal_id;
    if (patch.lines) {
      after.lines = *patch.lines;
      for (auto& l : after.lines) l.amount_minor = 0;
    }
    if (patch.terms) after.terms = *patch.terms;
    if (patch.notes) after.notes = *patch.notes;
    SC_RETURN_IF_ERROR(validate_proposal(*s_, after));
    // An approval (or a refusal) was for the old terms: a reworked proposal starts over.
    if (before.status != ProposalStatus::kDraft && !changed_fields_json(fields_of(before), fields_of(after)).empty())
      after.status = ProposalStatus::kDraft;
    SC_ASSIGN_OR_RETURN(auto outcome, save_if_changed(*s_, actor, "proposal", before, after, [&](const Proposal& p) {
                          return store::update_proposal(*s_->conn, p, p.lines != before.lines);
                        }));
    return Saved<Proposal>{std::move(after), outcome, {}};
  });
}

Result<Approval> ProposalService::request_approval(const Actor& actor, Id id, const std::string& reason) {
  return write<Approval>(*s_, [&]() -> Result<Approval> {
    SC_RETURN_IF_ERROR(require_text(reason, "reason", "an approval request"));
    Scope scope;
    SC_ASSIGN_OR_RETURN(Proposal p, load_covered(*s_, actor, id, "ask approval for", scope));
    if (p.status != ProposalStatus::kDraft && p.status != ProposalStatus::kRejected)
      return Status::failed_precondition(label(p) + " is " + proposal_status_name(p.status) +
                                         "; approval is asked for a draft");
    MatrixFindings findings = review_terms(s_->config.approvals, terms_of(p));
    if (!needs_approval(findings, scope))
      return Status::failed_precondition(label(p) + " needs no approval: its terms are within your authority");
    ApprovalAsk ask;
    ask.subject = ApprovalSubject::kProposal;
    ask.subject_id = p.id;
    ask.client_id = p.client_id;
    ask.deal_id = p.deal_id;
    ask.owner_id = p.owner_id;
    ask.reason = reason;
    SC_ASSIGN_OR_RETURN(Approval a, open_approval(*s_, actor, scope, ask, findings));
    Proposal before = p;
    p.status = ProposalStatus::kApprovalRequested;
    p.approval_id = a.id;
    SC_RETURN_IF_ERROR(save_step(*s_, actor, before, p, "approval_requested",
                                 "{\"approval_id\":" + std::to_string(a.id) +
                                     ",\"approver_id\":" + std::to_string(a.approver_id) +
                                     ",\"rules\":" + json_of(a.rules) + "}"));
    return a;
  });
}

Result<Proposal> ProposalService::send(const Actor& actor, Id id) {
  return write<Proposal>(*s_, [&]() -> Result<Proposal> {
    Scope scope;
    SC_ASSIGN_OR_RETURN(Proposal p, load_covered(*s_, actor, id, "send", scope));
    switch (p.status) {
      case ProposalStatus::kDraft: {
        MatrixFindings findings = review_terms(s_->config.approvals, terms_of(p));
        if (needs_approval(findings, scope))
          return Status(Code::kFailedPrecondition,
                        label(p) + " needs approval before it is sent: " + findings.summary(), findings.found,
                        "approval_required");
        break;
      }
      case ProposalStatus::kApproved:
        break;
      case ProposalStatus::kApprovalRequested:
        return Status(Code::kFailedPrecondition,
                      label(p) + " awaits the decision on approval " + std::to_string(p.approval_id), {},
                      "approval_required");
      case ProposalStatus::kRejected:
        return Status(Code::kFailedPrecondition, label(p) + " was rejected: rework it and ask again", {},
                      "approval_required");
      default:
        return Status::failed_precondition(label(p) + " is already " + proposal_status_name(p.status));
    }
    const Instant now = s_->now();
    if (p.terms.valid_until && *p.terms.valid_until <= now)
      return Status(Code::kFailedPrecondition,
                    label(p) + " was valid until " + format_iso8601(*p.terms.valid_until) + "; renew the date",
                    {{"terms.valid_until", "already passed"}});
    Proposal before = p;
    p.status = ProposalStatus::kSent;
    p.sent_at = now;
    SC_ASSIGN_OR_RETURN(auto client, store::load_client(*s_->conn, p.client_id));
    const std::string title = say(*s_, "proposal.receipt", {client ? client->name : say(*s_, "the_client"), std::to_string(p.id)});
    const Instant check_at{now.ms + s_->config.approvals.receipt_check_hours * kHourMs};
    SC_ASSIGN_OR_RETURN(p.receipt_task_id,
                        give_task(*s_, actor, task_for(p.owner_id, title, check_at, p.client_id, p.deal_id),
                                  "proposal.receipt", "proposal", p.id));
    SC_RETURN_IF_ERROR(save_step(*s_, actor, before, p, "sent",
                                 "{\"sent_at\":\"" + format_iso8601(now) + "\",\"deal_id\":" +
                                     std::to_string(p.deal_id) + "}"));
    return p;
  });
}

Result<Proposal> ProposalService::mark_received(const Actor& actor, Id id, std::optional<Instant> at) {
  return write<Proposal>(*s_, [&]() -> Result<Proposal> {
    Scope scope;
    SC_ASSIGN_OR_RETURN(Proposal p, load_covered(*s_, actor, id, "change", scope));
    if (p.status != ProposalStatus::kSent)
      return Status::failed_precondition(label(p) + " is " + proposal_status_name(p.status) +
                                         "; receipt is recorded for a sent proposal");
    const Instant when = at.value_or(s_->now());
    if (when < *p.sent_at) return Status::invalid("received before it was sent", {{"received_at", "before sent_at"}});
    if (when > s_->now()) return Status::invalid("received in the future", {{"received_at", "in the future"}});
    Proposal before = p;
    p.status = ProposalStatus::kReceived;
    SC_RETURN_IF_ERROR(note_receipt(*s_, actor, p, when));
    SC_RETURN_IF_ERROR(save_step(*s_, actor, before, p, "received",
                                 "{\"received_at\":\"" + format_iso8601(when) + "\"}"));
    return p;
  });
}

Result<Proposal> ProposalService::accept(const Actor& actor, Id id) {
  return write<Proposal>(*s_, [&]() -> Result<Proposal> {
    Scope scope;
    SC_ASSIGN_OR_RETURN(Proposal p, load_covered(*s_, actor, id, "change", scope));
    SC_RETURN_IF_ERROR(refuse_unless_answerable(p));
    Proposal before = p;
    const Instant now = s_->now();
    SC_RETURN_IF_ERROR(note_receipt(*s_, actor, p, now));
    p.status = ProposalStatus::kAccepted;
    p.answered_at = now;
    SC_RETURN_IF_ERROR(save_step(*s_, actor, before, p, "accepted"));
    // The owner turns the yes into a contract or an order.
    const std::string title = say(*s_, "proposal.accepted", {std::to_string(p.id)});
    SC_ASSIGN_OR_RETURN(Id task, give_task(*s_, actor, task_for(p.owner_id, title, now, p.client_id, p.deal_id),
                                           "proposal.accepted", "proposal", p.id));
    (void)task;
    return p;
  });
}

Result<Proposal> ProposalService::decline(const Actor& actor, Id id, const std::string& reason) {
  return write<Proposal>(*s_, [&]() -> Result<Proposal> {
    SC_RETURN_IF_ERROR(require_text(reason, "reason", "a declined proposal"));
    Scope scope;
    SC_ASSIGN_OR_RETURN(Proposal p, load_covered(*s_, actor, id, "change", scope));
    SC_RETURN_IF_ERROR(refuse_unless_answerable(p));
    Proposal before = p;
    const Instant now = s_->now();
    SC_RETURN_IF_ERROR(note_receipt(*s_, actor, p, now));
    p.status = ProposalStatus::kDeclined;
    p.answered_at = now;
    p.decline_reason = reason;
    SC_RETURN_IF_ERROR(save_step(*s_, actor, before, p, "declined", "{\"reason\":" + json_string(reason) + "}"));
    return p;
  });
}

Result<std::vector<Proposal>> ProposalService::find(const Actor& actor, const ProposalQuery& query) {
  return read<std::vector<Proposal>>(*s_, [&]() -> Result<std::vector<Proposal>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::find_proposals(*s_->conn, query, scope.condition("owner_id", ""));
  });
}

Result<std::int64_t> ProposalService::count(const Actor& actor, const ProposalQuery& query) {
  return read<std::int64_t>(*s_, [&]() -> Result<std::int64_t> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::count_proposals(*s_->conn, query, scope.condition("owner_id", ""));
  });
}

}  // namespace salescore
