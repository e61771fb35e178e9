#include "bindings.h"
#include "collection.h"
#include "more_codecs.h"

namespace salescore::python {

namespace {

const FieldTable<Lead>& lead_fields() {
  static const FieldTable<Lead> table = {
      computed<codec::Number>("id", &Lead::id),
      field<codec::LeadChannelName>("channel", &Lead::channel),
      field<codec::Text>("contact_name", &Lead::contact_name),
      field<codec::Text>("company", &Lead::company),
      field<codec::Text>("phone", &Lead::phone),
      field<codec::Text>("email", &Lead::email),
      field<codec::Text>("inn", &Lead::inn),
      field<codec::Text>("request", &Lead::request),
      field<codec::Flag>("concrete", &Lead::concrete),
      field<codec::Ref>("client_id", &Lead::client_id),
      field<codec::Ref>("assignee_id", &Lead::assignee_id),
      computed<codec::LeadStatusName>("status", &Lead::status),
      field<codec::When>("received_at", &Lead::received_at),
      computed<codec::When>("sla_due_at", &Lead::sla_due_at),
      computed<codec::MaybeWhen>("first_action_at", &Lead::first_action_at),
      computed<codec::SmallInt>("reassignments", &Lead::reassignments),
      computed<codec::Flag>("escalated", &Lead::escalated),
      computed<codec::Ref>("deal_id", &Lead::deal_id),
      computed<codec::Text>("lost_reason", &Lead::lost_reason),
      field<codec::Text>("source", &Lead::source),
      field<codec::Text>("external_id", &Lead::external_id),
      computed<codec::When>("created_at", &Lead::created_at),
      computed<codec::When>("updated_at", &Lead::updated_at),
  };
  return table;
}

const FieldTable<LeadQuery>& lead_query_fields() {
  static const FieldTable<LeadQuery> table = {
      optional<codec::Ref>("assignee_id", &LeadQuery::assignee_id),
      optional<codec::LeadStatusName>("status", &LeadQuery::status),
      optional<codec::When>("breached_from", &LeadQuery::breached_from),
      optional<codec::When>("breached_to", &LeadQuery::breached_to),
      optional<codec::When>("received_from", &LeadQuery::received_from),
      optional<codec::When>("received_to", &LeadQuery::received_to),
  };
  return table;
}

}  // namespace

void bind_leads(py::module_& m) {
  using Native = NativeCollection<LeadService>;
  auto cls = bind_collection(m, "Leads",
                             CollectionSpec<LeadService, Lead, NoPatch, LeadQuery>{
                                 "lead", &Engine::leads, &lead_fields(), nullptr, &lead_query_fields()});
  cls.def("queue", [](const Native& c, Actor actor, const py::dict& filters, int limit) {
    LeadQuery q{};
    assign_or_raise(lead_query_fields(), q, filters, c.engine->context(), "lead filter");
    q.page = Page{0, limit};
    return dicts_of(lead_fields(), c.engine->call([&](Engine& e) { return e.leads().queue(actor, q); }));
  });
  cls.def("touch", [](const Native& c, Actor actor, Id id, const std::string& kind) {
    return to_dict(lead_fields(), c.engine->call([&](Engine& e) { return e.leads().touch(actor, id, kind); }));
  });
  cls.def("convert", [](const Native& c, Actor actor, Id id, const std::string& deal_title) {
    LeadConversion done = c.engine->call([&](Engine& e) { return e.leads().convert(actor, id, deal_title); });
    py::dict out;
    out["lead"] = to_dict(lead_fields(), done.lead);
    out["client_id"] = done.client_id;
    out["client_created"] = done.client_created;
    out["deal_id"] = done.deal_id;
    return out;
  });
  cls.def("lose", [](const Native& c, Actor actor, Id id, const std::string& reason) {
    return to_dict(lead_fields(), c.engine->call([&](Engine& e) { return e.leads().lose(actor, id, reason); }));
  });
}

}  // namespace salescore::python
