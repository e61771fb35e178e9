#include "bindings.h"
#include "collection.h"
#include "more_codecs.h"

namespace salescore::python {

namespace {

const FieldTable<Claim>& claim_fields() {
  static const FieldTable<Claim> table = {
      computed<codec::Number>("id", &Claim::id),
      field<codec::Ref>("client_id", &Claim::client_id),
      field<codec::Ref>("order_id", &Claim::order_id),
      field<codec::Ref>("contract_id", &Claim::contract_id),
      field<codec::ClaimKindName>("kind", &Claim::kind),
      field<codec::Text>("description", &Claim::description),
      field<codec::Text>("cause", &Claim::cause),
      field<codec::Text>("measures", &Claim::measures),
      computed<codec::ClaimStatusName>("status", &Claim::status),
      computed<codec::MaybeWhen>("resolved_at", &Claim::resolved_at),
      computed<codec::Ref>("owner_id", &Claim::owner_id),
      computed<codec::Ref>("registered_by", &Claim::registered_by),
      computed<codec::When>("created_at", &Claim::created_at),
      computed<codec::When>("updated_at", &Claim::updated_at),
  };
  return table;
}

const FieldTable<ClaimPatch>& claim_patch_fields() {
  static const FieldTable<ClaimPatch> table = {
      optional<codec::ClaimKindName>("kind", &ClaimPatch::kind),
      optional<codec::Text>("description", &ClaimPatch::description),
      optional<codec::Text>("cause", &ClaimPatch::cause),
      optional<codec::Text>("measures", &ClaimPatch::measures),
      optional<codec::ClaimStatusName>("status", &ClaimPatch::status),
  };
  return table;
}

const FieldTable<ClaimQuery>& claim_query_fields() {
  static const FieldTable<ClaimQuery> table = {
      optional<codec::Number>("client_id", &ClaimQuery::client_id),
      optional<codec::Number>("order_id", &ClaimQuery::order_id),
      optional<codec::Ref>("owner_id", &ClaimQuery::owner_id),
      optional<codec::ClaimStatusName>("status", &ClaimQuery::status),
      optional<codec::ClaimKindName>("kind", &ClaimQuery::kind),
      optional<codec::When>("since", &ClaimQuery::from),
      optional<codec::When>("until", &ClaimQuery::to),
  };
  return table;
}

const FieldTable<ClaimCauseQuery>& cause_query_fields() {
  static const FieldTable<ClaimCauseQuery> table = {
      optional<codec::When>("since", &ClaimCauseQuery::from),
      optional<codec::When>("until", &ClaimCauseQuery::to),
      optional<codec::ClaimKindName>("kind", &ClaimCauseQuery::kind),
  };
  return table;
}

}  // namespace

void bind_claims(py::module_& m) {
  using Native = NativeCollection<ClaimService>;
  auto cls = bind_collection(m, "Claims",
                             CollectionSpec<ClaimService, Claim, ClaimPatch, ClaimQuery>{
                                 "claim", &Engine::claims, &claim_fields(), &claim_patch_fields(), &claim_query_fields()});
  cls.def("count_by_cause", [](const Native& c, Actor actor, const py::dict& filters) {
    ClaimCauseQuery q{};
    assign_or_raise(cause_query_fields(), q, filters, c.engine->context(), "claim cause filter");
    auto counts = c.engine->call([&](Engine& e) { return e.claims().count_by_cause(actor, q); });
    py::dict out;  // most frequent first: dicts keep insertion order
    for (const auto& cc : counts) out[py::str(cc.cause)] = cc.count;
    return out;
  });
}

}  // namespace salescore::python
