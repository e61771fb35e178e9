#include "rules/approval_matrix.h"

namespace salescore::detail {
namespace {

Role role_for(const ApprovalConfig& config, const std::string& rule) {
  auto it = config.roles.find(rule);
  return it != config.roles.end() && it->second == "director" ? Role::kDirector : Role::kHead;
}

std::string percent(std::int64_t bp) { return format_amount(bp) + "%"; }

}  // namespace

std::string MatrixFindings::summary() const {
  std::string out;
  for (const auto& rule : rules) out += (out.empty() ? "" : "; ") + found.at(rule);
  return out;
}

MatrixFindings review_terms(const ApprovalConfig& config, const TermsUnderReview& terms) {
  MatrixFindings f;
  // `director_level` is the second threshold: above it only a director grants the rule.
  auto trip = [&](const std::string& rule, std::string what, bool director_level) {
    f.rules.push_back(rule);
    f.found[rule] = std::move(what);
    Role needed = director_level ? Role::kDirector : role_for(config, rule);
    if (authority_rank(needed) > authority_rank(f.role)) f.role = needed;
  };
  if (terms.individual_proposal) trip("individual_proposal", "an individual proposal", false);
  if (terms.max_discount_bp > config.discount_bp) {
    bool director = config.director_discount_bp > 0 && terms.max_discount_bp > config.director_discount_bp;
    trip("discount",
         "discount " + percent(terms.max_discount_bp) + " above " +
             percent(director ? config.director_discount_bp : config.discount_bp),
         director);
  }
  if (terms.deferral_days > config.deferral_days) {
    bool director = config.director_deferral_days > 0 && terms.deferral_days > config.director_deferral_days;
    trip("deferral",
         "payment deferral of " + std::to_string(terms.deferral_days) + " days above " +
             std::to_string(director ? config.director_deferral_days : config.deferral_days),
         director);
  }
  if (terms.contract_amount_minor && *terms.contract_amount_minor > config.contract_amount_minor) {
    bool director = config.director_contract_amount_minor > 0 &&
                    *terms.contract_amount_minor > config.director_contract_amount_minor;
    trip("contract_amount",
         "contract amount " + format_amount(*terms.contract_amount_minor) + " above " +
             format_amount(director ? config.director_contract_amount_minor : config.contract_amount_minor),
         director);
  }
  if (terms.special_terms) trip("special_terms", "special terms", false);
  if (terms.vip_visit) trip("vip_visit", "a visit to a VIP client", false);
  return f;
}

int authority_rank(Role role) {
  switch (role) {
    case Role::kHead: return 1;
    case Role::kDirector:
    case Role::kAdmin: return 2;
    default: return 0;
  }
}

int authority_rank(const Scope& scope) { return scope.user_id == 0 ? 2 : authority_rank(scope.role); }

bool needs_approval(const MatrixFindings& findings, const Scope& scope) {
  return !findings.empty() && authority_rank(findings.role) > authority_rank(scope);
}

std::optional<std::string> why_not_decider(const Scope& scope, const Approval& a) {
  if (scope.user_id == 0) return std::nullopt;
  // Asking and granting are two people's duties, whatever the asker's rank.
  if (scope.user_id == a.requester_id) return "nobody decides their own request";
  if (authority_rank(scope) >= 2) return std::nullopt;
  if (scope.user_id == a.approver_id) return std::nullopt;
  if (scope.role == Role::kHead && authority_rank(a.approver_role) <= 1 && scope.owns(a.owner_id))
    return std::nullopt;
  return "a " + std::string(role_name(a.approver_role)) + " of the owner's department decides this request";
}

}  // namespace salescore::detail
