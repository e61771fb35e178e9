#include "bindings.h"
#include "collection.h"
#include "more_codecs.h"
#include "record_tables.h"

namespace salescore::python {

namespace {

const FieldTable<ProposalLine>& line_fields() {
  static const FieldTable<ProposalLine> table = {
      field<codec::Text>("sku", &ProposalLine::sku),
      computed<codec::Ref>("product_id", &ProposalLine::product_id),
      field<codec::Text>("name", &ProposalLine::name),
      field<codec::Qty>("quantity", &ProposalLine::quantity),
      field<codec::Amount>("price", &ProposalLine::price_minor),
      // Percent off the line as a Decimal ("12.50"), as REST and the CSV name it.
      field<codec::Amount>("discount_percent", &ProposalLine::discount_bp),
      computed<codec::Amount>("amount", &ProposalLine::amount_minor),
  };
  return table;
}

// What a line may be written with: the fields above and, deprecated, the old
// discount_bp (hundredths of a percent: 1250 is 12.50 %), read with a warning.
const FieldTable<ProposalLine>& line_input_fields() {
  static const FieldTable<ProposalLine> table = [] {
    FieldTable<ProposalLine> t = line_fields();
    t.push_back({"discount_bp", nullptr, [](ProposalLine& l, py::handle v, const ConvertContext& ctx) {
                   PyErr_WarnEx(PyExc_DeprecationWarning, "discount_bp is deprecated: give discount_percent (\"12.50\")",
                                1);
                   l.discount_bp = codec::Number::from(v, ctx);
                 }});
    return t;
  }();
  return table;
}

struct LineList {
  using type = std::vector<ProposalLine>;
  static type from(py::handle v, const ConvertContext& ctx) { return items_from(line_input_fields(), v, ctx); }
  static py::object to(const type& v) { return items_to(line_fields(), v); }
};

const FieldTable<ProposalTerms>& terms_fields() {
  static const FieldTable<ProposalTerms> table = {
      field<codec::Text>("payment_terms", &ProposalTerms::payment_terms),
      field<codec::SmallInt>("deferral_days", &ProposalTerms::deferral_days),
      field<codec::Text>("shipping_terms", &ProposalTerms::shipping_terms),
      field<codec::MaybeWhen>("valid_until", &ProposalTerms::valid_until),
      field<codec::Text>("special_terms", &ProposalTerms::special_terms),
  };
  return table;
}

struct Terms {
  using type = ProposalTerms;
  static type from(py::handle v, const ConvertContext& ctx) { return nested_from(terms_fields(), v, ctx); }
  static py::object to(const type& v) { return to_dict(terms_fields(), v); }
};

const FieldTable<Proposal>& proposal_fields() {
  static const FieldTable<Proposal> table = {
      computed<codec::Number>("id", &Proposal::id),
      field<codec::ProposalKindName>("kind", &Proposal::kind),
      field<codec::Number>("client_id", &Proposal::client_id),
      field<codec::Ref>("deal_id", &Proposal::deal_id),
      field<codec::Ref>("owner_id", &Proposal::owner_id),
      computed<codec::ProposalStatusName>("status", &Proposal::status),
      field<codec::Text>("currency", &Proposal::currency),
      field<LineList>("lines", &Proposal::lines),
      computed<codec::Amount>("total", &Proposal::total_minor),
      field<Terms>("terms", &Proposal::terms),
      field<codec::Text>("notes", &Proposal::notes),
      computed<codec::Ref>("approval_id", &Proposal::approval_id),
      computed<codec::MaybeWhen>("sent_at", &Proposal::sent_at),
      computed<codec::MaybeWhen>("received_at", &Proposal::received_at),
      computed<codec::MaybeWhen>("answered_at", &Proposal::answered_at),
      computed<codec::Text>("decline_reason", &Proposal::decline_reason),
      computed<codec::Ref>("receipt_task_id", &Proposal::receipt_task_id),
      computed<codec::When>("created_at", &Proposal::created_at),
      computed<codec::When>("updated_at", &Proposal::updated_at),
  };
  return table;
}

const FieldTable<ProposalPatch>& proposal_patch_fields() {
  static const FieldTable<ProposalPatch> table = {
      optional<codec::ProposalKindName>("kind", &ProposalPatch::kind),
      optional<codec::Ref>("deal_id", &ProposalPatch::deal_id),
      optional<LineList>("lines", &ProposalPatch::lines),
      optional<Terms>("terms", &ProposalPatch::terms),
      optional<codec::Text>("notes", &ProposalPatch::notes),
  };
  return table;
}

const FieldTable<ProposalQuery>& proposal_query_fields() {
  static const FieldTable<ProposalQuery> table = {
      optional<codec::Number>("client_id", &ProposalQuery::client_id),
      optional<codec::Ref>("deal_id", &ProposalQuery::deal_id),
      optional<codec::Ref>("owner_id", &ProposalQuery::owner_id),
      optional<codec::ProposalStatusName>("status", &ProposalQuery::status),
  };
  return table;
}

}  // namespace

void bind_proposals(py::module_& m) {
  using Native = NativeCollection<ProposalService>;
  auto cls = bind_collection(m, "Proposals",
                             CollectionSpec<ProposalService, Proposal, ProposalPatch, ProposalQuery>{
                                 "proposal", &Engine::proposals, &proposal_fields(), &proposal_patch_fields(),
                                 &proposal_query_fields()});
  cls.def("request_approval", [](const Native& c, Actor actor, Id id, const std::string& reason) {
    return to_dict(approval_fields(),
                   c.engine->call([&](Engine& e) { return e.proposals().request_approval(actor, id, reason); }));
  });
  cls.def("send", [](const Native& c, Actor actor, Id id) {
    return to_dict(proposal_fields(), c.engine->call([&](Engine& e) { return e.proposals().send(actor, id); }));
  });
  cls.def("mark_received", [](const Native& c, Actor actor, Id id, py::object at) {
    auto when = convert_argument("at", [&] { return codec::MaybeWhen::from(at, {}); });
    return to_dict(proposal_fields(),
                   c.engine->call([&](Engine& e) { return e.proposals().mark_received(actor, id, when); }));
  });
  cls.def("accept", [](const Native& c, Actor actor, Id id) {
    return to_dict(proposal_fields(), c.engine->call([&](Engine& e) { return e.proposals().accept(actor, id); }));
  });
  cls.def("decline", [](const Native& c, Actor actor, Id id, const std::string& reason) {
    return to_dict(proposal_fields(),
                   c.engine->call([&](Engine& e) { return e.proposals().decline(actor, id, reason); }));
  });
}

}  // namespace salescore::python
