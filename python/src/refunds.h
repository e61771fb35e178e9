// Refunds of orders (salescore/refunds.h) as methods of the native Orders class. Its own
// header, not bindings.h, so adding it recompiled only module.cpp.
#pragma once

#include <pybind11/pybind11.h>

namespace salescore::python {
namespace py = pybind11;
// Call after bind_orders: it adds methods to Orders.
void bind_refunds(py::module_& m);
}  // namespace salescore::python
