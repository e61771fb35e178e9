#include "bindings.h"
#include "collection.h"

namespace salescore::python {

namespace {

const FieldTable<Contact>& contact_fields() {
  static const FieldTable<Contact> table = {
      computed<codec::Number>("id", &Contact::id),
      field<codec::Number>("client_id", &Contact::client_id),
      field<codec::Text>("name", &Contact::name),
      field<codec::Text>("role", &Contact::role),
      field<codec::Texts>("phones", &Contact::phones),
      field<codec::Texts>("emails", &Contact::emails),
      field<codec::Text>("notes", &Contact::notes),
      computed<codec::When>("created_at", &Contact::created_at),
      computed<codec::When>("updated_at", &Contact::updated_at),
  };
  return table;
}

const FieldTable<ContactPatch>& contact_patch_fields() {
  static const FieldTable<ContactPatch> table = {
      optional<codec::Text>("name", &ContactPatch::name),
      optional<codec::Text>("role", &ContactPatch::role),
      optional<codec::Text>("notes", &ContactPatch::notes),
      optional<codec::Texts>("phones", &ContactPatch::phones),
      optional<codec::Texts>("emails", &ContactPatch::emails),
  };
  return table;
}

// The service lists contacts per client only, so that is the one filter, and a required one.
struct ContactFilter {
  std::optional<Id> client_id;
};

const FieldTable<ContactFilter>& contact_filter_fields() {
  static const FieldTable<ContactFilter> table = {
      optional<codec::Number>("client_id", &ContactFilter::client_id),
  };
  return table;
}

}  // namespace

void bind_contacts(py::module_& m) {
  using Native = NativeCollection<ContactService>;
  auto cls = bind_collection(m, "Contacts",
                             CollectionSpec<ContactService, Contact, ContactPatch>{
                                 "contact", &Engine::contacts, &contact_fields(), &contact_patch_fields()});
  cls.def("find", [](const Native& c, Actor actor, const py::dict& filters, Id after_id, int limit) {
    ContactFilter filter;
    assign_or_raise(contact_filter_fields(), filter, filters, c.engine->context(), "contact filter");
    if (!filter.client_id)
      raise_invalid("contact filter", {{"client_id", "required: contacts are listed per client"}}, {"client_id"});
    auto all = c.engine->call([&](Engine& e) { return e.contacts().of_client(actor, *filter.client_id); });
    return dicts_of(contact_fields(), page_of(std::move(all), after_id, limit));
  });
}

}  // namespace salescore::python
