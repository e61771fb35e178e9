// _core.export_page: one page of any entity as the REST export and `salescore export`
// write it (salescore/exports.h): the column names, each row's CSV cells and JSON line.
#include "bindings.h"
#include "collection.h"
#include "salescore/exports.h"

namespace salescore::python {

void bind_exports(py::module_& m) {
  m.def("export_entities", [] { return export_entities(); });
  m.def("export_page", [](const NativeEngineRef& native, Actor actor, const std::string& entity, Id after, int limit) {
    auto columns = native->call([&](Engine&) { return export_columns(entity); });
    auto page = native->call([&](Engine& e) { return export_page(e, actor, entity, Page{after, limit}); });
    py::list names;
    for (const Field& f : columns.fields()) names.append(py::str(f.name));
    py::list rows;
    for (const FieldList& row : page.rows) {
      py::list cells;  // as the CSV writer writes them: null empty, nested values as JSON text
      for (const Field& f : row.fields()) cells.append(py::str(f.kind == Field::Kind::kNull ? std::string() : f.text));
      rows.append(py::make_tuple(cells, row.to_json()));
    }
    return py::make_tuple(names, rows, page.last_key);
  });
}

}  // namespace salescore::python
