// Claims and complaints (претензии, рекламации): registered against an order (or a
// contract), the cause found, the measures taken, resolved or rejected; the causes
// counted over a period so that recurring ones show. Rules in docs/rules.md, "Claims".
//
// Include salescore/engine.h, or this header: each includes the other (see payments.h).
//
// Thread-safety: like every service, calls are serialized on the engine's connection.
#include "salescore/engine.h"

#ifndef SALESCORE_CLAIMS_H_
#define SALESCORE_CLAIMS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "salescore/record_fields.h"

namespace salescore {

enum class ClaimKind { kQuality, kQuantity, kDelivery, kDocuments, kOther };
const char* claim_kind_name(ClaimKind k);
Result<ClaimKind> parse_claim_kind(std::string_view name);

enum class ClaimStatus { kOpen, kInvestigating, kResolved, kRejected };
const char* claim_status_name(ClaimStatus s);
Result<ClaimStatus> parse_claim_status(std::string_view name);

struct Claim {
  Id id = 0;
  Id client_id = 0;    // the order's client when an order is given
  Id order_id = 0;
  // The contract it is against. Contracts arrive with their own migration; until then
  // the id is kept as given and not checked (the column has no foreign key).
  Id contract_id = 0;
  ClaimKind kind = ClaimKind::kOther;
  std::string description;  // what the client says
  std::string cause;        // the cause found; counted by ClaimService::count_by_cause
  std::string measures;     // the measures taken
  ClaimStatus status = ClaimStatus::kOpen;
  std::optional<Instant> resolved_at;  // set on resolved or rejected
  Id owner_id = 0;          // the client's manager, who handles it
  Id registered_by = 0;
  Instant created_at;
  Instant updated_at;
};

struct ClaimPatch {
  std::optional<ClaimKind> kind;
  std::optional<std::string> description, cause, measures;
  std::optional<ClaimStatus> status;
};

struct ClaimQuery {
  std::optional<Id> client_id, order_id, owner_id;
  std::optional<ClaimStatus> status;
  std::optional<ClaimKind> kind;
  std::optional<Instant> from, to;  // created_at in [from, to)
  Page page;
};

// Claims registered in [from, to) (either end open when unset).
struct ClaimCauseQuery {
  std::optional<Instant> from, to;
  std::optional<ClaimKind> kind;
};

struct CauseCount {
  std::string cause;
  std::int64_t count = 0;
  bool operator==(const CauseCount&) const = default;
};

class ClaimService {
 public:
  explicit ClaimService(detail::EngineState* s) : s_(s) {}
  // Registers a claim, open, and gives the client's manager a task to investigate it.
  Result<Claim> add(const Actor& actor, Claim claim);
  Result<Claim> get(const Actor& actor, Id id);
  // Resolving needs the cause and the measures, rejecting the cause; both stamp the
  // resolution date and complete the manager's task. A closed claim is reopened only
  // by a head, director or admin.
  Result<Saved<Claim>> update(const Actor& actor, Id id, const ClaimPatch& patch);
  Result<std::vector<Claim>> find(const Actor& actor, const ClaimQuery& query);
  Result<std::int64_t> count(const Actor& actor, const ClaimQuery& query);
  // Cause -> number of claims, most frequent first. Causes are compared ignoring case
  // and surrounding spaces; claims without a cause yet are not counted.
  Result<std::vector<CauseCount>> count_by_cause(const Actor& actor, const ClaimCauseQuery& query);

 private:
  detail::EngineState* s_;
};

FieldList fields_of(const Claim& c);

}  // namespace salescore

#endif  // SALESCORE_CLAIMS_H_
