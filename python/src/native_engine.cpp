#include "native_engine.h"

#include "bindings.h"
#include "fields.h"

namespace salescore::python {

NativeEngine::NativeEngine(std::unique_ptr<Engine> engine)
    : engine_(std::move(engine)), config_(engine_->config()) {
  context_.currency = config_.currency;
}

const Config& NativeEngine::config() const { return config_; }

std::shared_ptr<Engine> NativeEngine::acquire() const {
  if (!engine_) throw StatusError(Status::failed_precondition("the engine is closed"));
  return engine_;
}

void NativeEngine::close() {
  std::shared_ptr<Engine> doomed = std::move(engine_);
  // Closing may checkpoint the WAL; let other threads run meanwhile.
  py::gil_scoped_release unlocked;
  doomed.reset();
}

namespace {

NativeEngineRef open_engine(const std::string& url, std::shared_ptr<ManualClock> clock,
                            std::optional<std::string> config_path, bool read_only) {
  EngineOptions options;
  options.clock = clock;
  options.read_only = read_only;
  std::optional<Result<std::unique_ptr<Engine>>> opened;
  {
    py::gil_scoped_release unlocked;
    if (config_path) {
      auto config = Config::load(*config_path);
      if (!config.ok()) {
        opened.emplace(config.status());
      } else {
        options.config = std::move(config).value();
      }
    }
    if (!opened) opened.emplace(Engine::open(url, std::move(options)));
  }
  return std::make_shared<NativeEngine>(unwrap(std::move(*opened)));
}

py::dict config_to_py(const Config& c) {
  py::dict mandatory;
  for (const auto& [entity, groups] : c.mandatory) {
    py::list out;
    for (const auto& group : groups) out.append(codec::Texts::to(group));
    mandatory[py::str(entity)] = out;
  }
  py::dict d;
  d["timezone"] = c.timezone;
  d["phone_region"] = c.phone_region;
  d["currency"] = c.currency;
  d["durable"] = c.durable;
  d["busy_timeout_ms"] = c.busy_timeout_ms;
  d["mandatory"] = mandatory;
  return d;
}

}  // namespace

void bind_engine(py::module_& m) {
  py::class_<Actor>(m, "Actor")
      .def(py::init([](Id user_id, const std::string& role) {
             return Actor{user_id, convert_argument("role", [&] { return codec::RoleName::from(py::str(role), {}); })};
           }),
           py::arg("user_id"), py::arg("role"))
      .def_static("system", &Actor::system)
      .def_readonly("user_id", &Actor::user_id)
      .def_property_readonly("role", [](const Actor& a) { return role_name(a.role); })
      .def("__repr__", [](const Actor& a) {
        return "Actor(user_id=" + std::to_string(a.user_id) + ", role='" + role_name(a.role) + "')";
      });

  py::class_<NativeEngine, NativeEngineRef>(m, "Engine")
      .def_static("open", &open_engine, py::arg("url"), py::arg("clock") = py::none(),
                  py::arg("config_path") = py::none(), py::arg("read_only") = false)
      .def("close", &NativeEngine::close)
      .def_property_readonly("closed", &NativeEngine::closed)
      .def("config", [](const NativeEngine& e) { return config_to_py(e.config()); })
      .def_property_readonly("schema_version",
                             [](const NativeEngine& e) { return e.call([](Engine& en) -> Result<int> { return en.schema_version(); }); })
      // What the timers due now did: counts by kind and one line per action.
      .def("run_due",
           [](const NativeEngine& e) {
             DueReport r = e.call([](Engine& en) { return en.run_due(); });
             py::dict d;
             d["leads_reassigned"] = r.leads_reassigned;
             d["leads_escalated"] = r.leads_escalated;
             d["approvals_escalated"] = r.approvals_escalated;
             d["contracts_expired"] = r.contracts_expired;
             d["installment_reminders"] = r.installment_reminders;
             d["installments_overdue"] = r.installments_overdue;
             d["segment_moves"] = r.segment_moves;
             d["overdue_tasks_reported"] = r.overdue_tasks_reported;
             d["actions"] = py::cast(r.actions);
             return d;
           })
      .def_property_readonly_static("latest_schema_version", [](py::handle) { return Engine::latest_schema_version(); });
}

}  // namespace salescore::python
