#include "store/event_signal.h"
#include "salescore/engine.h"

#include "engine/engine_state.h"
#include "engine/engine_registry.h"
#include "engine/field_errors.h"
#include "rules/scope_cache.h"
#include "store/event_rows.h"
#include "store/migrations.h"
#include "store/store_url.h"
#include "store/user_rows.h"

namespace salescore {

namespace detail {

Status in_write_tx(EngineState& s, const std::function<Status()>& work) {
  std::lock_guard lock(s.mutex);
  ConnectionSlot::WritingScope writing(s.conn);
  store::Connection& writer = s.conn.writer();
  if (writer.read_only())
    return Status(Code::kFailedPrecondition, "the database is read-only: no change can be written", {}, "read_only");
  if (s.tx_depth > 0) {
    ++s.tx_depth;
    Status st = work();
    --s.tx_depth;
    return st;
  }
  SC_RETURN_IF_ERROR(writer.begin_write());
  forget_scopes();  // scopes are cached for one transaction only (rules/scope_cache.h)
  s.tx_depth = 1;
  Status st;
  try {
    st = work();
  } catch (const std::exception& e) {
    st = Status::internal(std::string("unexpected error: ") + e.what());
  }
  s.tx_depth = 0;
  forget_scopes();
  if (!st.is_ok()) {
    writer.rollback();
    flush_audit(s);
    return st;
  }
  Status committed = writer.commit();
  if (!committed.is_ok()) writer.rollback();
  else if (s.event_signal) s.event_signal->moved();  // long polls of this process read again
  flush_audit(s);
  return committed;
}

bool audit_pending(EngineState& s) {
  std::lock_guard lock(s.audit_mutex);
  return !s.pending_audit.empty();
}

void flush_audit(EngineState& s) {
  std::vector<PendingAudit> pending;
  {
    std::lock_guard lock(s.audit_mutex);
    pending.swap(s.pending_audit);
  }
  store::Connection& writer = s.conn.writer();
  if (pending.empty() || writer.read_only()) return;
  ConnectionSlot::WritingScope writing(s.conn);
  if (!writer.begin_write().is_ok()) return;  // best effort: never fail the caller's call over it
  for (const auto& a : pending) {
    Event e;
    e.at = s.now();
    e.actor_id = a.actor_id;
    e.type = "access.denied";
    e.entity = a.entity;
    e.entity_id = a.entity_id;
    e.payload = a.payload;
    if (!store::insert_event(writer, e).is_ok()) {
      writer.rollback();
      return;
    }
  }
  if (!writer.commit().is_ok()) writer.rollback();
}

Status on_reader(EngineState& s, const std::function<Status()>& work) {
  auto reader = s.conn.readers()->take();
  if (!reader.ok()) {
    // No reader could be opened (file descriptors exhausted...): the writer still can.
    std::lock_guard lock(s.mutex);
    Status st = work();
    if (s.tx_depth == 0 && audit_pending(s)) flush_audit(s);
    return st;
  }
  // A reader whose transaction could not be ended would keep an old snapshot for every
  // later read: it is closed instead of going back to the pool.
  struct GiveBack {
    ReaderPool& pool;
    std::unique_ptr<store::Connection>& reader;
    bool healthy = true;
    ~GiveBack() {
      if (healthy)
        pool.give_back(std::move(reader));
      else
        pool.discard(std::move(reader));
    }
  } give_back{*s.conn.readers(), *reader};
  // One snapshot for the whole read, as the writer's lock gave before: a record and its
  // children are read as of the same commit.
  store::Connection& conn = **reader;
  if (Status begun = conn.begin_read(); !begun.is_ok()) {
    give_back.healthy = false;
    return begun;
  }
  Status st;
  {
    ConnectionSlot::ReadingScope reading(s.conn, conn);
    try {
      st = work();
    } catch (...) {
      give_back.healthy = conn.rollback().is_ok();
      throw;
    }
  }
  if (!conn.commit().is_ok()) give_back.healthy = conn.rollback().is_ok();
  // A refusal is audited now unless a write is running: that write's end flushes it, and
  // a read need not wait for a long import to finish.
  if (audit_pending(s)) {
    std::unique_lock lock(s.mutex, std::try_to_lock);
    if (lock.owns_lock() && s.tx_depth == 0) flush_audit(s);
  }
  return st;
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
      market_(state_.get()),
      segments_(state_.get()),
      routes_(state_.get()),
      visits_(state_.get()),
      must_have_(state_.get()),
      connectors_(state_.get()),
      kpi_(state_.get()),
      plans_(state_.get()),
      columns_(state_.get()),
      automations_(state_.get()),
      tokens_(state_.get()),
      accounts_(state_.get()),
      idempotency_(state_.get()) {
  detail::register_engine(this, state_.get());
}

Engine::~Engine() { detail::unregister_engine(this); }

namespace {
// Enough for `salescore serve`'s worker threads; a reader costs a file handle and a
// small page cache (the file itself is memory-mapped).
constexpr int kMaxReaders = 16;
}  // namespace

std::string redacted_store_url(const std::string& url) { return store::redacted_url(url); }

detail::PrivateStore::~PrivateStore() {
  if (!url.empty()) store::release_private_store(url);
}

Result<std::unique_ptr<Engine>> Engine::open(const std::string& given_url, EngineOptions options) {
  SC_ASSIGN_OR_RETURN(const std::string url, store::private_store_url(given_url));
  store::OpenOptions open_options;
  open_options.durable = options.config.durable;
  open_options.busy_timeout_ms = options.config.busy_timeout_ms;
  open_options.read_only = options.read_only;
  open_options.statement_timeout_ms = options.config.statement_timeout_ms;
  open_options.sslmode = options.config.sslmode;
  open_options.application_name = options.config.application_name;
  SC_ASSIGN_OR_RETURN(auto conn, store::open_connection(url, open_options));
  SC_ASSIGN_OR_RETURN(int version, store::migrate(*conn));
  auto state = std::make_unique<detail::EngineState>();
  if (url != given_url) state->private_store.url = url;
  state->conn.set_writer(std::move(conn));
  if (store::has_readers(url)) {
    store::OpenOptions reader_options = open_options;
    reader_options.reader = true;
    const int readers = options.config.pool_size > 0 ? options.config.pool_size : kMaxReaders;
    state->conn.set_readers(std::make_unique<detail::ReaderPool>(url, reader_options, readers));
  }
  state->run_locks = store::make_run_locks(url, open_options);
  state->event_signal = std::make_shared<store::EventSignal>(url, open_options);
  state->config = std::move(options.config);
  state->clock = options.clock ? options.clock : std::make_shared<SystemClock>();
  state->schema_version = version;
  return std::unique_ptr<Engine>(new Engine(std::move(state)));
}

Status Engine::batch(const std::function<Status()>& work) { return detail::in_write_tx(*state_, work); }

Status Engine::attempt(const std::function<Status()>& work) {
  detail::EngineState& s = *state_;
  std::lock_guard lock(s.mutex);
  if (s.tx_depth == 0) return detail::in_write_tx(s, work);
  detail::ConnectionSlot::WritingScope writing(s.conn);
  store::Connection& writer = s.conn.writer();
  // Named by depth, so an attempt inside an attempt has a savepoint of its own.
  const std::string savepoint = "attempt_" + std::to_string(s.tx_depth);
  SC_RETURN_IF_ERROR(writer.exec("SAVEPOINT " + savepoint));
  ++s.tx_depth;
  Status st;
  try {
    st = work();
  } catch (const std::exception& e) {
    st = Status::internal(std::string("unexpected error: ") + e.what());
  }
  --s.tx_depth;
  if (!st.is_ok()) {
    Status undone = writer.exec("ROLLBACK TO SAVEPOINT " + savepoint);
    if (!undone.is_ok())
      return Status(Code::kUnavailable, st.message() + "; and its writes could not be undone: " + undone.message());
  }
  Status released = writer.exec("RELEASE SAVEPOINT " + savepoint);
  if (!released.is_ok()) return Status(Code::kUnavailable, "savepoint not released: " + released.message());
  return st;
}

Status Engine::reading(const std::function<Status()>& work) {
  auto done = detail::read<bool>(*state_, [&]() -> Result<bool> {
    SC_RETURN_IF_ERROR(work());
    return true;
  });
  return done.ok() ? Status::ok() : done.status();
}

bool Engine::reader_free() const { return state_->conn.readers() && state_->conn.readers()->available(); }

const Config& Engine::config() const { return state_->config; }
const Clock& Engine::clock() const { return *state_->clock; }
int Engine::schema_version() const { return state_->schema_version; }
int Engine::latest_schema_version() { return store::latest_schema_version(); }

}  // namespace salescore
