// What python -m salescore.automate needs from the engine: each automation's event
// offset and retry state (automations.h), dead letters for the events it gives up on,
// and the outbox the example automations send e-mail and webhooks through.
#include "bindings.h"
#include "collection.h"

namespace salescore::python {

namespace {

py::dict automation_state_to_py(const AutomationState& st) {
  py::dict d;
  d["automation"] = st.automation;
  d["known"] = st.known;
  d["event_offset"] = st.event_offset;
  d["failures"] = st.failures;
  d["retry_at"] = codec::MaybeWhen::to(st.retry_at);
  d["last_error"] = st.last_error;
  return d;
}

py::dict dead_letter_to_py(const DeadLetter& l) {
  py::dict d;
  d["id"] = l.id;
  d["connector"] = l.connector;
  d["direction"] = dead_letter_direction_name(l.direction);
  d["kind"] = l.kind;
  d["source"] = l.source;
  d["external_id"] = l.external_id;
  d["idempotency_key"] = l.idempotency_key;
  d["payload"] = l.payload;
  d["code"] = code_name(l.code);
  d["reason"] = l.reason;
  d["attempts"] = l.attempts;
  d["failed_at"] = instant_to_py(l.failed_at);
  d["replayed_at"] = codec::MaybeWhen::to(l.replayed_at);
  return d;
}

}  // namespace

void bind_automations(py::module_& m) {
  using Native = NativeCollection<AutomationService>;
  py::class_<Native>(m, "Automations")
      .def(py::init<NativeEngineRef>(), py::arg("engine"))
      .def("state",
           [](const Native& c, const std::string& name) {
             return automation_state_to_py(c.engine->call([&](Engine& e) { return e.automations().state(name); }));
           })
      .def("advance",
           [](const Native& c, const std::string& name, std::int64_t seq) {
             c.engine->call([&](Engine& e) { return e.automations().advance(name, seq); });
           })
      .def("record_failure",
           [](const Native& c, const std::string& name, int failures, py::object retry_at, const std::string& error) {
             Instant at = convert_argument("retry_at", [&] { return instant_from_py(retry_at); });
             c.engine->call([&](Engine& e) { return e.automations().record_failure(name, failures, at, error); });
           })
      // The event an automation gave up on, kept under its name (the dead letter's
      // connector) with the event's type as kind and its seq as external id.
      .def("dead_letter",
           [](const Native& c, const std::string& name, const std::string& event_type, std::int64_t seq,
              const std::string& payload, const std::string& reason, int attempts) {
             DeadLetter l;
             l.connector = name;
             l.direction = DeadLetterDirection::kInbound;
             l.kind = event_type;
             l.source = kAutomationLetterSource;  // what makes a replay refuse it
             l.external_id = std::to_string(seq);
             l.idempotency_key = name + ":" + std::to_string(seq);
             l.payload = payload;
             l.code = Code::kInternal;
             l.reason = reason;
             l.attempts = attempts;
             return c.engine->call([&](Engine& e) { return e.connectors().add_dead_letter(l); });
           })
      .def("dead_letters", [](const Native& c, const std::string& name) {
        DeadLetterQuery q;
        if (!name.empty()) q.connector = name;
        q.limit = 0;
        auto letters = c.engine->call([&](Engine& e) { return e.connectors().dead_letters(q); });
        py::list out;
        for (const auto& l : letters) out.append(dead_letter_to_py(l));
        return out;
      });

  using Outbox = NativeCollection<ConnectorService>;
  py::class_<Outbox>(m, "Outbox")
      .def(py::init<NativeEngineRef>(), py::arg("engine"))
      // None when an item with the same key is already pending: sending twice queues once.
      .def("enqueue",
           [](const Outbox& c, const std::string& connector, const std::string& kind, const std::string& payload,
              const std::string& idempotency_key) -> py::object {
             OutboxItem item;
             item.connector = connector;
             item.kind = kind;
             item.payload = payload;
             item.idempotency_key = idempotency_key;
             auto id = c.engine->call([&](Engine& e) { return e.connectors().enqueue(item); });
             return id ? py::object(py::int_(*id)) : py::object(py::none());
           })
      .def("pending", [](const Outbox& c, const std::string& connector) {
        return c.engine->call([&](Engine& e) { return e.connectors().pending(connector); });
      });
}

}  // namespace salescore::python
