#include "bindings.h"
#include "collection.h"
#include "columns.h"
#include "more_codecs.h"

namespace salescore::python {

namespace {

const FieldTable<Payment>& payment_fields() {
  static const FieldTable<Payment> table = {
      computed<codec::Number>("id", &Payment::id),
      field<codec::Number>("order_id", &Payment::order_id),
      computed<codec::Ref>("client_id", &Payment::client_id),
      field<codec::MoneyOf>("amount", &Payment::amount),
      field<codec::When>("received_at", &Payment::received_at),
      field<codec::PaymentMethodName>("method", &Payment::method),
      field<codec::Text>("reference", &Payment::reference),
      field<codec::Text>("source", &Payment::source),
      field<codec::Text>("external_id", &Payment::external_id),
      computed<codec::Ref>("recorded_by", &Payment::recorded_by),
      computed<codec::When>("created_at", &Payment::created_at),
  };
  return table;
}

const FieldTable<PaymentQuery>& payment_query_fields() {
  static const FieldTable<PaymentQuery> table = {
      optional<codec::Number>("order_id", &PaymentQuery::order_id),
      optional<codec::Number>("client_id", &PaymentQuery::client_id),
      optional<codec::When>("since", &PaymentQuery::from),
      optional<codec::When>("until", &PaymentQuery::to),
  };
  return table;
}

struct InstallmentStatusName {
  using type = InstallmentStatus;
  static py::object to(type v) { return py::str(installment_status_name(v)); }
};

const FieldTable<Installment>& installment_fields() {
  static const FieldTable<Installment> table = {
      computed<codec::Number>("id", &Installment::id),
      computed<codec::SmallInt>("number", &Installment::number),
      computed<codec::When>("term_start", &Installment::term_start),
      computed<codec::When>("due_at", &Installment::due_at),
      computed<codec::MoneyOf>("amount", &Installment::amount),
      computed<codec::Amount>("paid", &Installment::paid_minor),
      computed<codec::MaybeWhen>("paid_at", &Installment::paid_at),
      computed<InstallmentStatusName>("status", &Installment::status),
      computed<codec::Texts>("reminders_sent", &Installment::reminders_sent),
  };
  return table;
}

py::dict schedule_to_py(const PaymentSchedule& s) {
  py::dict out;
  out["id"] = s.id;
  out["order_id"] = s.order_id;
  out["currency"] = s.currency;
  out["installments"] = items_to(installment_fields(), s.installments);
  out["created_at"] = instant_to_py(s.created_at);
  return out;
}

const FieldTable<InstallmentPlan>& plan_fields() {
  static const FieldTable<InstallmentPlan> table = {
      field<codec::When>("due_at", &InstallmentPlan::due_at),
      field<codec::MoneyOf>("amount", &InstallmentPlan::amount),
  };
  return table;
}

const FieldTable<ReceivablesQuery>& receivables_query_fields() {
  using G = codec::Enum<ReceivablesGrouping, receivables_grouping_name, parse_receivables_grouping>;
  static const FieldTable<ReceivablesQuery> table = {
      {"by", nullptr, [](ReceivablesQuery& q, py::handle v, const ConvertContext& ctx) { q.by = G::from(v, ctx); }},
      optional<codec::When>("at", &ReceivablesQuery::at),
      optional<codec::Number>("client_id", &ReceivablesQuery::client_id),
      optional<codec::Number>("owner_id", &ReceivablesQuery::owner_id),
      optional<codec::Number>("head_id", &ReceivablesQuery::head_id),
  };
  return table;
}

py::dict receivables_line_to_py(const ReceivablesLine& l) {
  py::dict aging;
  aging["0-30"] = amount_to_py(l.aging.days_0_30);
  aging["31-60"] = amount_to_py(l.aging.days_31_60);
  aging["61-90"] = amount_to_py(l.aging.days_61_90);
  aging["90+"] = amount_to_py(l.aging.days_over_90);
  py::dict out;
  out["key"] = l.key ? py::object(py::int_(l.key)) : py::object(py::none());
  out["name"] = l.name;
  out["currency"] = l.currency;
  out["receivable"] = amount_to_py(l.receivable_minor);
  out["overdue"] = amount_to_py(l.overdue_minor);
  out["aging"] = aging;
  return out;
}

}  // namespace

void bind_payments(py::module_& m) {
  using Native = NativeCollection<PaymentService>;
  auto cls = bind_collection(m, "Payments",
                             CollectionSpec<PaymentService, Payment, NoPatch, PaymentQuery>{
                                 "payment", &Engine::payments, &payment_fields(), nullptr, &payment_query_fields()});
  def_columns(cls, payment_query_fields(), "payment", &ColumnService::payments);
  // Registering a payment: allocated to the earliest open installments of its order.
  cls.def("add", [](const Native& c, Actor actor, const py::dict& fields) {
    Payment p{};
    assign_or_raise(payment_fields(), p, fields, c.engine->context(), "payment");
    return write_result(payment_fields(), c.engine->call([&](Engine& e) { return e.payments().record(actor, p); }));
  });
  cls.attr("_keywords")["add"] = keyword_names(payment_fields());
  cls.def("set_schedule", [](const Native& c, Actor actor, Id order_id, py::object installments) {
    auto plan = convert_argument("installments",
                                 [&] { return items_from(plan_fields(), installments, c.engine->context()); });
    return schedule_to_py(
        c.engine->call([&](Engine& e) { return e.payments().set_schedule(actor, order_id, plan); }));
  });
  cls.def("schedule", [](const Native& c, Actor actor, Id order_id) {
    return schedule_to_py(c.engine->call([&](Engine& e) { return e.payments().schedule(actor, order_id); }));
  });
  cls.def("receivables", [](const Native& c, Actor actor, const py::dict& filters) {
    ReceivablesQuery q{};
    assign_or_raise(receivables_query_fields(), q, filters, c.engine->context(), "receivables filter");
    auto lines = c.engine->call([&](Engine& e) { return e.payments().receivables(actor, q); });
    py::list out;
    for (const auto& l : lines) out.append(receivables_line_to_py(l));
    return out;
  });
}

}  // namespace salescore::python
