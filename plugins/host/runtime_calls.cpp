// Calling into a connector. Every callback goes through RuntimeCore::call, which makes
// the thread's CallContext current (so host services know who calls and from where)
// and turns an escaped exception into SC_INTERNAL: a connector bug becomes an error
// with a message, never a crash of the host through foreign frames.
#include <unistd.h>

#include <iostream>

#include "host/runtime_core.h"
#include "host/status_codes.h"

namespace salescore::plugins {
namespace {
thread_local CallContext* tl_current = nullptr;

// Restores the outer context when a nested call returns.
class CallScope {
 public:
  explicit CallScope(CallContext* context) : previous_(tl_current) { tl_current = context; }
  ~CallScope() { tl_current = previous_; }
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

 private:
  CallContext* previous_;
};
}  // namespace

CallContext* current_call() { return tl_current; }

const char* call_kind_name(CallKind kind) {
  switch (kind) {
    case CallKind::kCreate: return "create";
    case CallKind::kPoll: return "poll";
    case CallKind::kRoute: return "route";
    case CallKind::kSession: return "session";
    case CallKind::kSessionStop: return "session_stop";
    case CallKind::kDeliver: return "deliver";
    case CallKind::kDestroy: return "destroy";
  }
  return "callback";
}

const char* log_level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kError: return "error";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kInfo: return "info";
    case LogLevel::kDebug: return "debug";
  }
  return "info";
}

RuntimeCore::RuntimeCore(Engine& e, RuntimeOptions o) : engine(e), options(std::move(o)) {
  if (!options.random) options.random = system_random();
  holder = options.process_name;
  if (holder.empty()) {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    holder = std::string(host) + ":" + std::to_string(getpid());
  }
  if (!options.log)
    options.log = [](LogLevel level, const std::string& connector, const std::string& message) {
      std::cerr << "salescore: connector " << connector << ": " << log_level_name(level) << ": " << message << "\n";
    };
}

bool RuntimeCore::in_create(const ConnectorSlot& slot) {
  const CallContext* ctx = current_call();
  return ctx && ctx->slot == &slot && ctx->kind == CallKind::kCreate;
}

sc_status RuntimeCore::refuse_service(ConnectorSlot& slot, sc_status code, const std::string& why) const {
  if (CallContext* ctx = current_call(); ctx && ctx->slot == &slot) ctx->failure = why;
  log(&slot, LogLevel::kError, why);
  return code;
}

RuntimeCore::~RuntimeCore() {
  stop_sessions();
  for (auto& slot : slots) {
    if (!slot->created) continue;
    remove_routes(*slot);
    call(*slot, CallKind::kDestroy, [&] {
      slot->table().destroy(slot->self);
      return SC_OK;
    });
    slot->created = false;
    // A process that stops hands its connectors on at once, not when its connection closes.
    if (slot->runs_here) engine.connectors().release_run_lock(slot->name());
  }
}

ConnectorSlot* RuntimeCore::find(const std::string& name) const {
  for (const auto& slot : slots)
    if (slot->name() == name) return slot.get();
  return nullptr;
}

CallOutcome RuntimeCore::call(ConnectorSlot& slot, CallKind kind, const std::function<sc_status()>& callback,
                              CallContext* context) {
  CallContext local;
  CallContext& ctx = context ? *context : local;
  ctx.slot = &slot;
  ctx.kind = kind;
  CallOutcome out;
  {
    CallScope scope(&ctx);
    try {
      out.code = callback();
    } catch (const std::exception& e) {
      out.code = SC_INTERNAL;
      out.message = std::string("the connector's ") + call_kind_name(kind) + " callback threw: " + e.what();
    } catch (...) {
      out.code = SC_INTERNAL;
      out.message = std::string("the connector's ") + call_kind_name(kind) + " callback threw an exception";
    }
  }
  if (out.code != SC_OK && out.message.empty())
    out.message = ctx.failure.empty() ? std::string(call_kind_name(kind)) + " returned " + abi_status_name(out.code)
                                      : ctx.failure;
  if (out.code != SC_OK) out.message = slot.config.mask_secrets(out.message);
  if (out.code == SC_INTERNAL) log(&slot, LogLevel::kError, out.message);
  return out;
}

void RuntimeCore::log(const ConnectorSlot* slot, LogLevel level, const std::string& message) const {
  const std::string name = slot ? slot->name() : "host";
  options.log(level, name, slot ? slot->config.mask_secrets(message) : message);
}

void RuntimeCore::note_success(ConnectorSlot& slot) {
  std::lock_guard lock(slot.health_mutex);
  slot.last_success = now();
  slot.success_unsaved = true;
}

void RuntimeCore::note_error(ConnectorSlot& slot, const std::string& message) {
  std::lock_guard lock(slot.health_mutex);
  slot.last_error = slot.config.mask_secrets(message);
  slot.error_unsaved = true;
}

void RuntimeCore::save_health(ConnectorSlot& slot) {
  std::optional<Instant> success;
  std::optional<std::string> error;
  {
    std::lock_guard lock(slot.health_mutex);
    if (slot.success_unsaved && slot.last_success) success = slot.last_success;
    if (slot.error_unsaved) error = slot.last_error;
    slot.success_unsaved = slot.error_unsaved = false;
  }
  // Health is advisory: a write lost to a busy database is written at the next change.
  if (success) (void)engine.connectors().record_success(slot.name(), *success);
  if (error) (void)engine.connectors().record_error(slot.name(), *error);
}

}  // namespace salescore::plugins
