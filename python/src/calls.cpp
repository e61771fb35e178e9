// crm.calls: click-to-call through core's dial() (salescore/calls.h), the same rule REST's
// POST /api/v1/calls and `salescore telephony dial` run: the caller must see the client,
// the number must be the client's or the contact's, a double click queues one call.
#include "bindings.h"
#include "collection.h"
#include "salescore/calls.h"

namespace salescore::python {

namespace {
// A type of its own: pybind11 binds a C++ type once (see emails.cpp).
struct CallDialer : NativeCollection<InteractionService> {
  using NativeCollection<InteractionService>::NativeCollection;
};
}  // namespace

void bind_calls(py::module_& m) {
  using Native = CallDialer;
  py::class_<Native>(m, "CallDialer")
      .def(py::init<NativeEngineRef>(), py::arg("engine"))
      .def("dial", [](const Native& c, Actor actor, Id client_id, Id contact_id, const std::string& phone,
                      const std::string& key) -> py::dict {
        DialRequest r;
        r.client_id = client_id;
        r.contact_id = contact_id;
        r.phone = phone;
        r.key = key;
        Dialled out = c.engine->call([&](Engine& e) { return dial(e, actor, r); });
        py::dict d;
        d["phone"] = out.phone;
        d["queued"] = out.outbox_id.has_value();
        d["outbox_id"] = out.outbox_id ? py::object(py::int_(*out.outbox_id)) : py::object(py::none());
        return d;
      });
}

}  // namespace salescore::python
