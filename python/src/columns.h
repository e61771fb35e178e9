// Column reads handed to NumPy: each int column's buffer becomes an array without a
// copy (the array owns the vector), text becomes an object array filled here, in C++,
// so no Python code runs per row. The pure-Python layer builds pandas from these.
#pragma once

#include <pybind11/pybind11.h>

#include "collection.h"
#include "salescore/columns.h"

namespace salescore::python {

// (columns, nulls, kinds): name -> numpy array; name -> bool mask (True: absent) for the
// columns that may be absent; name -> "int" | "amount" | "instant" | "text" | "flag".
py::tuple columns_to_py(ColumnTable table);

// Adds `columns(actor, filters, after_id, limit)` to a collection: rows matching the
// filters (the same as find's), `limit` 0 for all of them.
template <class Service, class Query>
void def_columns(py::class_<NativeCollection<Service>>& cls, const FieldTable<Query>& filters_table,
                 const char* what, Result<ColumnTable> (ColumnService::*read)(const Actor&, const Query&)) {
  using Native = NativeCollection<Service>;
  cls.def("columns", [&filters_table, what, read](const Native& c, Actor actor, const py::dict& filters, Id after_id,
                                                  int limit) {
    Query q{};
    assign_or_raise(filters_table, q, filters, c.engine->context(), std::string(what) + " filter");
    q.page = Page{after_id, limit};
    return columns_to_py(c.engine->call([&](Engine& e) { return (e.columns().*read)(actor, q); }));
  });
}

}  // namespace salescore::python
