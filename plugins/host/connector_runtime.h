// The connector runtime: runs the connector instances of one salescore process.
//
// It creates each configured connector, runs its polls on a schedule, serves its HTTP
// routes, keeps its long-lived session going, applies what it emits (inbox with
// idempotency keys, checkpoints persisted only after the records before them are
// committed), delivers its outbox, retries with full-jitter backoff, dead-letters what
// keeps failing, and pauses its intake while its outbox backlog is over the limit.
//
// Time comes from the engine's Clock: run_due() does everything that is due at the
// clock's now and returns, so tests move a ManualClock and call it without sleeping;
// `salescore serve` calls it from its own loop. Only the session threads (which hold
// real sockets) wait in real time between reconnects.
//
// Thread-safety: run_due(), add() and the operator calls belong to one thread; handle()
// may be called from any number of server threads (stop calling it before destroying
// the runtime); sessions run on their own threads.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "host/backoff.h"
#include "host/connector_config.h"
#include "host/connector_library.h"
#include "host/dead_letter_replay.h"
#include "salescore/engine.h"

namespace salescore::plugins {

enum class LogLevel { kError, kWarn, kInfo, kDebug };
const char* log_level_name(LogLevel level);
using LogSink = std::function<void(LogLevel level, const std::string& connector, const std::string& message)>;

struct RuntimeOptions {
  // Who a connector's records are written as; null: its integration user
  // (integration_user.h), so core's access rules confine it to its own source.
  std::function<Result<Actor>(Engine& engine, const std::string& connector)> actor_for;
  UniformRandom random;      // null: system_random()
  LogSink log;               // null: lines on stderr
  int delivery_batch = 100;  // outbox items tried per connector per step
  int fanout_batch = 500;    // events read per connector per step
  // Several processes on one PostgreSQL database: how long an outbox item claimed for
  // delivery stays this process's (a process that dies mid-delivery leaves its items to
  // another after this), and the name its claims go under (empty: "host:pid").
  std::int64_t delivery_lease_ms = 300'000;
  std::string process_name;
};

struct ConnectorHealth {
  std::string name;     // the instance ([connector.NAME])
  std::string library;  // the connector library it runs
  std::string version;
  std::string file;
  std::string abi;    // "1.0"
  // running | retrying | backpressure | paused | failed | disabled | standby (another
  // process on the same database runs it)
  std::string state;
  std::string reason;  // why it is failed, paused or retrying
  std::optional<Instant> last_success;
  std::string last_error;
  std::int64_t backlog = 0;          // outbox items pending
  std::int64_t waiting_records = 0;  // inbound records held for a retry
  std::int64_t dead_letters = 0;     // not replayed
  std::vector<std::string> routes;   // "POST /exchange/1c"
  std::int64_t polls = 0, applied = 0, duplicates = 0, delivered = 0, dead_lettered = 0;
};

// An HTTP request for a connector route, as the server received it.
struct RouteRequest {
  std::string method;
  std::string path;
  std::string query;  // without '?'
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote_address;
};

struct RouteResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

class RuntimeCore;

class ConnectorRuntime {
 public:
  explicit ConnectorRuntime(Engine& engine, RuntimeOptions options = {});
  // Stops the sessions, then destroys every instance.
  ~ConnectorRuntime();
  ConnectorRuntime(const ConnectorRuntime&) = delete;
  ConnectorRuntime& operator=(const ConnectorRuntime&) = delete;

  // Validates `settings` (the connector's config section) and creates an instance,
  // which registers its routes. A connector with enabled=false is kept as "disabled".
  // `instance` names it (its [connector.NAME] section; empty: the library's name): one
  // library may run as several instances, each with its own config, checkpoint, source,
  // integration user, dead letters, outbox and routes. The error (bad config, a name
  // taken, a route taken, create refused) names the instance, its file and the reason;
  // the connectors added before and after are unaffected.
  Status add(std::shared_ptr<ConnectorLibrary> library, const Settings& settings, const std::string& instance = "");

  // One step at the clock's now: retries of held records, checkpoints, due polls,
  // outbox fan-out from the event log, due deliveries, backpressure. True when a
  // connector has more to do at once (a whole batch of events or deliveries was done,
  // a backlog is draining): call it again without waiting.
  bool run_due();

  // Starts a thread per connector with a session; stop_sessions() ends and joins them.
  void start_sessions();
  void stop_sessions();
  // The first step of a shutdown, before the thread calling run_due() is joined: every
  // connector's stopping() turns true, a poll in hand returns after the page it is on
  // (its checkpoint at that page), a delivery batch after the item in hand, and
  // run_due() starts no new poll or delivery. Without it a shutdown waited for a web
  // shop's whole re-read.
  void begin_shutdown();
  // Writes "stopped" as every running connector's state (salescore plugins list), when
  // the server shuts down.
  void record_stopped();

  // Serves a connector route; nullopt when no connector registered it.
  std::optional<RouteResponse> handle(const RouteRequest& request);
  // "METHOD path" of every registered route.
  std::vector<std::string> routes() const;

  // An operator's pause stops polls, the session and deliveries and refuses emitted
  // records until resume(); resume() also restarts polls and the session of a
  // connector that failed for good (after its credentials were fixed).
  Status pause(const std::string& connector);
  Status resume(const std::string& connector);

  // Queues an outbound action for a connector (click-to-call, send an e-mail). Refused
  // with kResourceExhausted while the connector's backlog is over its limit; nullopt
  // when the same key is pending already. An empty key is derived from the content.
  Result<std::optional<Id>> enqueue_outbound(const std::string& connector, const std::string& kind,
                                             const std::string& payload, const std::string& idempotency_key = "");

  // Replays a dead letter (see dead_letter_replay.h).
  Result<ReplayOutcome> replay(Id dead_letter);

  std::vector<ConnectorHealth> health() const;
  Result<ConnectorHealth> health(const std::string& connector) const;

 private:
  std::unique_ptr<RuntimeCore> core_;
};

}  // namespace salescore::plugins
