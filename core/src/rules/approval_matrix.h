// The approval matrix: which terms go beyond whose authority, and who may decide a
// request. Pure rules over the configuration and the actor's scope; the services in
// engine/ store the requests and their decisions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rules/access.h"

namespace salescore::detail {

// What a request is checked against; a field left at its default trips nothing.
struct TermsUnderReview {
  bool individual_proposal = false;
  std::int64_t max_discount_bp = 0;
  int deferral_days = 0;
  bool special_terms = false;
  std::optional<std::int64_t> contract_amount_minor;
  bool vip_visit = false;
};

struct MatrixFindings {
  std::vector<std::string> rules;  // "discount", "deferral", ... in matrix order
  // rule -> what was found ("discount 15.00% above 10.00%"), for messages and fields.
  std::map<std::string, std::string> found;
  Role role = Role::kManager;  // the least role that grants all of it; kManager: nothing to grant
  bool empty() const { return rules.empty(); }
  std::string summary() const;  // the findings joined with "; "
};

MatrixFindings review_terms(const ApprovalConfig& config, const TermsUnderReview& terms);

// 0 for managers, assistants and integration users; 1 for heads; 2 for directors and
// admins (and the system itself).
int authority_rank(const Scope& scope);
int authority_rank(Role role);

// Does acting on `findings` need someone with more authority than `scope`?
bool needs_approval(const MatrixFindings& findings, const Scope& scope);

// May `scope` decide `approval`? The current approver, a head of the subject owner's
// department while a head's authority suffices, a director or an admin; never the
// requester. Returns the reason when not.
std::optional<std::string> why_not_decider(const Scope& scope, const Approval& approval);

}  // namespace salescore::detail
