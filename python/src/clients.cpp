#include "bindings.h"
#include "collection.h"
#include "columns.h"

namespace salescore::python {

namespace {

// A client's segment: None until the rule first classifies the client.
struct SegmentText {
  using type = std::string;
  static type from(py::handle v, const ConvertContext& ctx) { return codec::Text::from(v, ctx); }
  static py::object to(const type& v) { return v.empty() ? py::object(py::none()) : py::object(py::str(v)); }
};

const FieldTable<Address>& address_fields() {
  static const FieldTable<Address> table = {
      field<codec::Text>("kind", &Address::kind),
      field<codec::Text>("text", &Address::text),
  };
  return table;
}

struct AddressList {
  using type = std::vector<Address>;
  static type from(py::handle v, const ConvertContext& ctx) { return items_from(address_fields(), v, ctx); }
  static py::object to(const type& v) { return items_to(address_fields(), v); }
};

const FieldTable<Client>& client_fields() {
  static const FieldTable<Client> table = {
      computed<codec::Number>("id", &Client::id),
      field<codec::Text>("name", &Client::name),
      field<codec::Text>("legal_form", &Client::legal_form),
      field<codec::Text>("inn", &Client::inn),
      field<codec::Text>("kpp", &Client::kpp),
      field<AddressList>("addresses", &Client::addresses),
      field<codec::Texts>("phones", &Client::phones),
      field<codec::Texts>("emails", &Client::emails),
      field<codec::Text>("price_type", &Client::price_type),
      field<codec::Text>("payment_terms", &Client::payment_terms),
      field<codec::Text>("shipping_terms", &Client::shipping_terms),
      field<codec::TierName>("tier", &Client::tier),
      field<codec::Ref>("owner_id", &Client::owner_id),
      field<codec::Ref>("assistant_id", &Client::assistant_id),
      field<codec::Text>("notes", &Client::notes),
      field<codec::TextMap>("custom", &Client::custom),
      field<codec::Text>("source", &Client::source),
      field<codec::Text>("external_id", &Client::external_id),
      computed<codec::When>("created_at", &Client::created_at),
      computed<codec::When>("updated_at", &Client::updated_at),
      computed<SegmentText>("segment", &Client::segment),
  };
  return table;
}

const FieldTable<ClientPatch>& client_patch_fields() {
  static const FieldTable<ClientPatch> table = {
      optional<codec::Text>("name", &ClientPatch::name),
      optional<codec::Text>("legal_form", &ClientPatch::legal_form),
      optional<codec::Text>("inn", &ClientPatch::inn),
      optional<codec::Text>("kpp", &ClientPatch::kpp),
      optional<AddressList>("addresses", &ClientPatch::addresses),
      optional<codec::Texts>("phones", &ClientPatch::phones),
      optional<codec::Texts>("emails", &ClientPatch::emails),
      optional<codec::Text>("price_type", &ClientPatch::price_type),
      optional<codec::Text>("payment_terms", &ClientPatch::payment_terms),
      optional<codec::Text>("shipping_terms", &ClientPatch::shipping_terms),
      optional<codec::TierName>("tier", &ClientPatch::tier),
      optional<codec::Ref>("owner_id", &ClientPatch::owner_id),
      optional<codec::Ref>("assistant_id", &ClientPatch::assistant_id),
      optional<codec::Text>("notes", &ClientPatch::notes),
      optional<codec::TextMap>("custom", &ClientPatch::custom),
  };
  return table;
}

const FieldTable<ClientQuery>& client_query_fields() {
  static const FieldTable<ClientQuery> table = {
      optional<codec::Text>("phone", &ClientQuery::phone),
      optional<codec::Text>("email", &ClientQuery::email),
      optional<codec::Text>("inn", &ClientQuery::inn),
      optional<codec::Text>("name_prefix", &ClientQuery::name_prefix),
      optional<codec::Ref>("owner_id", &ClientQuery::owner_id),
      optional<codec::TierName>("tier", &ClientQuery::tier),
      optional<codec::Text>("segment", &ClientQuery::segment),
  };
  return table;
}

}  // namespace

void bind_clients(py::module_& m) {
  auto cls = bind_collection(m, "Clients",
                             CollectionSpec<ClientService, Client, ClientPatch, ClientQuery>{
                                 "client", &Engine::clients, &client_fields(), &client_patch_fields(),
                                 &client_query_fields()});
  def_columns(cls, client_query_fields(), "client", &ColumnService::clients);
  // The segment with its dates (SegmentService::get): a client not classified yet is
  // classified on the fly, as GET /api/v1/clients/{id}/segment does.
  cls.def("segment", [](const NativeCollection<ClientService>& c, Actor actor, Id client_id) {
    auto s = c.engine->call([&](Engine& e) { return e.segments().get(actor, client_id); });
    py::dict out;
    out["client_id"] = s.client_id;
    out["segment"] = segment_name(s.segment);
    out["last_order_at"] = codec::MaybeWhen::to(s.last_order_at);
    out["since"] = instant_to_py(s.since);
    out["next_change_at"] = codec::MaybeWhen::to(s.next_change_at);
    return out;
  });
}

}  // namespace salescore::python
