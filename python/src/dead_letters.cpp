// Dead letters from Python: what the connectors (and automations) gave up on, listed and
// replayed exactly as `salescore deadletters` does, through the plugin host's replay.
#include "bindings.h"
#include "collection.h"
#include "host/dead_letter_replay.h"

namespace salescore::python {

namespace {

struct DirectionName {
  using type = DeadLetterDirection;
  static py::object to(const type& v) { return py::str(dead_letter_direction_name(v)); }
};

struct CodeName {
  using type = Code;
  static py::object to(const type& v) { return py::str(code_name(v)); }
};

struct Count {
  using type = int;
  static py::object to(const type& v) { return py::int_(v); }
};

// Each replay as a dict; the Python package makes ReplayAttempt records of them.
struct Replays {
  using type = std::vector<ReplayAttempt>;
  static py::object to(const type& v) {
    py::list out;
    for (const ReplayAttempt& a : v) {
      py::dict d;
      d["at"] = codec::When::to(a.at);
      d["outcome"] = a.outcome;
      d["code"] = CodeName::to(a.code);
      d["reason"] = a.reason;
      out.append(std::move(d));
    }
    return out;
  }
};

const FieldTable<DeadLetter>& dead_letter_fields() {
  static const FieldTable<DeadLetter> table = {
      computed<codec::Number>("id", &DeadLetter::id),
      computed<codec::Text>("connector", &DeadLetter::connector),
      computed<DirectionName>("direction", &DeadLetter::direction),
      computed<codec::Text>("kind", &DeadLetter::kind),
      computed<codec::Text>("source", &DeadLetter::source),
      computed<codec::Text>("external_id", &DeadLetter::external_id),
      computed<codec::Text>("idempotency_key", &DeadLetter::idempotency_key),
      computed<codec::Text>("payload", &DeadLetter::payload),
      computed<CodeName>("code", &DeadLetter::code),
      computed<codec::Text>("reason", &DeadLetter::reason),
      computed<Count>("attempts", &DeadLetter::attempts),
      computed<codec::When>("failed_at", &DeadLetter::failed_at),
      computed<codec::MaybeWhen>("replayed_at", &DeadLetter::replayed_at),
      computed<Replays>("replays", &DeadLetter::replays),
      computed<codec::Text>("event_type", &DeadLetter::event_type),
  };
  return table;
}

// Its own type: the Outbox binding already holds NativeCollection<ConnectorService>, and
// pybind11 registers a C++ type once.
struct NativeDeadLetters {
  explicit NativeDeadLetters(NativeEngineRef e) : engine(std::move(e)) {}
  NativeEngineRef engine;
};

}  // namespace

void bind_dead_letters(py::module_& m) {
  using Native = NativeDeadLetters;
  py::class_<Native>(m, "DeadLetters")
      .def(py::init<NativeEngineRef>(), py::arg("engine"))
      .def("find",
           [](const Native& c, std::optional<std::string> connector, bool include_replayed, Id after_id, int limit) {
             DeadLetterQuery q;
             q.connector = std::move(connector);
             q.include_replayed = include_replayed;
             q.after_id = after_id;
             q.limit = limit;
             auto letters = c.engine->call([&](Engine& e) { return e.connectors().dead_letters(q); });
             return dicts_of(dead_letter_fields(), letters);
           })
      .def("get",
           [](const Native& c, Id id) {
             auto letter = c.engine->call([&](Engine& e) { return e.connectors().dead_letter(id); });
             return to_dict(dead_letter_fields(), letter);
           })
      // "applied", "duplicate" or "requeued"; the error of a replay that fails (recorded
      // on the letter) or is refused (the letter unchanged).
      .def("replay", [](const Native& c, Id id) {
        auto outcome = c.engine->call([&](Engine& e) { return plugins::replay_dead_letter(e, id); });
        return std::string(plugins::replay_outcome_name(outcome));
      });
}

}  // namespace salescore::python
