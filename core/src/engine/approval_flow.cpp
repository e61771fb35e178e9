// Opening and deciding approval requests, shared by the proposal, approval and contract
// services. The authority rules themselves are in rules/approval_matrix.cpp.
#include "engine/approval_flow.h"

#include <algorithm>
#include <cctype>

#include "engine/deal_documents.h"
#include "engine/people_texts.h"
#include "engine/record_writes.h"
#include "model/json_text.h"
#include "store/absence_rows.h"
#include "store/approval_rows.h"
#include "store/contract_rows.h"
#include "store/deal_rows.h"
#include "store/proposal_rows.h"
#include "store/user_rows.h"

namespace salescore::detail {
namespace {

constexpr std::int64_t kHourMs = 3'600'000;

// The first active user with `role` in id order, other than `a` and `b`.
Result<Id> first_active(EngineState& s, Role role, Id a, Id b) {
  SC_ASSIGN_OR_RETURN(auto users, store::list_users(*s.conn));
  for (const auto& u : users)
    if (u.active && u.role == role && u.id != a && u.id != b) return u.id;
  return Id{0};
}

// A director decides what is above a head; an admin only when the company has no
// director in the system, since admins keep the system rather than sell.
Result<Id> top_approver(EngineState& s, Id a, Id b) {
  SC_ASSIGN_OR_RETURN(Id director, first_active(s, Role::kDirector, a, b));
  if (director) return director;
  return first_active(s, Role::kAdmin, a, b);
}

// Who is asked first: for a head-level request the owner's own head (their department),
// else any head; for a director-level one (or with no head at all) a director. Never
// the requester. 0 when nobody fits: the request then waits for whoever has the
// authority and escalates as usual.
Result<Id> first_approver(EngineState& s, Id owner_id, Role role, Id requester) {
  if (authority_rank(role) <= 1) {
    SC_ASSIGN_OR_RETURN(auto owner, store::load_user(*s.conn, owner_id));
    if (owner && owner->head_id && owner->head_id != requester) {
      SC_ASSIGN_OR_RETURN(auto head, store::load_user(*s.conn, owner->head_id));
      if (head && head->active && authority_rank(head->role) >= 1) return head->id;
    }
    SC_ASSIGN_OR_RETURN(Id any_head, first_active(s, Role::kHead, requester, 0));
    if (any_head) return any_head;
  }
  return top_approver(s, requester, 0);
}

// Who an unanswered request goes to next: the approver's own head, else (below director
// level) a director. 0 when there is nobody above.
Result<Id> next_approver(EngineState& s, const Approval& a) {
  int current_rank = 0;
  if (a.approver_id) {
    SC_ASSIGN_OR_RETURN(auto current, store::load_user(*s.conn, a.approver_id));
    if (current) current_rank = authority_rank(current->role);
    if (current && current->head_id && current->head_id != a.requester_id) {
      SC_ASSIGN_OR_RETURN(auto above, store::load_user(*s.conn, current->head_id));
      if (above && above->active && authority_rank(above->role) >= 1) return above->id;
    }
  }
  if (std::max(current_rank, authority_rank(a.approver_role)) >= 2) return Id{0};
  return top_approver(s, a.requester_id, a.approver_id);
}

Result<std::string> person_name(EngineState& s, Id user_id) {
  if (user_id == 0) return std::string("the system");
  SC_ASSIGN_OR_RETURN(auto u, store::load_user(*s.conn, user_id));
  return u ? u->name : "user " + std::to_string(user_id);
}

Status save_approval(EngineState& s, const Actor& actor, const Approval& before, Approval& after) {
  SC_ASSIGN_OR_RETURN(auto outcome, save_if_changed(s, actor, "approval", before, after, [&](const Approval& a) {
                        return store::update_approval(*s.conn, a);
                      }));
  (void)outcome;
  return Status::ok();
}

// The approver's task: what to decide, why, and by when before it goes up a level.
Result<Id> give_decision_task(EngineState& s, const Actor& actor, const Approval& a) {
  SC_ASSIGN_OR_RETURN(std::string requester, person_name(s, a.requester_id));
  std::string title = say(s, "approval.decide", {std::to_string(a.id), subject_text(s, a), a.summary});
  return give_task(s, actor,
                   task_for(a.approver_id, title, a.due_at, a.client_id, a.deal_id,
                            say(s, "approval.asked_by", {requester, a.reason})),
                   "approval.decide", "approval", a.id);
}

std::string decision_payload(const Approval& a) {
  return "{\"subject\":\"" + std::string(approval_subject_name(a.subject)) +
         "\",\"subject_id\":" + std::to_string(a.subject_id) + ",\"requester_id\":" + std::to_string(a.requester_id) +
         ",\"decided_by\":" + std::to_string(a.decided_by) + ",\"comment\":" + json_string(a.comment) + "}";
}

// Moves the proposal or contract the request was about; a decided deal discount derives
// the deal's documents again (discount_approved comes from the granted request). A subject that moved on meanwhile (a contract withdrawn) is
// left alone.
Status apply_to_subject(EngineState& s, const Actor& actor, const Approval& a, bool approve) {
  const std::string payload = "{\"approval_id\":" + std::to_string(a.id) + "}";
  switch (a.subject) {
    case ApprovalSubject::kProposal: {
      SC_ASSIGN_OR_RETURN(auto p, store::load_proposal(*s.conn, a.subject_id));
      if (!p || p->status != ProposalStatus::kApprovalRequested || p->approval_id != a.id) return Status::ok();
      Proposal after = *p;
      after.status = approve ? ProposalStatus::kApproved : ProposalStatus::kRejected;
      SC_ASSIGN_OR_RETURN(auto outcome, save_if_changed(s, actor, "proposal", *p, after, [&](const Proposal& x) {
                            return store::update_proposal(*s.conn, x, false);
                          }));
      (void)outcome;
      return append_event(s, actor, approve ? "proposal.approved" : "proposal.rejected", "proposal", p->id, payload);
    }
    case ApprovalSubject::kContract: {
      SC_ASSIGN_OR_RETURN(auto k, store::load_contract(*s.conn, a.subject_id));
      if (!k || k->status != ContractStatus::kOnApproval || k->approval_id != a.id) return Status::ok();
      Contract after = *k;
      after.status = ContractStatus::kDraft;
      after.approved = approve;
      SC_ASSIGN_OR_RETURN(auto outcome, save_if_changed(s, actor, "contract", *k, after, [&](const Contract& x) {
                            return store::update_contract(*s.conn, x);
                          }));
      (void)outcome;
      return append_event(s, actor, approve ? "contract.approved" : "contract.rejected", "contract", k->id, payload);
    }
    case ApprovalSubject::kDealDiscount:
      return refresh_deal_documents(s, actor, a.deal_id);
    case ApprovalSubject::kVisit:
      return Status::ok();
  }
  return Status::ok();
}

// The head of an absent owner keeps control over what their deputy was granted.
Status notify_control(EngineState& s, const Actor& actor, const Approval& a) {
  if (a.on_behalf_of_id == 0) return Status::ok();
  SC_ASSIGN_OR_RETURN(auto absent, store::load_user(*s.conn, a.on_behalf_of_id));
  if (!absent || absent->head_id == 0) return Status::ok();
  return append_event(s, actor, "approval.control_notice", "approval", a.id,
                      "{\"head_id\":" + std::to_string(absent->head_id) +
                          ",\"absent_user_id\":" + std::to_string(absent->id) +
                          ",\"deputy_id\":" + std::to_string(a.requester_id) + ",\"decision\":\"" +
                          approval_status_name(a.status) + "\",\"subject\":" + json_string(subject_label(a)) + "}");
}

Status escalate(EngineState& s, Approval a, DueReport& report) {
  const Actor system = Actor::system();
  const Instant now = s.now();
  Approval before = a;
  SC_ASSIGN_OR_RETURN(Id next, next_approver(s, a));
  if (next == 0) {
    // Nobody above: say so once and stop the timer rather than re-fire every run.
    a.due_at.reset();
    SC_RETURN_IF_ERROR(save_approval(s, system, before, a));
    report.actions.push_back("approval " + std::to_string(a.id) + " unanswered; nobody above user " +
                             std::to_string(a.approver_id));
    return append_event(s, system, "approval.overdue", "approval", a.id,
                        "{\"approver_id\":" + std::to_string(a.approver_id) + "}");
  }
  SC_ASSIGN_OR_RETURN(auto next_user, store::load_user(*s.conn, next));
  SC_RETURN_IF_ERROR(close_rule_tasks(s, system, "approval", a.id, "approval.decide", TaskStatus::kCancelled));
  a.approver_id = next;
  a.approver_role = authority_rank(next_user->role) >= 2 ? Role::kDirector : Role::kHead;
  a.escalations++;
  a.due_at = Instant{now.ms + s.config.approvals.escalate_after_hours * kHourMs};
  SC_ASSIGN_OR_RETURN(a.task_id, give_decision_task(s, system, a));
  SC_RETURN_IF_ERROR(save_approval(s, system, before, a));
  report.approvals_escalated++;
  report.actions.push_back("approval " + std::to_string(a.id) + " escalated from user " +
                           std::to_string(before.approver_id) + " to user " + std::to_string(next));
  return append_event(s, system, "approval.escalated", "approval", a.id,
                      "{\"from\":" + std::to_string(before.approver_id) + ",\"to\":" + std::to_string(next) + "}");
}

Status expire(EngineState& s, Contract k, DueReport& report) {
  const Actor system = Actor::system();
  Contract before = k;
  k.status = ContractStatus::kExpired;
  SC_ASSIGN_OR_RETURN(auto outcome, save_if_changed(s, system, "contract", before, k, [&](const Contract& x) {
                        return store::update_contract(*s.conn, x);
                      }));
  (void)outcome;
  SC_RETURN_IF_ERROR(append_event(s, system, "contract.expired", "contract", k.id,
                                  "{\"valid_to\":\"" + format_iso8601(*k.valid_to) + "\"}"));
  // Someone has to renew it or let the client go knowingly.
  const std::string title = say(s, "contract.expired", {k.number});
  SC_ASSIGN_OR_RETURN(Id task, give_task(s, system, task_for(k.owner_id, title, s.now(), k.client_id, k.deal_id),
                                         "contract.expired", "contract", k.id));
  (void)task;
  report.contracts_expired++;
  report.actions.push_back("contract " + std::to_string(k.id) + " (" + k.number + ") expired");
  return Status::ok();
}

}  // namespace

std::string subject_label(const Approval& a) {
  const std::string id = std::to_string(a.subject_id);
  switch (a.subject) {
    case ApprovalSubject::kProposal: return "proposal #" + id;
    case ApprovalSubject::kContract: return "contract #" + id;
    case ApprovalSubject::kDealDiscount: return "discount " + format_amount(a.discount_bp) + "% on deal #" + id;
    case ApprovalSubject::kVisit:
      return "visit to client #" + id + (a.visit_at ? " at " + format_iso8601(*a.visit_at) : "");
  }
  return "request #" + std::to_string(a.id);
}

// What an approval is about, as a person reads it in the company's language.
std::string subject_text(const EngineState& s, const Approval& a) {
  const std::string id = std::to_string(a.subject_id);
  switch (a.subject) {
    case ApprovalSubject::kProposal: return say(s, "subject.proposal", {id});
    case ApprovalSubject::kContract: return say(s, "subject.contract", {id});
    case ApprovalSubject::kDealDiscount: return say(s, "subject.discount", {format_amount(a.discount_bp), id});
    case ApprovalSubject::kVisit:
      return a.visit_at ? say(s, "subject.visit_at", {id, format_iso8601(*a.visit_at)}) : say(s, "subject.visit", {id});
  }
  return subject_label(a);
}

Result<Approval> open_approval(EngineState& s, const Actor& actor, const Scope& scope, const ApprovalAsk& ask,
                               const MatrixFindings& findings) {
  const Instant now = s.now();
  Approval a;
  a.subject = ask.subject;
  a.subject_id = ask.subject_id;
  a.client_id = ask.client_id;
  a.deal_id = ask.deal_id;
  a.owner_id = ask.owner_id;
  a.requester_id = actor.user_id;
  a.rules = findings.rules;
  a.summary = findings.empty() ? "within the requester's authority" : findings.summary();
  a.reason = ask.reason;
  a.discount_bp = ask.discount_bp;
  a.visit_at = ask.visit_at;
  a.approver_role = findings.role;
  a.created_at = a.updated_at = now;
  if (!needs_approval(findings, scope)) {
    // Kept on file all the same: the deal's "discount_approved" must point somewhere.
    a.status = ApprovalStatus::kApproved;
    a.approver_id = a.decided_by = actor.user_id;
    a.decided_at = now;
    a.comment = "within the requester's authority";
    SC_ASSIGN_OR_RETURN(a.id, store::insert_approval(*s.conn, a));
    SC_RETURN_IF_ERROR(log_created(s, actor, "approval", a));
    SC_RETURN_IF_ERROR(append_event(s, actor, "approval.approved", "approval", a.id, decision_payload(a)));
    return a;
  }
  if (actor.user_id && ask.owner_id && ask.owner_id != actor.user_id) {
    SC_ASSIGN_OR_RETURN(auto deputy, store::deputy_of(*s.conn, ask.owner_id, now));
    if (deputy && *deputy == actor.user_id) a.on_behalf_of_id = ask.owner_id;
  }
  SC_ASSIGN_OR_RETURN(a.approver_id, first_approver(s, ask.owner_id, findings.role, actor.user_id));
  a.status = ApprovalStatus::kPending;
  a.due_at = Instant{now.ms + s.config.approvals.escalate_after_hours * kHourMs};
  SC_ASSIGN_OR_RETURN(a.id, store::insert_approval(*s.conn, a));
  SC_ASSIGN_OR_RETURN(a.task_id, give_decision_task(s, actor, a));
  SC_RETURN_IF_ERROR(store::update_approval(*s.conn, a));
  SC_RETURN_IF_ERROR(log_created(s, actor, "approval", a));
  return a;
}

Status apply_decision(EngineState& s, const Actor& actor, Approval& a, bool approve, const std::string& comment) {
  Approval before = a;
  a.status = approve ? ApprovalStatus::kApproved : ApprovalStatus::kRejected;
  a.decided_by = actor.user_id;
  a.decided_at = s.now();
  a.comment = comment;
  a.due_at.reset();
  SC_RETURN_IF_ERROR(save_approval(s, actor, before, a));
  SC_RETURN_IF_ERROR(append_event(s, actor, approve ? "approval.approved" : "approval.rejected", "approval", a.id,
                                  decision_payload(a)));
  SC_RETURN_IF_ERROR(close_rule_tasks(s, actor, "approval", a.id, "approval.decide", TaskStatus::kDone));
  SC_RETURN_IF_ERROR(apply_to_subject(s, actor, a, approve));
  // The requester acts next: sends or signs what was granted, or reworks what was not.
  SC_ASSIGN_OR_RETURN(std::string decider, person_name(s, actor.user_id));
  const std::string title = say(s, approve ? "approval.approved" : "approval.rejected", {subject_text(s, a), decider}) +
                            (comment.empty() ? "" : ": " + comment);
  SC_ASSIGN_OR_RETURN(Id told,
                      give_task(s, actor, task_for(a.requester_id, title, s.now(), a.client_id, a.deal_id, comment),
                                "approval.decided", "approval", a.id));
  (void)told;
  return notify_control(s, actor, a);
}

Status cancel_approval(EngineState& s, const Actor& actor, Id approval_id, const std::string& why) {
  if (approval_id == 0) return Status::ok();
  SC_ASSIGN_OR_RETURN(auto found, store::load_approval(*s.conn, approval_id));
  if (!found || found->status != ApprovalStatus::kPending) return Status::ok();
  Approval a = *found;
  a.status = ApprovalStatus::kCancelled;
  a.due_at.reset();
  a.comment = why;
  SC_RETURN_IF_ERROR(save_approval(s, actor, *found, a));
  SC_RETURN_IF_ERROR(close_rule_tasks(s, actor, "approval", a.id, "approval.decide", TaskStatus::kCancelled));
  return append_event(s, actor, "approval.cancelled", "approval", a.id, "{\"reason\":" + json_string(why) + "}");
}

Task task_for(Id assignee, std::string title, std::optional<Instant> due, Id client_id, Id deal_id,
              std::string notes) {
  Task t;
  t.title = std::move(title);
  t.due_at = due;
  t.assignee_id = assignee;
  t.client_id = client_id;
  t.deal_id = deal_id;
  t.notes = std::move(notes);
  return t;
}

Result<Id> give_task(EngineState& s, const Actor& actor, Task task, const std::string& reason,
                     const std::string& entity, Id entity_id) {
  if (task.assignee_id == 0) return Id{0};
  SC_ASSIGN_OR_RETURN(Task given, give_rule_task(s, actor, std::move(task), reason, entity, entity_id));
  return given.id;
}

Status require_text(const std::string& text, const std::string& field, const std::string& what) {
  if (text.find_first_not_of(" \t\r\n") != std::string::npos) return Status::ok();
  return Status::invalid(what + " needs a " + field, {{field, "required"}});
}

Status run_approval_timers(EngineState& s, DueReport& report) {
  SC_ASSIGN_OR_RETURN(auto unanswered, store::approvals_past_due(*s.conn, s.now()));
  for (auto& a : unanswered) SC_RETURN_IF_ERROR(escalate(s, std::move(a), report));
  SC_ASSIGN_OR_RETURN(auto lapsed, store::contracts_past_validity(*s.conn, s.now()));
  for (auto& k : lapsed) SC_RETURN_IF_ERROR(expire(s, std::move(k), report));
  return Status::ok();
}

}  // namespace salescore::detail
