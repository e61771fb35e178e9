// salescore.ManualClock: the engine's clock under the test's (or simulation's) control.
// The Python object and the engine share one C++ clock, so moving it here is seen by
// the engine on its next call.
#include <memory>

#include "bindings.h"
#include "convert.h"
#include "fields.h"
#include "salescore/clock.h"

namespace salescore::python {

void bind_clock(py::module_& m) {
  py::class_<ManualClock, std::shared_ptr<ManualClock>>(m, "ManualClock")
      .def(py::init([](py::handle start) {
             return std::make_shared<ManualClock>(convert_argument("start", [&] { return instant_from_py(start); }));
           }),
           py::arg("start"))
      .def("now", [](const ManualClock& c) { return instant_to_py(c.now()); })
      .def(
          "set", [](ManualClock& c, py::handle t) { c.set(convert_argument("t", [&] { return instant_from_py(t); })); },
          py::arg("t"))
      .def(
          "advance",
          [](ManualClock& c, py::handle delta) {
            c.advance_ms(convert_argument("delta", [&] { return milliseconds_from_py(delta); }));
          },
          py::arg("delta"))
      .def("__repr__", [](const ManualClock& c) {
        return "ManualClock(" + py::repr(instant_to_py(c.now())).cast<std::string>() + ")";
      });
}

}  // namespace salescore::python
