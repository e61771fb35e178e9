// salescore._core: the native half of the salescore package. Users import salescore;
// this module is its implementation detail and answers in dicts and tuples that the
// pure-Python layer turns into records.
#include <pybind11/pybind11.h>

#include "bindings.h"
#include "fulfilment.h"
#include "refunds.h"
#include "convert.h"
#include "errors.h"

namespace py = pybind11;
using namespace salescore::python;

PYBIND11_MODULE(_core, m) {
  m.doc() = "Native bindings of the salescore engine; use the salescore package instead.";
  init_python_types();
  register_error_translator();
  bind_clock(m);  // before the engine: Engine.open takes a ManualClock
  bind_engine(m);
  bind_users(m);
  bind_clients(m);
  bind_contacts(m);
  bind_products(m);
  bind_deals(m);
  bind_orders(m);
  bind_interactions(m);
  bind_tasks(m);
  bind_events(m);
  bind_dead_letters(m);
  bind_leads(m);
  bind_proposals(m);
  bind_approvals(m);
  bind_contracts(m);
  bind_shipments(m);
  bind_fulfilment(m);
  bind_refunds(m);
  bind_payments(m);
  bind_claims(m);
  bind_market(m);
  bind_absences(m);
  bind_routes(m);
  bind_visits(m);
  bind_automations(m);
  bind_kpi(m);
  bind_kpi_catalog(m);
  bind_plans(m);
  bind_emails(m);
  bind_calls(m);
  bind_exports(m);
}
