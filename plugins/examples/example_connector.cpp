// The example connector: a minimal connector that exercises every path of the plugin
// ABI, used by the loader and runtime tests and as a starting point for a real one.
//
// It is written in C++ to show that a connector may be, as long as nothing but C types
// crosses the boundary; its entry point and callbacks are plain C functions. What it
// does is steered by its config and, at run time, by its own HTTP routes:
//
//   poll         emits `records_per_poll` clients after the checkpoint (twice each with
//                emit_duplicates), saves the checkpoint, then ends as `poll_result` says
//                (ok, unavailable, invalid_argument, unauthenticated, or throw)
//   deliver      receives client.* events from the outbox; ends as `deliver_result` says
//   session      emits `session_records` calls per connection, then waits to be stopped
//                (with session_fail_first the first connection is refused, to be retried;
//                with session_pause_after=N it waits for a stop after N records, so a
//                test can pause it mid-stream). Records the host refuses (paused,
//                backpressure) are kept and sent first on the next connection, as a
//                push-only peer (AMI) must: the host cannot ask it for them again.
//   POST /example/webhook  a record pushed by an outside system: {"entity", "external_id", "fields"}
//   POST /example/signed   the same, signed: X-Signature = HMAC-SHA256(webhook_secret, "<X-Timestamp>.<body>")
//   POST /example/batch    webhook bodies, one per line, applied all or nothing; a line
//                          "checkpoint VALUE" saves the position the batch reached
//   POST /example/mode     "poll_result=unavailable" lines change the behaviour at run time;
//                          "progress=TEXT" reports TEXT as the connector's progress (ABI 1.4)
//   GET  /example/stats    {"polls":N,"deliveries":N,"sessions":N}
//   POST /example/throw    a handler that throws
#include <salescore/plugin_api.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

const sc_host_api* g_host = nullptr;

struct Example {
  sc_host* host = nullptr;
  std::mutex mutex;  // guards the modes, which routes change from server threads
  std::string poll_result;
  std::string deliver_result;
  std::atomic<int> polls{0}, deliveries{0}, sessions{0};
  // The session waits on this until session_stop() or the host's stopping().
  std::mutex session_mutex;
  std::condition_variable session_cv;
  bool stop_requested = false;
  // Ids of the calls the host did not take, oldest first: sent again on the next
  // connection (a real AMI connector would read them back from the CDR).
  std::vector<std::string> session_unsent;
};

std::string config_text(sc_host* host, const char* key) {
  const char* v = g_host->config_get(host, key);
  return v ? v : "";
}

// Ends a callback the way a mode says; "throw" shows that the host survives an exception.
sc_status finish(Example* ex, const std::string& mode, const char* what) {
  if (mode == "ok") return SC_OK;
  if (mode == "unavailable") return g_host->fail(ex->host, SC_UNAVAILABLE, (std::string(what) + ": peer unavailable").c_str());
  if (mode == "invalid_argument")
    return g_host->fail(ex->host, SC_INVALID_ARGUMENT, (std::string(what) + ": peer rejected the data").c_str());
  if (mode == "unauthenticated")
    return g_host->fail(ex->host, SC_UNAUTHENTICATED, (std::string(what) + ": peer refused the token").c_str());
  if (mode == "throw") throw std::runtime_error(std::string(what) + ": example exception");
  return g_host->fail(ex->host, SC_INTERNAL, ("unknown mode " + mode).c_str());
}

sc_status emit_client(Example* ex, const std::string& external_id, const std::string& name) {
  std::string json = "{\"name\":\"" + name + "\",\"custom\":{\"origin\":\"example\"}}";
  sc_record r{};
  r.struct_size = sizeof r;
  r.entity = "client";
  r.source = "example";
  r.external_id = external_id.c_str();
  r.json = json.data();
  r.json_size = json.size();
  return g_host->emit_record(ex->host, &r);
}

// ---- callbacks ----

sc_status example_poll(void* self) {
  auto* ex = static_cast<Example*>(self);
  ++ex->polls;
  char buffer[32] = {0};
  size_t size = 0;
  long next = 0;
  if (g_host->checkpoint_read(ex->host, buffer, sizeof buffer - 1, &size) == SC_OK) next = std::atol(buffer);
  const int64_t count = g_host->config_get_int(ex->host, "records_per_poll", 2);
  const bool duplicates = g_host->config_get_bool(ex->host, "emit_duplicates", 0) != 0;
  for (int64_t i = 0; i < count; ++i) {
    const std::string id = "c-" + std::to_string(next + i);
    const std::string name = "Example client " + std::to_string(next + i);
    for (int copy = 0; copy < (duplicates ? 2 : 1); ++copy) {
      sc_status st = emit_client(ex, id, name);
      // Refused records are dead letters already; not taken ones come back next poll.
      if (st == SC_RESOURCE_EXHAUSTED || st == SC_UNAVAILABLE) return st;
    }
  }
  const std::string checkpoint = std::to_string(next + count);
  g_host->checkpoint_save(ex->host, checkpoint.data(), checkpoint.size());
  std::string mode;
  {
    std::lock_guard lock(ex->mutex);
    mode = ex->poll_result;
  }
  return finish(ex, mode, "poll");
}

sc_status example_deliver(void* self, const sc_outbound* item) {
  auto* ex = static_cast<Example*>(self);
  ++ex->deliveries;
  std::string mode;
  {
    std::lock_guard lock(ex->mutex);
    mode = ex->deliver_result;
  }
  g_host->log(ex->host, SC_LOG_DEBUG,
              ("deliver " + std::string(item->kind) + " " + item->idempotency_key + " attempt " +
               std::to_string(item->attempt))
                  .c_str());
  return finish(ex, mode, "deliver");
}

sc_status example_session_run(void* self) {
  auto* ex = static_cast<Example*>(self);
  const int run = ++ex->sessions;
  // As a connector still opening its socket: a session_stop() meanwhile is not heard,
  // because the flag is reset below (the telephony connector does the same).
  if (const int64_t connect_ms = g_host->config_get_int(ex->host, "session_connect_ms", 0); connect_ms > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(connect_ms));
  {
    std::lock_guard lock(ex->session_mutex);
    ex->stop_requested = false;  // a stop meant for the previous connection
  }
  // A connector that listens only to session_stop(), never to the host's stopping().
  const bool hears_stopping = g_host->config_get_bool(ex->host, "session_hears_stopping", 1);
  auto stopping = [&] { return hears_stopping && g_host->stopping(ex->host); };
  // As an AMI socket refused while Asterisk restarts: the host reconnects after a backoff.
  if (run == 1 && g_host->config_get_bool(ex->host, "session_fail_first", 0))
    return g_host->fail(ex->host, SC_UNAVAILABLE, "session: connection refused");
  const int64_t count = g_host->config_get_int(ex->host, "session_records", 0);
  const int64_t pause_after = g_host->config_get_int(ex->host, "session_pause_after", -1);
  std::vector<std::string> ids;
  ids.swap(ex->session_unsent);  // the session thread's own: no other callback touches it
  for (int64_t i = 0; i < count; ++i) ids.push_back("s-" + std::to_string(run) + "-" + std::to_string(i));
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (static_cast<int64_t>(i) == pause_after) {
      std::unique_lock lock(ex->session_mutex);
      while (!ex->stop_requested && !stopping()) ex->session_cv.wait_for(lock, std::chrono::milliseconds(20));
    }
    std::string json =
        "{\"kind\":\"call\",\"direction\":\"inbound\",\"subject\":\"example call " + ids[i] + "\"}";
    sc_record r{};
    r.struct_size = sizeof r;
    r.entity = "interaction";
    r.source = "example";
    r.external_id = ids[i].c_str();
    r.json = json.data();
    r.json_size = json.size();
    const sc_status st = g_host->emit_record(ex->host, &r);
    if (st == SC_RESOURCE_EXHAUSTED || st == SC_UNAVAILABLE) {
      // Not taken (paused, backpressure): kept for the next connection, and this one
      // ends; the host starts the next when it takes records again.
      ex->session_unsent.assign(ids.begin() + static_cast<std::ptrdiff_t>(i), ids.end());
      return st;
    }
    // Any other code: the host applied it, held it for a retry or dead-lettered it.
  }
  // A real session blocks in IMAP IDLE or on the AMI socket; this one waits to be stopped.
  // stopping() covers a stop asked before this wait began.
  std::unique_lock lock(ex->session_mutex);
  while (!ex->stop_requested && !stopping()) ex->session_cv.wait_for(lock, std::chrono::milliseconds(20));
  return SC_OK;
}

void example_session_stop(void* self) {
  auto* ex = static_cast<Example*>(self);
  std::lock_guard lock(ex->session_mutex);
  ex->stop_requested = true;
  ex->session_cv.notify_all();
}

// ---- routes ----

void respond(sc_http_response* response, int status, const std::string& body) {
  g_host->response_status(response, status);
  g_host->response_header(response, "Content-Type", "text/plain; charset=utf-8");
  g_host->response_write(response, body.data(), body.size());
}

// The webhook body is {"entity": "...", "external_id": "...", "fields": {...}}; the
// example avoids a JSON library by expecting exactly that layout.
std::string field_between(const std::string& body, const std::string& key) {
  const std::string marker = "\"" + key + "\":\"";
  auto start = body.find(marker);
  if (start == std::string::npos) return "";
  start += marker.size();
  auto end = body.find('"', start);
  return end == std::string::npos ? "" : body.substr(start, end - start);
}

// Emits one pushed record: {"entity": "...", "external_id": "...", "fields": {...}}.
sc_status emit_envelope(Example* ex, const std::string& body) {
  const std::string entity = field_between(body, "entity");
  const std::string external_id = field_between(body, "external_id");
  auto fields_at = body.find("\"fields\":");
  if (entity.empty() || external_id.empty() || fields_at == std::string::npos)
    return g_host->fail(ex->host, SC_INVALID_ARGUMENT, "expected {\"entity\",\"external_id\",\"fields\"}");
  std::string fields = body.substr(fields_at + 9);
  fields = fields.substr(0, fields.rfind('}'));  // drop the envelope's closing brace
  sc_record r{};
  r.struct_size = sizeof r;
  r.entity = entity.c_str();
  r.source = "example";
  r.external_id = external_id.c_str();
  r.json = fields.data();
  r.json_size = fields.size();
  return g_host->emit_record(ex->host, &r);
}

// A webhook signed as a shop signs it: X-Signature = HMAC-SHA256(secret, "<X-Timestamp>.<body>"),
// checked by the host (constant time, 5-minute replay window) before anything is emitted.
sc_status example_signed_webhook(void* self, const sc_http_request* request, sc_http_response* response) {
  auto* ex = static_cast<Example*>(self);
  const std::string secret = config_text(ex->host, "webhook_secret");
  sc_status st = g_host->verify_webhook(ex->host, secret.c_str(), g_host->request_header(request, "X-Signature"),
                                        g_host->request_header(request, "X-Timestamp"), request->body,
                                        request->body_size, 300);
  if (st != SC_OK) return st;  // 401 with the host's reason
  st = emit_envelope(ex, std::string(reinterpret_cast<const char*>(request->body), request->body_size));
  if (st != SC_OK) return st;
  respond(response, 200, "accepted\n");
  return SC_OK;
}

sc_status example_webhook(void* self, const sc_http_request* request, sc_http_response* response) {
  auto* ex = static_cast<Example*>(self);
  sc_status st = emit_envelope(ex, std::string(reinterpret_cast<const char*>(request->body), request->body_size));
  if (st != SC_OK) return st;  // the host answers with the matching HTTP status
  respond(response, 200, "accepted\n");
  return SC_OK;
}

// Several webhook bodies, one per line, applied all or nothing (as 1C applies a file).
sc_status example_batch(void* self, const sc_http_request* request, sc_http_response* response) {
  auto* ex = static_cast<Example*>(self);
  const std::string body(reinterpret_cast<const char*>(request->body), request->body_size);
  sc_status st = g_host->batch_begin(ex->host);
  if (st != SC_OK) return st;
  size_t start = 0;
  int count = 0;
  while (start < body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string::npos) end = body.size();
    const std::string line = body.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    if (line.rfind("checkpoint ", 0) == 0) {
      // A feed's position saved with the records it covers: the host keeps it only if
      // the batch commits.
      const std::string value = line.substr(11);
      st = g_host->checkpoint_save(ex->host, value.data(), value.size());
    } else {
      st = emit_envelope(ex, line);
    }
    if (st != SC_OK) {
      g_host->batch_end(ex->host, 0);
      return st;
    }
    ++count;
  }
  st = g_host->batch_end(ex->host, 1);
  if (st != SC_OK) return st;  // the host gave the refused record's reason to fail()
  respond(response, 200, "applied " + std::to_string(count) + "\n");
  return SC_OK;
}

sc_status example_mode(void* self, const sc_http_request* request, sc_http_response* response) {
  auto* ex = static_cast<Example*>(self);
  const std::string body(reinterpret_cast<const char*>(request->body), request->body_size);
  std::lock_guard lock(ex->mutex);
  size_t start = 0;
  while (start < body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string::npos) end = body.size();
    std::string line = body.substr(start, end - start);
    auto eq = line.find('=');
    if (eq != std::string::npos) {
      std::string key = line.substr(0, eq), value = line.substr(eq + 1);
      if (key == "poll_result") ex->poll_result = value;
      else if (key == "deliver_result") ex->deliver_result = value;
      else if (key == "progress" && SC_HAS_FIELD(g_host, sc_host_api, report_progress))
        g_host->report_progress(ex->host, value.c_str());  // what a long first sync says (ABI 1.4)
      else if (key == "subscribe" && SC_HAS_FIELD(g_host, sc_host_api, subscribe)) {
        const char* const prefixes[] = {value.c_str(), nullptr};  // refused: create() only
        if (sc_status st = g_host->subscribe(ex->host, prefixes); st != SC_OK) return st;
      } else return g_host->fail(ex->host, SC_INVALID_ARGUMENT, ("unknown mode " + key).c_str());
    }
    start = end + 1;
  }
  respond(response, 200, "ok\n");
  return SC_OK;
}

sc_status example_stats(void* self, const sc_http_request*, sc_http_response* response) {
  auto* ex = static_cast<Example*>(self);
  respond(response, 200,
          "{\"polls\":" + std::to_string(ex->polls.load()) + ",\"deliveries\":" + std::to_string(ex->deliveries.load()) +
              ",\"sessions\":" + std::to_string(ex->sessions.load()) + "}");
  return SC_OK;
}

sc_status example_throw(void*, const sc_http_request*, sc_http_response*) {
  throw std::logic_error("route handler: example exception");
}

// ---- lifecycle ----

sc_status example_create(sc_host* host, void** self) {
  auto* ex = new Example();
  ex->host = host;
  ex->poll_result = config_text(host, "poll_result");
  ex->deliver_result = config_text(host, "deliver_result");
  // The host checked api_token is set; a real connector would check it with its peer.
  if (config_text(host, "api_token") == "reject-me") {
    delete ex;
    return g_host->fail(host, SC_UNAUTHENTICATED, "the peer refused api_token");
  }
  const struct {
    const char* method;
    const char* path;
    sc_route_handler handler;
  } routes[] = {{"POST", "/example/webhook", example_webhook},
                {"POST", "/example/signed", example_signed_webhook},
                {"POST", "/example/batch", example_batch},
                {"POST", "/example/mode", example_mode},
                {"GET", "/example/stats", example_stats},
                {"POST", "/example/throw", example_throw}};
  for (const auto& r : routes) {
    sc_status st = g_host->route_add(host, r.method, r.path, r.handler);
    if (st != SC_OK) {
      delete ex;
      return st;
    }
  }
  // `receive` narrows the event types this instance gets (ABI 1.5): "none" for none.
  if (const std::string receive = config_text(host, "receive");
      !receive.empty() && SC_HAS_FIELD(g_host, sc_host_api, subscribe)) {
    std::vector<std::string> prefixes;
    for (size_t start = 0; receive != "none" && start <= receive.size();) {
      size_t end = receive.find(',', start);
      if (end == std::string::npos) end = receive.size();
      prefixes.push_back(receive.substr(start, end - start));
      start = end + 1;
    }
    std::vector<const char*> list;
    for (const auto& p : prefixes) list.push_back(p.c_str());
    list.push_back(nullptr);
    if (sc_status st = g_host->subscribe(host, list.data()); st != SC_OK) {
      delete ex;
      return st;
    }
  }
  *self = ex;
  // Careless on purpose: the host masks secret values in every line a connector logs.
  g_host->log(host, SC_LOG_INFO, ("created with api_token " + config_text(host, "api_token")).c_str());
  return SC_OK;
}

void example_destroy(void* self) { delete static_cast<Example*>(self); }

const char* const kModes = "ok|unavailable|invalid_argument|unauthenticated|throw";

const sc_config_option kConfig[] = {
    {"api_token", SC_CONFIG_STRING, nullptr, 1, 1, "token for the example peer", nullptr},
    {"records_per_poll", SC_CONFIG_INT, "2", 0, 0, "clients emitted by each poll", nullptr},
    {"webhook_secret", SC_CONFIG_STRING, "", 0, 1, "secret of the signed webhook route", nullptr},
    {"emit_duplicates", SC_CONFIG_BOOL, "false", 0, 0, "emit every record twice", nullptr},
    {"poll_result", SC_CONFIG_STRING, "ok", 0, 0, "how each poll ends", kModes},
    {"deliver_result", SC_CONFIG_STRING, "ok", 0, 0, "how each delivery ends", kModes},
    {"session_records", SC_CONFIG_INT, "0", 0, 0, "calls emitted by each session connection", nullptr},
    {"session_fail_first", SC_CONFIG_BOOL, "false", 0, 0, "the first session connection fails", nullptr},
    {"session_pause_after", SC_CONFIG_INT, "-1", 0, 0, "records a session sends before it waits to be stopped (-1: never)", nullptr},
    {"session_connect_ms", SC_CONFIG_INT, "0", 0, 0, "time a session takes to connect, deaf to session_stop()", nullptr},
    {"session_hears_stopping", SC_CONFIG_BOOL, "true", 0, 0, "the session also ends when the host's stopping() says so", nullptr},
    {"receive", SC_CONFIG_STRING, "", 0, 0, "event types this instance receives, by prefix, comma-separated (\"none\"; empty: all it declares)", nullptr},
};

const char* const kSubscriptions[] = {"client.", nullptr};

sc_connector_v1 make_connector() {
  sc_connector_v1 c{};
  c.struct_size = sizeof c;
  c.abi_major = SC_ABI_MAJOR;
  c.abi_minor = SC_ABI_MINOR;
  c.name = "example";
  c.version = "1.0.0";
  c.description = "exercises every path of the plugin ABI (tests and documentation)";
  c.capabilities = SC_CAP_POLL | SC_CAP_ROUTES | SC_CAP_SESSION | SC_CAP_DELIVER;
  c.config = kConfig;
  c.config_count = sizeof kConfig / sizeof kConfig[0];
  c.config_option_size = sizeof(sc_config_option);
  c.subscriptions = kSubscriptions;
  c.poll_interval_ms = 60000;
  c.create = example_create;
  c.destroy = example_destroy;
  c.poll = example_poll;
  c.session_run = example_session_run;
  c.session_stop = example_session_stop;
  c.deliver = example_deliver;
  return c;
}

}  // namespace

extern "C" SC_EXPORT int salescore_connector_entry(const sc_host_api* host, sc_connector_v1* out) {
  static const sc_connector_v1 connector = make_connector();
  g_host = host;
  return sc_connector_export(host, out, &connector);
}
