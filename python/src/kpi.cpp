// KPIs, reports and sales plans (salescore/kpi.h). Money comes out as Decimal in the
// company currency; counts, milliseconds, seconds and basis points as ints.
#include "bindings.h"
#include "collection.h"
#include "salescore/kpi.h"

namespace salescore::python {

namespace {

py::object kpi_number(KpiUnit unit, std::int64_t v) {
  return unit == KpiUnit::kMoney ? amount_to_py(v) : py::object(py::int_(v));
}

py::dict kpi_value_to_py(const KpiValue& v) {
  py::dict breakdown;
  for (const auto& [part, n] : v.breakdown) breakdown[py::str(part)] = kpi_number(v.unit, n);
  py::dict d;
  d["id"] = v.id;
  d["unit"] = kpi_unit_name(v.unit);
  d["value"] = v.defined ? kpi_number(v.unit, v.value) : py::object(py::none());
  d["breakdown"] = breakdown;
  return d;
}

// user=... one user, team=... a head's department, neither: the company.
KpiTarget target_of(std::optional<Id> user, std::optional<Id> team) {
  if (user && team) raise_invalid("kpi target", {{"team", "give user or team, not both"}}, {"user", "team"});
  if (user) return KpiTarget{KpiScope::kUser, *user};
  if (team) return KpiTarget{KpiScope::kTeam, *team};
  return KpiTarget{};
}

py::dict report_line_to_py(const ReportLine& l) {
  py::dict d;
  d["user_id"] = codec::Ref::to(l.user_id);
  d["name"] = l.name;
  d["role"] = l.role;
  d["calls"] = l.calls;
  d["meetings"] = l.meetings;
  d["emails"] = l.emails;
  d["orders"] = l.orders;
  d["revenue"] = amount_to_py(l.revenue);
  d["payments"] = amount_to_py(l.payments);
  d["plan"] = amount_to_py(l.plan);
  d["plan_bp"] = l.plan_bp ? py::object(py::int_(*l.plan_bp)) : py::object(py::none());
  d["deals_won"] = l.deals_won;
  d["deals_lost"] = l.deals_lost;
  d["leads"] = l.leads;
  d["leads_converted"] = l.leads_converted;
  d["overdue_tasks"] = l.overdue_tasks;
  d["receivables"] = amount_to_py(l.receivables);
  d["overdue_receivables"] = amount_to_py(l.overdue_receivables);
  d["prev_orders"] = l.prev_orders;
  d["prev_revenue"] = amount_to_py(l.prev_revenue);
  d["prev_calls"] = l.prev_calls;
  d["prev_meetings"] = l.prev_meetings;
  return d;
}

py::dict report_to_py(const Report& r) {
  py::list lines;
  for (const auto& l : r.lines) lines.append(report_line_to_py(l));
  py::dict d;
  d["kind"] = report_kind_name(r.kind);
  d["period"] = r.period.label;
  d["previous"] = r.previous.label;
  d["currency"] = r.currency;
  d["generated_at"] = instant_to_py(r.generated_at);
  d["lines"] = lines;
  d["total"] = report_line_to_py(r.total);
  return d;
}

py::dict plan_to_py(const SalesPlan& p) {
  py::dict d;
  d["id"] = p.id;
  d["user_id"] = p.user_id;
  d["month"] = p.month;
  d["amount"] = money_to_py(p.amount);
  d["set_by"] = codec::Ref::to(p.set_by);
  d["set_at"] = instant_to_py(p.set_at);
  d["replaced_at"] = codec::MaybeWhen::to(p.replaced_at);
  return d;
}

Period period_of(const std::string& text) { return unwrap(parse_period(text)); }

}  // namespace

void bind_kpi(py::module_& m) {
  using Native = NativeCollection<KpiService>;
  py::class_<Native>(m, "Kpi")
      .def(py::init<NativeEngineRef>(), py::arg("engine"))
      .def("get",
           [](const Native& c, Actor actor, const std::string& kpi_id, std::optional<Id> user, std::optional<Id> team,
              const std::string& period) {
             KpiTarget target = target_of(user, team);
             Period p = period_of(period);
             return kpi_value_to_py(c.engine->call([&](Engine& e) { return e.kpi().get(actor, kpi_id, target, p); }));
           })
      .def("get_all",
           [](const Native& c, Actor actor, std::optional<Id> user, std::optional<Id> team, const std::string& period) {
             KpiTarget target = target_of(user, team);
             Period p = period_of(period);
             auto values = c.engine->call([&](Engine& e) { return e.kpi().get_all(actor, target, p); });
             py::list out;
             for (const auto& v : values) out.append(kpi_value_to_py(v));
             return out;
           })
      // The KPIs `ids` (all when empty) of the target, split by "user" or "month" (or not).
      .def("table",
           [](const Native& c, Actor actor, const std::vector<std::string>& ids, const std::string& by,
              std::optional<Id> user, std::optional<Id> team, const std::string& period) {
             KpiTarget target = target_of(user, team);
             Period p = period_of(period);
             KpiSplit split = by.empty() ? KpiSplit::kNone : unwrap(parse_kpi_split(by));
             auto table = c.engine->call([&](Engine& e) { return e.kpi().table(actor, ids, target, p, split); });
             auto values = [](const std::vector<KpiValue>& vs) {
               py::list out;
               for (const auto& v : vs) out.append(kpi_value_to_py(v));
               return out;
             };
             py::list rows;
             for (const auto& r : table.rows) {
               py::dict row;
               row["user_id"] = codec::Ref::to(r.user_id);
               row["label"] = r.label;
               row["period"] = r.period.label;
               row["values"] = values(r.values);
               rows.append(row);
             }
             py::dict d;
             d["period"] = p.label;
             d["by"] = by.empty() ? py::object(py::none()) : py::object(py::str(by));
             d["total"] = values(table.total);
             d["rows"] = rows;
             return d;
           })
      // The report of a day ("2026-10-05"), an ISO week ("2026-W44") or a month ("2026-10").
      .def("report",
           [](const Native& c, Actor actor, const std::string& period, std::optional<Id> user, std::optional<Id> team) {
             KpiTarget target = target_of(user, team);
             Period p = period_of(period);
             ReportKind kind;
             switch (p.kind) {
               case PeriodKind::kDay: kind = ReportKind::kDaily; break;
               case PeriodKind::kWeek: kind = ReportKind::kWeekly; break;
               case PeriodKind::kMonth: kind = ReportKind::kMonthly; break;
               default:
                 raise_invalid("kpi report", {{"period", "a report covers a day, an ISO week or a month"}}, {"period"});
             }
             return report_to_py(
                 c.engine->call([&](Engine& e) { return e.kpi().report(actor, kind, p.first_day, target); }));
           })
      .def("rebuild", [](const Native& c, Actor actor) {
        c.engine->call([&](Engine& e) { return e.kpi().rebuild(actor); });
      });
}

void bind_kpi_catalog(py::module_& m) {
  m.def("kpi_catalog", [] {
    py::list out;
    for (const auto& k : kpi_catalog()) {
      py::dict d;
      d["id"] = k.id;
      d["unit"] = kpi_unit_name(k.unit);
      d["summary"] = k.summary;
      out.append(d);
    }
    return out;
  });
}

void bind_plans(py::module_& m) {
  using Native = NativeCollection<PlanService>;
  py::class_<Native>(m, "Plans")
      .def(py::init<NativeEngineRef>(), py::arg("engine"))
      .def("set",
           [](const Native& c, Actor actor, Id user_id, const std::string& month, py::object amount) {
             Money money = convert_argument("amount", [&] { return money_from_py(amount, c.engine->context().currency); });
             return plan_to_py(c.engine->call([&](Engine& e) { return e.plans().set(actor, user_id, month, money); }));
           })
      .def("get",
           [](const Native& c, Actor actor, Id user_id, const std::string& month) {
             return plan_to_py(c.engine->call([&](Engine& e) { return e.plans().get(actor, user_id, month); }));
           })
      .def("history", [](const Native& c, Actor actor, Id user_id, const std::string& month) {
        auto plans = c.engine->call([&](Engine& e) { return e.plans().history(actor, user_id, month); });
        py::list out;
        for (const auto& p : plans) out.append(plan_to_py(p));
        return out;
      });
}

}  // namespace salescore::python
