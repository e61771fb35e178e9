#include "columns.h"

#include <pybind11/numpy.h>

#include <memory>
#include <unordered_map>

namespace salescore::python {

namespace {

const char* kind_name(ColumnKind k) {
  switch (k) {
    case ColumnKind::kInt: return "int";
    case ColumnKind::kAmount: return "amount";
    case ColumnKind::kInstant: return "instant";
    case ColumnKind::kText: return "text";
    case ColumnKind::kFlag: return "flag";
  }
  return "int";
}

// Moves `values` into a heap vector owned by the array through a capsule: no copy.
template <class T>
py::array owned_array(std::vector<T>&& values) {
  auto* owned = new std::vector<T>(std::move(values));
  py::capsule free_when_done(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>({static_cast<py::ssize_t>(owned->size())}, {sizeof(T)}, owned->data(), free_when_done);
}

// Statuses, currencies and kinds repeat: one str object per distinct value while there
// are few of them, so a million rows of "new" share one object.
constexpr std::size_t kSharedStrings = 256;

py::array text_array(const std::vector<std::string>& texts) {
  py::array out(py::dtype("O"), py::array::ShapeContainer{static_cast<py::ssize_t>(texts.size())});
  auto** slots = static_cast<PyObject**>(out.mutable_data());
  std::unordered_map<std::string_view, PyObject*> shared;
  bool sharing = true;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const std::string& t = texts[i];
    PyObject* value = nullptr;
    if (sharing) {
      auto found = shared.find(t);
      if (found != shared.end()) {
        value = found->second;
        Py_INCREF(value);
      }
    }
    if (!value) {
      value = PyUnicode_DecodeUTF8(t.data(), static_cast<Py_ssize_t>(t.size()), "replace");
      if (!value) throw py::error_already_set();
      if (sharing) {
        if (shared.size() < kSharedStrings) {
          shared.emplace(t, value);  // borrowed: the array holds the reference
        } else {
          sharing = false;  // many distinct values (names, numbers): lookups only cost
        }
      }
    }
    Py_XDECREF(slots[i]);  // numpy fills a new object array with None
    slots[i] = value;
  }
  return out;
}

}  // namespace

py::tuple columns_to_py(ColumnTable table) {
  py::dict columns, nulls, kinds;
  for (Column& col : table.columns) {
    py::str name(col.name);
    kinds[name] = kind_name(col.kind);
    if (col.kind == ColumnKind::kText) {
      columns[name] = text_array(col.texts);
    } else if (col.kind == ColumnKind::kFlag) {
      columns[name] = owned_array(std::move(col.ints)).attr("astype")("bool");
    } else {
      columns[name] = owned_array(std::move(col.ints));
    }
    if (!col.nulls.empty()) nulls[name] = owned_array(std::move(col.nulls)).attr("view")("bool");
  }
  return py::make_tuple(columns, nulls, kinds);
}

}  // namespace salescore::python
