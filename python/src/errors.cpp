#include "errors.h"

#include <pybind11/pybind11.h>

namespace py = pybind11;

namespace salescore::python {

void register_error_translator() {
  py::register_exception_translator([](std::exception_ptr raised) {
    try {
      if (raised) std::rethrow_exception(raised);
    } catch (const StatusError& e) {
      const Status& st = e.status();
      try {
        py::dict fields;
        for (const auto& [name, problem] : st.fields()) fields[py::str(name)] = py::str(problem);
        py::object error = py::module_::import("salescore._errors")
                               .attr("_from_status")(code_name(st.code()), st.message(), fields, st.reason());
        PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(error.ptr())), error.ptr());
      } catch (const py::error_already_set&) {
        // The package itself is broken (e.g. _core imported without salescore/): still
        // say what the engine said rather than hiding it behind an ImportError.
        PyErr_SetString(PyExc_RuntimeError, e.what());
      }
    }
  });
}

}  // namespace salescore::python
