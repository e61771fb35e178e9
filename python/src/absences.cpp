#include "bindings.h"
#include "collection.h"
#include "more_codecs.h"

namespace salescore::python {

namespace {

const FieldTable<Absence>& absence_fields() {
  static const FieldTable<Absence> table = {
      computed<codec::Number>("id", &Absence::id),
      field<codec::Number>("user_id", &Absence::user_id),
      field<codec::Number>("deputy_id", &Absence::deputy_id),
      field<codec::When>("starts_at", &Absence::starts_at),
      field<codec::When>("ends_at", &Absence::ends_at),
      field<codec::AbsenceReasonName>("reason", &Absence::reason),
      field<codec::Text>("note", &Absence::note),
      computed<codec::Flag>("cancelled", &Absence::cancelled),
      computed<codec::When>("created_at", &Absence::created_at),
  };
  return table;
}

struct Yes {
  using type = bool;
  static type from(py::handle v, const ConvertContext& ctx) { return codec::Flag::from(v, ctx); }
};

const FieldTable<AbsenceQuery>& absence_query_fields() {
  static const FieldTable<AbsenceQuery> table = {
      optional<codec::Number>("user_id", &AbsenceQuery::user_id),
      optional<codec::Number>("deputy_id", &AbsenceQuery::deputy_id),
      optional<codec::When>("active_at", &AbsenceQuery::active_at),
      {"include_cancelled", nullptr,
       [](AbsenceQuery& q, py::handle v, const ConvertContext& ctx) { q.include_cancelled = Yes::from(v, ctx); }},
  };
  return table;
}

}  // namespace

void bind_absences(py::module_& m) {
  using Native = NativeCollection<AbsenceService>;
  auto cls = bind_collection(m, "Absences",
                             CollectionSpec<AbsenceService, Absence, NoPatch, AbsenceQuery>{
                                 "absence", &Engine::absences, &absence_fields(), nullptr, &absence_query_fields()});
  cls.def("cancel", [](const Native& c, Actor actor, Id id) {
    return to_dict(absence_fields(), c.engine->call([&](Engine& e) { return e.absences().cancel(actor, id); }));
  });
}

}  // namespace salescore::python
