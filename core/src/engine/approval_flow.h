// What the proposal, approval and contract services and their timers share: opening a
// request with the matrix's findings, applying a decision, the tasks that tell people
// to act. A granted deal discount is a record the deal's discount_approved derives from
// (engine/deal_documents.h).
#pragma once

#include <optional>
#include <string>

#include "engine/engine_state.h"
#include "engine/rule_tasks.h"
#include "rules/approval_matrix.h"

namespace salescore::detail {

// A request about to be opened.
struct ApprovalAsk {
  ApprovalSubject subject = ApprovalSubject::kProposal;
  Id subject_id = 0, client_id = 0, deal_id = 0, owner_id = 0;
  std::string reason;
  std::int64_t discount_bp = 0;
  std::optional<Instant> visit_at;
};

// Opens a request for what `findings` found. The approver is the subject owner's head
// (or a director, as the findings require); they get a task due when the request would
// escalate. When the actor's own authority covers the findings nobody is asked: the
// grant is recorded as decided by the actor. A deputy asking for an absent owner is
// recorded (on_behalf_of_id) so the owner's head is told of the decision.
Result<Approval> open_approval(EngineState& s, const Actor& actor, const Scope& scope, const ApprovalAsk& ask,
                               const MatrixFindings& findings);

// Decides a pending request (after the caller checked the decider's authority): the
// subject moves on, the approver's task is done, the requester gets a task telling
// them, and the absent owner's head is notified when a deputy asked.
Status apply_decision(EngineState& s, const Actor& actor, Approval& approval, bool approve, const std::string& comment);

// Withdraws a pending request whose subject went away (a terminated contract).
Status cancel_approval(EngineState& s, const Actor& actor, Id approval_id, const std::string& why);

// "proposal #12", "discount 15.00% on deal #4", ...
std::string subject_label(const Approval& approval);
// The same in the company's language, for the texts people read (task titles).
std::string subject_text(const EngineState& s, const Approval& a);

// An open task for `assignee` about the client and deal.
Task task_for(Id assignee, std::string title, std::optional<Instant> due, Id client_id, Id deal_id,
              std::string notes = "");

// Gives `task.assignee_id` the task through give_rule_task (rule_tasks.h), so the day's
// list says why (`reason`, e.g. "approval.decide") and the rule can close it by its
// record later. Nobody to give it to (assignee 0): no task, returns 0.
Result<Id> give_task(EngineState& s, const Actor& actor, Task task, const std::string& reason,
                     const std::string& entity, Id entity_id);

// A non-blank reason, or an invalid-argument error naming `field`.
Status require_text(const std::string& text, const std::string& field, const std::string& what);

// Engine::run_due's part: unanswered requests go up a level after
// [approvals] escalate_after_hours; signed contracts past valid_to expire.
Status run_approval_timers(EngineState& s, DueReport& report);

}  // namespace salescore::detail
