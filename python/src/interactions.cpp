#include "bindings.h"
#include "collection.h"
#include "columns.h"

namespace salescore::python {

namespace {

const FieldTable<Interaction>& interaction_fields() {
  static const FieldTable<Interaction> table = {
      computed<codec::Number>("id", &Interaction::id),
      field<codec::InteractionKindName>("kind", &Interaction::kind),
      field<codec::DirectionName>("direction", &Interaction::direction),
      field<codec::When>("occurred_at", &Interaction::occurred_at),
      field<codec::Number>("duration_s", &Interaction::duration_s),
      field<codec::Ref>("user_id", &Interaction::user_id),
      field<codec::Ref>("client_id", &Interaction::client_id),
      field<codec::Ref>("contact_id", &Interaction::contact_id),
      field<codec::Text>("subject", &Interaction::subject),
      field<codec::Text>("body", &Interaction::body),
      field<codec::Text>("source", &Interaction::source),
      field<codec::Text>("external_id", &Interaction::external_id),
      computed<codec::When>("created_at", &Interaction::created_at),
      // What a PBX says of a call (empty for other kinds).
      field<codec::Text>("caller", &Interaction::call, &CallFacts::caller),
      field<codec::Text>("callee", &Interaction::call, &CallFacts::callee),
      field<codec::Text>("manager", &Interaction::call, &CallFacts::manager),
      field<codec::Number>("ring_s", &Interaction::call, &CallFacts::ring_s),
      field<codec::Text>("disposition", &Interaction::call, &CallFacts::disposition),
      field<codec::Text>("hangup_cause", &Interaction::call, &CallFacts::hangup_cause),
      field<codec::Text>("recording", &Interaction::call, &CallFacts::recording),
      field<codec::Text>("pbx_call_id", &Interaction::call, &CallFacts::pbx_call_id),
      field<codec::Text>("rang_not_answered", &Interaction::call, &CallFacts::rang_not_answered),
  };
  return table;
}

const FieldTable<InteractionQuery>& interaction_query_fields() {
  static const FieldTable<InteractionQuery> table = {
      optional<codec::Ref>("client_id", &InteractionQuery::client_id),
      optional<codec::Ref>("user_id", &InteractionQuery::user_id),
      optional<codec::InteractionKindName>("kind", &InteractionQuery::kind),
      optional<codec::When>("since", &InteractionQuery::from),
      optional<codec::When>("until", &InteractionQuery::to),
  };
  return table;
}

}  // namespace

void bind_interactions(py::module_& m) {
  auto cls = bind_collection(m, "Interactions",
                             CollectionSpec<InteractionService, Interaction, NoPatch, InteractionQuery>{
                                 "interaction", &Engine::interactions, &interaction_fields(), nullptr,
                                 &interaction_query_fields()});
  def_columns(cls, interaction_query_fields(), "interaction", &ColumnService::interactions);
}

}  // namespace salescore::python
