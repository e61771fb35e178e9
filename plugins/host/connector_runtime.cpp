#include "host/connector_runtime.h"

#include "host/integration_user.h"
#include "host/runtime_core.h"

namespace salescore::plugins {

ConnectorRuntime::ConnectorRuntime(Engine& engine, RuntimeOptions options)
    : core_(std::make_unique<RuntimeCore>(engine, std::move(options))) {}

ConnectorRuntime::~ConnectorRuntime() = default;

Status ConnectorRuntime::add(std::shared_ptr<ConnectorLibrary> library, const Settings& settings,
                             const std::string& instance) {
  const std::string name = instance.empty() ? library->descriptor().name : instance;
  return core_->add(std::move(library), settings, name);
}

bool ConnectorRuntime::run_due() { return core_->run_due(); }
void ConnectorRuntime::start_sessions() { core_->start_sessions(); }
void ConnectorRuntime::stop_sessions() { core_->stop_sessions(); }
void ConnectorRuntime::begin_shutdown() { core_->begin_shutdown(); }
void ConnectorRuntime::record_stopped() { core_->record_stopped(); }

std::optional<RouteResponse> ConnectorRuntime::handle(const RouteRequest& request) { return core_->handle(request); }
std::vector<std::string> ConnectorRuntime::routes() const { return core_->routes_of(nullptr); }

namespace {
Status no_such_connector(const std::string& name) {
  return Status::not_found("no connector named '" + name + "' is running");
}
}  // namespace

Status ConnectorRuntime::pause(const std::string& connector) {
  ConnectorSlot* slot = core_->find(connector);
  if (!slot) return no_such_connector(connector);
  core_->pause(*slot);
  return Status::ok();
}

Status ConnectorRuntime::resume(const std::string& connector) {
  ConnectorSlot* slot = core_->find(connector);
  if (!slot) return no_such_connector(connector);
  core_->resume(*slot);
  return Status::ok();
}

Result<std::optional<Id>> ConnectorRuntime::enqueue_outbound(const std::string& connector, const std::string& kind,
                                                             const std::string& payload,
                                                             const std::string& idempotency_key) {
  ConnectorSlot* slot = core_->find(connector);
  if (!slot || !slot->created) return no_such_connector(connector);
  return core_->enqueue(*slot, kind, payload, idempotency_key);
}

Result<ReplayOutcome> ConnectorRuntime::replay(Id dead_letter) {
  SC_ASSIGN_OR_RETURN(DeadLetter letter, core_->engine.connectors().dead_letter(dead_letter));
  SC_RETURN_IF_ERROR(check_replayable(core_->engine, letter));  // a refusal makes no user either
  // Replayed as the connector that delivered it, with the same access as the first time.
  ConnectorSlot* slot = core_->find(letter.connector);
  Actor actor;
  if (slot && slot->created) {
    actor = slot->actor;
  } else {
    SC_ASSIGN_OR_RETURN(actor, connector_actor(core_->engine, letter.connector));
  }
  return replay_dead_letter(core_->engine, actor, dead_letter);
}

std::vector<ConnectorHealth> ConnectorRuntime::health() const {
  std::vector<ConnectorHealth> out;
  for (const auto& slot : core_->slots) out.push_back(core_->health(*slot));
  return out;
}

Result<ConnectorHealth> ConnectorRuntime::health(const std::string& connector) const {
  ConnectorSlot* slot = core_->find(connector);
  if (!slot) return no_such_connector(connector);
  return core_->health(*slot);
}

}  // namespace salescore::plugins
