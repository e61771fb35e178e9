// Partial shipments and contract orders on the native Shipments, Orders and Contracts
// classes. Its own header, not bindings.h, so adding it recompiled only module.cpp.
#pragma once

#include <pybind11/pybind11.h>

namespace salescore::python {
namespace py = pybind11;
// Call after bind_orders, bind_contracts and bind_shipments: it adds methods to them.
void bind_fulfilment(py::module_& m);
}  // namespace salescore::python
