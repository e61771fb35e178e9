// Names of the claim enumerations and the claim's field list.
#include "model/enum_names.h"
#include "salescore/claims.h"

namespace salescore {
using detail::name_of;
using detail::parse_from;

namespace {
constexpr std::array<std::pair<ClaimKind, const char*>, 5> kClaimKinds{{{ClaimKind::kQuality, "quality"},
                                                                        {ClaimKind::kQuantity, "quantity"},
                                                                        {ClaimKind::kDelivery, "delivery"},
                                                                        {ClaimKind::kDocuments, "documents"},
                                                                        {ClaimKind::kOther, "other"}}};
constexpr std::array<std::pair<ClaimStatus, const char*>, 4> kClaimStatuses{
    {{ClaimStatus::kOpen, "open"},
     {ClaimStatus::kInvestigating, "investigating"},
     {ClaimStatus::kResolved, "resolved"},
     {ClaimStatus::kRejected, "rejected"}}};
}  // namespace

const char* claim_kind_name(ClaimKind k) { return name_of(kClaimKinds, k); }
Result<ClaimKind> parse_claim_kind(std::string_view n) { return parse_from(kClaimKinds, n, "claim kind"); }
const char* claim_status_name(ClaimStatus s) { return name_of(kClaimStatuses, s); }
Result<ClaimStatus> parse_claim_status(std::string_view n) { return parse_from(kClaimStatuses, n, "claim status"); }

FieldList fields_of(const Claim& c) {
  FieldList f;
  f.number("id", c.id);
  f.number("client_id", c.client_id);
  f.id("order_id", c.order_id);
  f.id("contract_id", c.contract_id);
  f.string("kind", claim_kind_name(c.kind));
  f.string("description", c.description);
  f.string("cause", c.cause);
  f.string("measures", c.measures);
  f.string("status", claim_status_name(c.status));
  f.instant("resolved_at", c.resolved_at);
  f.id("owner_id", c.owner_id);
  f.id("registered_by", c.registered_by);
  f.instant("created_at", c.created_at);
  f.instant("updated_at", c.updated_at);
  return f;
}

}  // namespace salescore
