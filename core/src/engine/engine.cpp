#include "salescore/engine.h"

#include "engine/engine_state.h"
#include "engine/field_errors.h"
#include "store/event_rows.h"
#include "store/migrations.h"
#include "store/user_rows.h"

namespace salescore {

namespace detail {

Status in_write_tx(EngineState& s, const std::function<Status()>& work) {
  std::lock_guard lock(s.mutex);
  if (s.conn->read_only())
    return Status(Code::kFailedPrecondition, "the database is read-only: no change can be written", {}, "read_only");
  if (s.tx_depth > 0) {
    ++s.tx_depth;
    Status st = work();
    --s.tx_depth;
    return st;
  }
  SC_RETURN_IF_ERROR(s.conn->begin_write());
  s.tx_depth = 1;
  Status st;
  try {
    st = work();
  } catch (const std::exception& e) {
    st = Status::internal(std::string("unexpected error: ") + e.what());
  }
  s.tx_depth = 0;
  if (!st.is_ok()) {
    s.conn->rollback();
    flush_audit(s);
    return st;
  }
  Status committed = s.conn->commit();
  if (!committed.is_ok()) s.conn->rollback();
  flush_audit(s);
  return committed;
}

void flush_audit(EngineState& s) {
  if (s.pending_audit.empty() || s.conn->read_only()) {
    s.pending_audit.clear();
    return;
  }
  std::vector<PendingAudit> pending;
  pending.swap(s.pending_audit);
  if (!s.conn->begin_write().is_ok()) return;  // best effort: never fail the caller's call over it
  for (const auto& a : pending) {
    Event e;
    e.at = s.now();
    e.actor_id = a.actor_id;
    e.type = "access.denied";
    e.entity = a.entity;
    e.entity_id = a.entity_id;
    e.payload = a.payload;
    if (!store::insert_event(*s.conn, e).is_ok()) {
      s.conn->rollback();
      return;
    }
  }
  if (!s.conn->commit().is_ok()) s.conn->rollback();
}

Status append_event(EngineState& s, const Actor& actor, const std::string& type, const std::string& entity,
                    Id entity_id, const std::string& payload) {
  Event e;
  e.at = s.now();
  e.actor_id = actor.user_id;
  e.type = type;
  e.entity = entity;
  e.entity_id = entity_id;
  e.payload = payload;
  return store::insert_event(*s.conn, e);
}

void check_mandatory(const EngineState& s, FieldErrors& errors, const std::string& entity,
                     const std::function<bool(const std::string&)>& is_filled) {
  auto it = s.config.mandatory.find(entity);
  if (it == s.config.mandatory.end()) return;
  for (const auto& group : it->second) {
    bool any = false;
    for (const auto& field : group) any = any || is_filled(field);
    if (any) continue;
    std::string label;
    for (const auto& field : group) label += (label.empty() ? "" : " or ") + field;
    for (const auto& field : group)
      errors.add(field, group.size() > 1 ? "required (at least one of " + label + ")" : "required");
  }
}

Status check_user_exists(EngineState& s, Id user_id, const std::string& field) {
  if (user_id == 0) return Status::ok();
  SC_ASSIGN_OR_RETURN(auto user, store::load_user(*s.conn, user_id));
  if (!user) return Status::invalid(field + ": user " + std::to_string(user_id) + " does not exist",
                                    {{field, "no such user"}});
  return Status::ok();
}

}  // namespace detail

Engine::Engine(std::unique_ptr<detail::EngineState> state)
    : state_(std::move(state)),
      users_(state_.get()),
      clients_(state_.get()),
      contacts_(state_.get()),
      products_(state_.get()),
      deals_(state_.get()),
      orders_(state_.get()),
      interactions_(state_.get()),
      tasks_(state_.get()),
      events_(state_.get()),
      absences_(state_.get()),
      leads_(state_.get()),
      proposals_(state_.get()),
      approvals_(state_.get()),
      contracts_(state_.get()),
      shipments_(state_.get()),
      payments_(state_.get()),
      claims_(state_.get()),
      segments_(state_.get()),
      routes_(state_.get()),
      visits_(state_.get()),
      must_have_(state_.get()),
      connectors_(state_.get()),
      kpi_(state_.get()),
      plans_(state_.get()),
      columns_(state_.get()),
      automations_(state_.get()),
      tokens_(state_.get()) {}

Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::open(const std::string& url, EngineOptions options) {
  store::OpenOptions open_options;
  open_options.durable = options.config.durable;
  open_options.busy_timeout_ms = options.config.busy_timeout_ms;
  open_options.read_only = options.read_only;
  SC_ASSIGN_OR_RETURN(auto conn, store::open_connection(url, open_options));
  SC_ASSIGN_OR_RETURN(int version, store::migrate(*conn));
  auto state = std::make_unique<detail::EngineState>();
  state->conn = std::move(conn);
  state->config = std::move(options.config);
  state->clock = options.clock ? options.clock : std::make_shared<SystemClock>();
  state->schema_version = version;
  return std::unique_ptr<Engine>(new Engine(std::move(state)));
}

Status Engine::batch(const std::function<Status()>& work) { return detail::in_write_tx(*state_, work); }

const Config& Engine::config() const { return state_->config; }
const Clock& Engine::clock() const { return *state_->clock; }
int Engine::schema_version() const { return state_->schema_version; }
int Engine::latest_schema_version() { return store::latest_schema_version(); }

}  // namespace salescore
