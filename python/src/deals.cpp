#include "bindings.h"
#include "collection.h"

namespace salescore::python {

namespace {

struct MoneyValue {
  using type = Money;
  static type from(py::handle v, const ConvertContext& ctx) { return money_from_py(v, ctx.currency); }
  static py::object to(const type& v) { return money_to_py(v); }
};

// A deal shows its amount and currency as two fields (as its events do). Either order
// of the keyword arguments works: the amount takes the engine's currency only while no
// currency was given.
FieldDef<Deal> expected_amount_field() {
  return {"expected_amount", [](const Deal& d) { return amount_to_py(d.expected_amount.minor); },
          [](Deal& d, py::handle v, const ConvertContext& ctx) {
            Money m = money_from_py(v, "");
            d.expected_amount.minor = m.minor;
            if (!m.currency.empty())
              d.expected_amount.currency = m.currency;
            else if (d.expected_amount.currency.empty())
              d.expected_amount.currency = ctx.currency;
          }};
}

FieldDef<Deal> currency_field() {
  return {"currency", [](const Deal& d) { return py::str(d.expected_amount.currency); },
          [](Deal& d, py::handle v, const ConvertContext&) { d.expected_amount.currency = currency_from_py(v); }};
}

const FieldTable<Deal>& deal_fields() {
  static const FieldTable<Deal> table = {
      computed<codec::Number>("id", &Deal::id),
      field<codec::Number>("client_id", &Deal::client_id),
      field<codec::Text>("title", &Deal::title),
      field<codec::Text>("stage", &Deal::stage),
      expected_amount_field(),
      currency_field(),
      field<codec::MaybeWhen>("expected_close", &Deal::expected_close),
      field<codec::Ref>("owner_id", &Deal::owner_id),
      field<codec::Text>("lost_reason", &Deal::lost_reason),
      field<codec::Texts>("documents", &Deal::documents),
      field<codec::TextMap>("custom", &Deal::custom),
      field<codec::Text>("source", &Deal::source),
      field<codec::Text>("external_id", &Deal::external_id),
      computed<codec::When>("stage_changed_at", &Deal::stage_changed_at),
      computed<codec::When>("created_at", &Deal::created_at),
      computed<codec::When>("updated_at", &Deal::updated_at),
  };
  return table;
}

// expected_amount as a bare amount takes the engine's currency; give (amount, currency)
// to keep a deal in another one.
const FieldTable<DealPatch>& deal_patch_fields() {
  static const FieldTable<DealPatch> table = {
      optional<codec::Text>("title", &DealPatch::title),
      optional<codec::Text>("stage", &DealPatch::stage),
      optional<codec::Text>("lost_reason", &DealPatch::lost_reason),
      optional<MoneyValue>("expected_amount", &DealPatch::expected_amount),
      optional<codec::MaybeWhen>("expected_close", &DealPatch::expected_close),
      optional<codec::Ref>("owner_id", &DealPatch::owner_id),
      optional<codec::Texts>("documents", &DealPatch::documents),
      optional<codec::TextMap>("custom", &DealPatch::custom),
  };
  return table;
}

const FieldTable<DealQuery>& deal_query_fields() {
  static const FieldTable<DealQuery> table = {
      optional<codec::Number>("client_id", &DealQuery::client_id),
      optional<codec::Ref>("owner_id", &DealQuery::owner_id),
      optional<codec::Text>("stage", &DealQuery::stage),
  };
  return table;
}

}  // namespace

void bind_deals(py::module_& m) {
  using Native = NativeCollection<DealService>;
  auto cls = bind_collection(m, "Deals",
                             CollectionSpec<DealService, Deal, DealPatch, DealQuery>{
                                 "deal", &Engine::deals, &deal_fields(), &deal_patch_fields(), &deal_query_fields()});
  // `fields` are what the stage needs, set in the same step as the move.
  cls.def("advance", [](const Native& c, Actor actor, Id id, const std::string& stage, const py::dict& fields) {
    DealPatch with{};
    assign_or_raise(deal_patch_fields(), with, fields, c.engine->context(), "deal advance");
    return write_result(deal_fields(),
                        c.engine->call([&](Engine& e) { return e.deals().advance(actor, id, stage, with); }));
  });
  cls.def("lose", [](const Native& c, Actor actor, Id id, const std::string& reason) {
    return write_result(deal_fields(), c.engine->call([&](Engine& e) { return e.deals().lose(actor, id, reason); }));
  });
  cls.def("attest", [](const Native& c, Actor actor, Id id, const std::string& document, const std::string& note) {
    return write_result(deal_fields(), c.engine->call([&](Engine& e) {
                          return e.deals().attest_document(actor, id, document, note);
                        }));
  });
  // The documents people vouched for on one deal, or (id 0) on every deal the actor sees;
  // `by_migration`: only those migration 15 kept from lists typed in by hand.
  cls.def("attestations", [](const Native& c, Actor actor, Id id, bool by_migration) {
    AttestationQuery query;
    if (id != 0) query.deal_id = id;
    query.by_migration_only = by_migration;
    query.page.limit = 0;
    auto found = c.engine->call([&](Engine& e) { return e.deals().attestations(actor, query); });
    py::list out;
    for (const DocumentAttestation& a : found) {
      py::dict d;
      d["deal_id"] = a.deal_id;
      d["document"] = a.document;
      d["attested_by"] = a.attested_by == 0 ? py::object(py::none()) : py::object(py::int_(a.attested_by));
      d["by_migration"] = a.by_migration;
      d["note"] = a.note;
      d["attested_at"] = instant_to_py(a.attested_at);
      out.append(d);
    }
    return out;
  });
  cls.def("stage_history", [](const Native& c, Actor actor, Id id) {
    auto visits = c.engine->call([&](Engine& e) { return e.deals().stage_history(actor, id); });
    py::list out;
    for (const auto& v : visits) {
      py::dict d;
      d["stage"] = v.stage;
      d["entered_at"] = instant_to_py(v.entered_at);
      d["left_at"] = codec::MaybeWhen::to(v.left_at);
      out.append(d);
    }
    return out;
  });
}

}  // namespace salescore::python
