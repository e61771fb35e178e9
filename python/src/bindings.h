// One bind_* function per file; module.cpp calls them all.
#pragma once

#include <pybind11/pybind11.h>

namespace salescore::python {

namespace py = pybind11;

void bind_engine(py::module_& m);
void bind_clock(py::module_& m);
void bind_users(py::module_& m);
void bind_clients(py::module_& m);
void bind_contacts(py::module_& m);
void bind_products(py::module_& m);
void bind_deals(py::module_& m);
void bind_orders(py::module_& m);
void bind_interactions(py::module_& m);
void bind_tasks(py::module_& m);
void bind_events(py::module_& m);
void bind_dead_letters(py::module_& m);
void bind_leads(py::module_& m);
void bind_proposals(py::module_& m);
void bind_approvals(py::module_& m);
void bind_contracts(py::module_& m);
void bind_shipments(py::module_& m);
void bind_payments(py::module_& m);
void bind_claims(py::module_& m);
void bind_market(py::module_& m);
void bind_absences(py::module_& m);
void bind_routes(py::module_& m);
void bind_visits(py::module_& m);
void bind_automations(py::module_& m);
void bind_kpi(py::module_& m);
void bind_kpi_catalog(py::module_& m);
void bind_plans(py::module_& m);
void bind_emails(py::module_& m);
void bind_calls(py::module_& m);
void bind_exports(py::module_& m);

}  // namespace salescore::python
