// Claims and complaints: registered against an order (or a contract), investigated by
// the client's manager, resolved or rejected; causes counted over a period.
#include "engine/people_texts.h"
#include "engine/record_writes.h"
#include "engine/rule_tasks.h"
#include "engine/trimmed.h"
#include "rules/access.h"
#include "store/claim_rows.h"
#include "store/client_rows.h"
#include "store/contract_rows.h"
#include "store/order_rows.h"

namespace salescore {
using namespace detail;

namespace {

bool is_closed(ClaimStatus s) { return s == ClaimStatus::kResolved || s == ClaimStatus::kRejected; }

Result<Claim> load_or_not_found(EngineState& s, Id id) {
  SC_ASSIGN_OR_RETURN(auto c, store::load_claim(*s.conn, id));
  if (!c) return not_found("claim", id);
  return std::move(*c);
}

// A claim is seen and worked by whoever has its client: the manager, their assistant
// (who often registers it), the head of their department.
Status check_claim(EngineState& s, const Actor& actor, const Claim& c, const char* action) {
  SC_ASSIGN_OR_RETURN(Scope scope, scope_of(s, actor));
  SC_ASSIGN_OR_RETURN(bool ok, covers_client_id(s, scope, c.client_id));
  return ok ? Status::ok() : deny(s, actor, action, "claim", c.id);
}

std::string visible_claims(const Scope& scope) {
  if (scope.everything) return "";
  return "client_id IN (SELECT id FROM clients WHERE " + scope.condition("owner_id", "source", "assistant_id") + ")";
}

// What closing a claim needs: the cause for both outcomes, the measures to resolve it.
void check_closing(const Claim& c, FieldErrors& errors) {
  if (!is_closed(c.status)) return;
  if (c.cause.empty())
    errors.add("cause", std::string("required to ") + (c.status == ClaimStatus::kResolved ? "resolve" : "reject"));
  if (c.status == ClaimStatus::kResolved && c.measures.empty()) errors.add("measures", "required to resolve");
}

}  // namespace

Result<Claim> ClaimService::add(const Actor& actor, Claim claim) {
  return write<Claim>(*s_, [&]() -> Result<Claim> {
    trim(claim.description);
    trim(claim.cause);
    trim(claim.measures);
    FieldErrors errors;
    if (claim.description.empty()) errors.add("description", "required");
    if (claim.order_id == 0 && claim.contract_id == 0) errors.add("order_id", "a claim is against an order or a contract");
    if (claim.order_id) {
      SC_ASSIGN_OR_RETURN(auto order, store::load_order(*s_->conn, claim.order_id));
      if (!order) errors.add("order_id", "order " + std::to_string(claim.order_id) + " does not exist");
      else if (claim.client_id && claim.client_id != order->client_id)
        errors.add("client_id", "order " + order->number + " is of client " + std::to_string(order->client_id));
      else claim.client_id = order->client_id;
    } else if (claim.contract_id && claim.client_id == 0) {
      errors.add("client_id", "required for a claim against a contract alone");
    }
    if (claim.contract_id) {
      // Access is checked on the claim's client, so a contract we keep must be that
      // client's: a claim is no way to a colleague's contract. An id we do not keep (a
      // paper contract, one of 1C's) stays as given.
      SC_ASSIGN_OR_RETURN(auto contract, store::load_contract(*s_->conn, claim.contract_id));
      if (contract && claim.client_id && contract->client_id != claim.client_id)
        errors.add("contract_id", "contract " + contract->number + " is with client " +
                                      std::to_string(contract->client_id));
    }
    std::optional<Id> owner;
    if (claim.client_id) {
      SC_ASSIGN_OR_RETURN(owner, store::client_owner(*s_->conn, claim.client_id));
      if (!owner) errors.add("client_id", "client " + std::to_string(claim.client_id) + " does not exist");
    }
    if (claim.status != ClaimStatus::kOpen) errors.add("status", "a claim is registered open");
    SC_RETURN_IF_ERROR(errors.to_status("claim"));
    SC_RETURN_IF_ERROR(check_claim(*s_, actor, claim, "register"));
    const Instant now = s_->now();
    claim.owner_id = owner.value_or(0);
    claim.registered_by = actor.user_id;
    claim.resolved_at.reset();
    claim.created_at = claim.updated_at = now;
    SC_ASSIGN_OR_RETURN(claim.id, store::insert_claim(*s_->conn, claim));
    SC_RETURN_IF_ERROR(log_created(*s_, actor, "claim", claim));
    if (claim.owner_id) {
      Task t;
      t.title = say(*s_, "claim.investigate",
                    {std::to_string(claim.id), claim_kind_name(claim.kind), claim.description.substr(0, 80)});
      t.assignee_id = claim.owner_id;
      t.client_id = claim.client_id;
      t.order_id = claim.order_id;
      t.due_at = Instant{now.ms + kDayMs};  // the client hears back within a working day
      SC_RETURN_IF_ERROR(give_rule_task(*s_, actor, t, "claim.registered", "claim", claim.id).status());
    }
    return claim;
  });
}

Result<Claim> ClaimService::get(const Actor& actor, Id id) {
  return read<Claim>(*s_, [&]() -> Result<Claim> {
    SC_ASSIGN_OR_RETURN(Claim c, load_or_not_found(*s_, id));
    SC_RETURN_IF_ERROR(check_claim(*s_, actor, c, "read"));
    return c;
  });
}

Result<Saved<Claim>> ClaimService::update(const Actor& actor, Id id, const ClaimPatch& patch) {
  return write<Saved<Claim>>(*s_, [&]() -> Result<Saved<Claim>> {
    SC_ASSIGN_OR_RETURN(Claim before, load_or_not_found(*s_, id));
    SC_RETURN_IF_ERROR(check_claim(*s_, actor, before, "change"));
    Claim after = before;
    if (patch.kind) after.kind = *patch.kind;
    if (patch.description) after.description = *patch.description;
    if (patch.cause) after.cause = *patch.cause;
    if (patch.measures) after.measures = *patch.measures;
    if (patch.status) after.status = *patch.status;
    trim(after.description);
    trim(after.cause);
    trim(after.measures);
    FieldErrors errors;
    if (after.description.empty()) errors.add("description", "required");
    check_closing(after, errors);
    SC_RETURN_IF_ERROR(errors.to_status("claim"));
    const bool moved = after.status != before.status;
    if (moved && is_closed(before.status)) {
      SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
      if (!scope.everything && scope.role != Role::kHead)
        return deny(*s_, actor, "reopen", "claim", id, "a closed claim is reopened by a head, director or admin");
    }
    if (moved) after.resolved_at = is_closed(after.status) ? std::optional<Instant>(s_->now()) : std::nullopt;
    SC_ASSIGN_OR_RETURN(auto outcome, save_if_changed(*s_, actor, "claim", before, after, [&](const Claim& c) {
                          return store::update_claim(*s_->conn, c);
                        }));
    if (moved) {
      SC_RETURN_IF_ERROR(append_event(*s_, actor, "claim.status_changed", "claim", id,
                                      std::string("{\"from\":\"") + claim_status_name(before.status) + "\",\"to\":\"" +
                                          claim_status_name(after.status) + "\"}"));
      if (is_closed(after.status))
        SC_RETURN_IF_ERROR(close_rule_tasks(*s_, actor, "claim", id, "claim.", TaskStatus::kDone));
    }
    return Saved<Claim>{std::move(after), outcome, {}};
  });
}

Result<std::vector<Claim>> ClaimService::find(const Actor& actor, const ClaimQuery& query) {
  return read<std::vector<Claim>>(*s_, [&]() -> Result<std::vector<Claim>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::find_claims(*s_->conn, query, visible_claims(scope));
  });
}

Result<std::int64_t> ClaimService::count(const Actor& actor, const ClaimQuery& query) {
  return read<std::int64_t>(*s_, [&]() -> Result<std::int64_t> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::count_claims(*s_->conn, query, visible_claims(scope));
  });
}

Result<std::vector<CauseCount>> ClaimService::count_by_cause(const Actor& actor, const ClaimCauseQuery& query) {
  return read<std::vector<CauseCount>>(*s_, [&]() -> Result<std::vector<CauseCount>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::claims_by_cause(*s_->conn, query, visible_claims(scope));
  });
}

}  // namespace salescore
