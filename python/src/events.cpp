#include "bindings.h"
#include "collection.h"

namespace salescore::python {

namespace {

struct JsonPayload {
  using type = std::string;
  static py::object to(const type& v) { return json_to_py(v); }
};

const FieldTable<Event>& event_fields() {
  static const FieldTable<Event> table = {
      computed<codec::Number>("seq", &Event::seq),
      computed<codec::When>("at", &Event::at),
      computed<codec::Ref>("actor_id", &Event::actor_id),
      computed<codec::Text>("type", &Event::type),
      computed<codec::Text>("entity", &Event::entity),
      computed<codec::Number>("entity_id", &Event::entity_id),
      computed<JsonPayload>("payload", &Event::payload),
  };
  return table;
}

}  // namespace

void bind_events(py::module_& m) {
  using Native = NativeCollection<EventService>;
  py::class_<Native>(m, "Events")
      .def(py::init<NativeEngineRef>(), py::arg("engine"))
      .def("since",
           [](const Native& c, std::int64_t after, int limit) {
             auto events = c.engine->call([&](Engine& e) { return e.events().since(after, limit); });
             return dicts_of(event_fields(), events);
           })
      .def("last_seq", [](const Native& c) { return c.engine->call([](Engine& e) { return e.events().last_seq(); }); });
}

}  // namespace salescore::python
