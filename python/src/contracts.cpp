#include "bindings.h"
#include "collection.h"
#include "more_codecs.h"
#include "record_tables.h"

namespace salescore::python {

namespace {

const FieldTable<Contract>& contract_fields() {
  static const FieldTable<Contract> table = {
      computed<codec::Number>("id", &Contract::id),
      field<codec::ContractTypeName>("type", &Contract::type),
      field<codec::Number>("client_id", &Contract::client_id),
      field<codec::Ref>("deal_id", &Contract::deal_id),
      field<codec::Ref>("owner_id", &Contract::owner_id),
      field<codec::Text>("number", &Contract::number),
      field<codec::MoneyOf>("amount", &Contract::amount),
      field<codec::SmallInt>("deferral_days", &Contract::deferral_days),
      field<codec::Text>("special_terms", &Contract::special_terms),
      field<codec::Text>("risk_note", &Contract::risk_note),
      field<codec::MaybeWhen>("valid_from", &Contract::valid_from),
      field<codec::MaybeWhen>("valid_to", &Contract::valid_to),
      computed<codec::MaybeWhen>("signed_at", &Contract::signed_at),
      computed<codec::ContractStatusName>("status", &Contract::status),
      computed<codec::Flag>("approved", &Contract::approved),
      computed<codec::Ref>("approval_id", &Contract::approval_id),
      computed<codec::Text>("termination_reason", &Contract::termination_reason),
      computed<codec::When>("created_at", &Contract::created_at),
      computed<codec::When>("updated_at", &Contract::updated_at),
  };
  return table;
}

const FieldTable<ContractPatch>& contract_patch_fields() {
  static const FieldTable<ContractPatch> table = {
      optional<codec::ContractTypeName>("type", &ContractPatch::type),
      optional<codec::Text>("number", &ContractPatch::number),
      optional<codec::Text>("special_terms", &ContractPatch::special_terms),
      optional<codec::Text>("risk_note", &ContractPatch::risk_note),
      optional<codec::Ref>("deal_id", &ContractPatch::deal_id),
      optional<codec::MoneyOf>("amount", &ContractPatch::amount),
      optional<codec::SmallInt>("deferral_days", &ContractPatch::deferral_days),
      optional<codec::MaybeWhen>("valid_from", &ContractPatch::valid_from),
      optional<codec::MaybeWhen>("valid_to", &ContractPatch::valid_to),
  };
  return table;
}

const FieldTable<ContractQuery>& contract_query_fields() {
  static const FieldTable<ContractQuery> table = {
      optional<codec::Number>("client_id", &ContractQuery::client_id),
      optional<codec::Ref>("deal_id", &ContractQuery::deal_id),
      optional<codec::Ref>("owner_id", &ContractQuery::owner_id),
      optional<codec::ContractStatusName>("status", &ContractQuery::status),
  };
  return table;
}

}  // namespace

void bind_contracts(py::module_& m) {
  using Native = NativeCollection<ContractService>;
  auto cls = bind_collection(m, "Contracts",
                             CollectionSpec<ContractService, Contract, ContractPatch, ContractQuery>{
                                 "contract", &Engine::contracts, &contract_fields(), &contract_patch_fields(),
                                 &contract_query_fields()});
  cls.def("request_approval", [](const Native& c, Actor actor, Id id, const std::string& reason) {
    return to_dict(approval_fields(),
                   c.engine->call([&](Engine& e) { return e.contracts().request_approval(actor, id, reason); }));
  });
  cls.def("sign", [](const Native& c, Actor actor, Id id, py::object at) {
    auto when = convert_argument("at", [&] { return codec::MaybeWhen::from(at, {}); });
    return to_dict(contract_fields(), c.engine->call([&](Engine& e) { return e.contracts().sign(actor, id, when); }));
  });
  cls.def("terminate", [](const Native& c, Actor actor, Id id, const std::string& reason) {
    return to_dict(contract_fields(),
                   c.engine->call([&](Engine& e) { return e.contracts().terminate(actor, id, reason); }));
  });
}

}  // namespace salescore::python
