// Inside the connector runtime: one ConnectorSlot per connector instance, and the
// RuntimeCore that the public ConnectorRuntime and the C host services (sc_host) both
// drive. Split by responsibility over runtime_*.cpp:
//   runtime_calls.cpp      calling into a connector: context, exception wrapping, logging
//   runtime_inbound.cpp    emitted records, held retries, checkpoints
//   runtime_outbound.cpp   fan-out from the event log, deliveries, backpressure
//   runtime_scheduler.cpp  add, run_due, polls, operator pause/resume, health
//   runtime_sessions.cpp   session threads
//   runtime_reads.cpp      changes_read(): what changed, for a connector to send out
//   runtime_routes.cpp     HTTP routes
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <thread>

#include "host/backoff.h"
#include "host/connector_runtime.h"
#include "host/record_apply.h"
#include "host/streaming_batch.h"

namespace salescore::plugins {
class RuntimeCore;
struct ConnectorSlot;
}  // namespace salescore::plugins

// The opaque handle of plugin_api.h: which instance a host service call is about.
struct sc_host {
  salescore::plugins::RuntimeCore* core = nullptr;
  salescore::plugins::ConnectorSlot* slot = nullptr;
};

// What a route handler builds through response_status/_header/_write.
struct sc_http_response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

namespace salescore::plugins {

enum class CallKind { kCreate, kPoll, kRoute, kSession, kSessionStop, kDeliver, kDestroy };
const char* call_kind_name(CallKind kind);

// The callback a thread is in, so host services know where a call comes from.
struct CallContext {
  ConnectorSlot* slot = nullptr;
  CallKind kind = CallKind::kCreate;
  std::string failure;          // set by fail()
  bool intake_refused = false;  // a record emitted in this call was not taken
};
// The innermost callback of this thread, or nullptr.
CallContext* current_call();

struct CallOutcome {
  sc_status code = SC_OK;
  std::string message;  // empty when OK
  bool ok() const { return code == SC_OK; }
};

// A record the database could not take yet, held in emit order for a retry.
struct HeldRecord {
  NormalizedRecord record;
  std::uint64_t seq = 0;
  int failures = 0;
  Instant next_attempt_at;
  std::string last_error;
};

// A checkpoint the connector saved, waiting for the records emitted before it.
struct StagedCheckpoint {
  std::string value;
  std::uint64_t covers_seq = 0;
};

struct ConnectorSlot {
  ConnectorSlot(RuntimeCore* core, std::shared_ptr<ConnectorLibrary> lib, ConnectorConfig cfg, std::string name)
      : library(std::move(lib)), config(std::move(cfg)), instance(std::move(name)) {
    handle.core = core;
    handle.slot = this;
  }
  const ConnectorDescriptor& descriptor() const { return library->descriptor(); }
  const sc_connector_v1& table() const { return library->table(); }
  // The instance's name ([connector.NAME]): what its checkpoint, source, integration
  // user, dead letters, sent ids and outbox are keyed by. The library's name unless the
  // section runs a library under another name (`library = webshop`).
  const std::string& name() const { return instance; }
  bool can(std::uint32_t capability) const { return descriptor().can(capability); }
  // The event types this instance receives, by prefix: those its create() narrowed them
  // to (subscribe, ABI 1.5), else all its table declares.
  const std::vector<std::string>& subscriptions() const {
    return narrowed_subscriptions ? *narrowed_subscriptions : descriptor().subscriptions;
  }
  const RuntimeSettings& settings() const { return config.runtime(); }
  BackoffPolicy backoff() const { return {settings().retry_base_ms, settings().retry_cap_ms}; }
  // Records are refused while the operator paused the connector or its outbox is over the limit.
  bool intake_paused() const { return operator_paused.load() || backpressure.load(); }

  std::shared_ptr<ConnectorLibrary> library;
  ConnectorConfig config;
  std::string instance;
  sc_host handle;
  void* self = nullptr;
  Actor actor;  // who its records are written as
  std::optional<std::vector<std::string>> narrowed_subscriptions;  // set in create() only
  bool created = false;
  bool disabled = false;

  std::atomic<bool> operator_paused{false};
  std::atomic<bool> backpressure{false};
  std::atomic<bool> failed{false};  // a non-retryable poll/session failure: stopped until resumed
  // This process holds the connector's run lock: its polls, session and deliveries run
  // here (another process on the same database runs them otherwise).
  std::atomic<bool> runs_here{false};

  // Intake: guarded by intake_mutex, which is held while records are applied so that
  // records from a session thread and retries from run_due keep their order.
  mutable std::mutex intake_mutex;
  std::deque<HeldRecord> held;
  std::uint64_t last_seq = 0;
  std::optional<StagedCheckpoint> staged;
  std::optional<std::string> checkpoint;  // what checkpoint_read answers: the latest saved
  std::shared_ptr<StreamingBatch> batch;  // open between batch_begin and batch_end
  // A checkpoint saved inside the open batch is the batch's own until it commits: only
  // then is it staged (and persisted), so a batch that fails or is discarded never moves
  // the saved position past the records it lost. checkpoint_before_batch is what
  // checkpoint_read answered before it.
  std::optional<std::string> batch_checkpoint;
  std::optional<std::string> checkpoint_before_batch;

  // Scheduler state: the run_due thread only.
  Instant next_poll_at;
  int poll_failures = 0;
  Instant delivery_blocked_until;
  std::optional<std::int64_t> event_offset;
  Instant next_inbox_prune_at;

  // Health: guarded by health_mutex.
  mutable std::mutex health_mutex;
  std::string failed_reason;
  std::string last_error;
  std::string progress;  // report_progress: the reason shown while running
  std::optional<Instant> last_success;
  bool success_unsaved = false;
  bool error_unsaved = false;
  // The state last written for `salescore plugins list` (run_due thread only).
  std::pair<std::string, std::string> saved_state;
  std::atomic<std::int64_t> polls{0}, applied{0}, duplicates{0}, delivered{0}, dead_lettered{0};

  // Session thread.
  std::thread session_thread;
  std::mutex session_mutex;
  std::condition_variable session_cv;
  // Set for every connector when the server shuts down (begin_shutdown) and for a
  // session's while it is stopped: stopping() turns true, a poll ends between pages.
  std::atomic<bool> shutting_down{false};
  std::atomic<bool> session_active{false};
};

class RuntimeCore {
 public:
  RuntimeCore(Engine& engine, RuntimeOptions options);
  ~RuntimeCore();

  Engine& engine;
  RuntimeOptions options;
  std::string holder;  // options.process_name or "host:pid": whose outbox claims
  std::vector<std::unique_ptr<ConnectorSlot>> slots;
  Instant last_run_at;  // the clock at the last run_due (run_due thread only)

  Instant now() const { return engine.clock().now(); }
  ConnectorSlot* find(const std::string& name) const;

  // ---- runtime_calls.cpp ----
  // Calls a connector callback with `context` current on this thread. An exception is
  // caught and becomes SC_INTERNAL; a failure carries the message given to fail().
  CallOutcome call(ConnectorSlot& slot, CallKind kind, const std::function<sc_status()>& callback,
                   CallContext* context = nullptr);
  void log(const ConnectorSlot* slot, LogLevel level, const std::string& message) const;
  // For the host services of create() alone (route_add, subscribe): whether the call in
  // hand on this thread is `slot`'s create(); and a refusal, logged and given as the
  // failure of the call in hand, returning `code`.
  static bool in_create(const ConnectorSlot& slot);
  sc_status refuse_service(ConnectorSlot& slot, sc_status code, const std::string& why) const;
  void note_success(ConnectorSlot& slot);
  void note_error(ConnectorSlot& slot, const std::string& message);
  // Writes last success / last error to the database (run_due thread).
  void save_health(ConnectorSlot& slot);

  // ---- runtime_inbound.cpp ----
  sc_status emit(ConnectorSlot& slot, std::vector<NormalizedRecord> records);
  // ABI 1.2's emit_products: into the open batch only.
  sc_status emit_products(ConnectorSlot& slot, std::vector<CatalogProduct> products);
  void retry_held(ConnectorSlot& slot, Instant now);
  sc_status begin_batch(ConnectorSlot& slot,
                        StreamingBatch::RefusedRecord refused = StreamingBatch::RefusedRecord::kLosesTheBatch);
  // `dead_letters`, when given, is set to the records the committed batch dead-lettered.
  sc_status end_batch(ConnectorSlot& slot, bool commit, int64_t* dead_letters = nullptr);
  sc_status save_checkpoint(ConnectorSlot& slot, std::string value);
  std::optional<std::string> read_checkpoint(ConnectorSlot& slot);

  // ---- runtime_outbound.cpp ----
  // Both return whether more is waiting right now (a whole batch was done), so the
  // scheduler steps again without its pause while a backlog drains.
  bool fan_out(ConnectorSlot& slot);
  bool deliver_due(ConnectorSlot& slot, Instant now);
  void acknowledge(ConnectorSlot& slot, const std::vector<const OutboxItem*>& delivered, Instant now);
  // Records a replayed item's final failure on its dead letter; false when the
  // database could not take it yet (the item stays in the outbox).
  bool give_up_on_replay(ConnectorSlot& slot, const OutboxItem& item, const CallOutcome& result, int failures,
                         Instant now);
  void update_backpressure(ConnectorSlot& slot);
  Result<std::optional<Id>> enqueue(ConnectorSlot& slot, const std::string& kind, const std::string& payload,
                                    const std::string& idempotency_key);
  // subscribe (ABI 1.5): narrows the instance's event types to `prefixes`, inside its
  // create() only, each within one its table declares.
  sc_status subscribe(ConnectorSlot& slot, std::vector<std::string> prefixes);

  // ---- runtime_reads.cpp ----
  sc_status read_changes(ConnectorSlot& slot, const std::string& entity, std::int64_t after_seq, std::size_t limit,
                         sc_record_visitor visit, void* ctx, std::int64_t* next_seq);

  // ---- runtime_scheduler.cpp ----
  Status add(std::shared_ptr<ConnectorLibrary> library, const Settings& settings, const std::string& instance);
  // Takes or keeps the connector's run lock; on taking it over from another process, the
  // connector's saved position (checkpoint, event offset) is read again, and on losing it
  // the session stops. Returns runs_here.
  bool claim_run_lock(ConnectorSlot& slot);
  bool run_due();  // true: a connector has more to do at once (a backlog)
  // The wall clock stepped back `back` ms: the slot's timers move back with it.
  void move_timers_back(ConnectorSlot& slot, std::int64_t back, Instant now);
  void poll_if_due(ConnectorSlot& slot, Instant now);
  void prune_inbox_if_due(ConnectorSlot& slot, Instant now);
  ConnectorHealth health(const ConnectorSlot& slot) const;

  // ---- runtime_operator.cpp ----
  // An operator's pause stops polls, the session and deliveries; resume starts them again
  // and clears a failure.
  void pause(ConnectorSlot& slot);
  void resume(ConnectorSlot& slot);
  // Carries out what `salescore plugins pause|resume` asked through the database.
  void take_operator_request(ConnectorSlot& slot);
  // (state, reason): running | retrying | backpressure | paused | failed | disabled.
  std::pair<std::string, std::string> state_of(const ConnectorSlot& slot) const;
  // Writes the state for `salescore plugins list` when it changed.
  void save_state(ConnectorSlot& slot);
  void record_stopped();

  // ---- runtime_sessions.cpp ----
  void start_sessions();
  // Every connector hears stopping(), polls and deliveries in hand end at their next
  // page or item, and no new one starts.
  void begin_shutdown();
  void stop_sessions();
  // Asks a running session to return (pause, backpressure); its thread then waits.
  void interrupt_session(ConnectorSlot& slot);
  void wake_session(ConnectorSlot& slot);

  // ---- runtime_routes.cpp ----
  sc_status add_route(ConnectorSlot& slot, const std::string& method, const std::string& path,
                      sc_route_handler handler);
  void remove_routes(const ConnectorSlot& slot);
  std::optional<RouteResponse> handle(const RouteRequest& request);
  std::vector<std::string> routes_of(const ConnectorSlot* slot) const;

 private:
  void persist_checkpoint_if_settled(ConnectorSlot& slot);  // intake_mutex held
  // Loses the open batch, if any, over records refused; returns `why`. intake_mutex held.
  std::string refuse_into_batch(ConnectorSlot& slot, std::string why);
  void hold(ConnectorSlot& slot, const NormalizedRecord& record, std::uint64_t seq, int failures,
            const std::string& error, Instant now);
  // Keeps a refused record as a dead letter; false when even that could not be written.
  bool dead_letter_record(ConnectorSlot& slot, const NormalizedRecord& record, const Status& error, int attempts);
  void session_loop(ConnectorSlot& slot);

  struct Route {
    ConnectorSlot* slot;
    sc_route_handler handler;
  };
  mutable std::shared_mutex routes_mutex_;
  std::map<std::string, Route> routes_;  // "METHOD /path"
};

}  // namespace salescore::plugins
