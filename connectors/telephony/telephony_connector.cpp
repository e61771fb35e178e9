// salescore_connector_telephony: calls from Asterisk (a persistent AMI session, CDR files)
// and cloud PBXs (webhooks) on the client's timeline, and click-to-call. See
// docs/connectors/telephony.md.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "ami_session.h"
#include "cdr_import.h"
#include "cdr_poll.h"
#include "cloud_webhooks.h"
#include "outbound_actions.h"
#include "salescore/plugin_api.h"

namespace {

using namespace salescore::telephony;

const sc_host_api* g_host = nullptr;

const sc_config_option kConfig[] = {
    {"ami_enabled", SC_CONFIG_BOOL, "true", 0, 0, "keep an AMI session with Asterisk", nullptr},
    {"ami_host", SC_CONFIG_STRING, "127.0.0.1", 0, 0, "Asterisk's manager interface host", nullptr},
    {"ami_port", SC_CONFIG_INT, "5038", 0, 0, "Asterisk's manager interface port", nullptr},
    {"ami_user", SC_CONFIG_STRING, "", 0, 0, "the manager.conf user (read: call,cdr,agent,dialplan; "
                                             "write: originate; system for the event filter)", nullptr},
    {"ami_secret", SC_CONFIG_STRING, "", 0, 1, "its secret", nullptr},
    {"ami_events", SC_CONFIG_STRING, "call,cdr,agent,dialplan", 0, 0, "Login's event mask", nullptr},
    {"ami_filter", SC_CONFIG_BOOL, "true", 0, 0, "ask Asterisk to send only the events calls are built from", nullptr},
    {"ping_interval_s", SC_CONFIG_INT, "20", 0, 0, "AMI keepalive: a Ping this often; no answer means reconnect",
     nullptr},
    {"max_call_hours", SC_CONFIG_INT, "4", 0, 0, "a call with no hangup after this long is closed, and says so",
     nullptr},
    {"trunks", SC_CONFIG_STRING, "", 0, 0,
     "the operator's lines as channel endpoints, '*' wildcards: PJSIP/operator*, SIP/trunk-*", nullptr},
    {"inbound_contexts", SC_CONFIG_STRING, "", 0, 0,
     "fallback when no trunk matches: contexts outside calls come in through (from-trunk, from-pstn)", nullptr},
    {"outbound_contexts", SC_CONFIG_STRING, "", 0, 0,
     "fallback when no trunk matches: contexts that dial out (outbound-allroutes)", nullptr},
    {"extensions", SC_CONFIG_STRING, "", 0, 0, "extension:login pairs: 101:ivanov, 102:petrova", nullptr},
    {"internal_max_digits", SC_CONFIG_INT, "5", 0, 0, "a number this short is an internal extension", nullptr},
    {"originate_channel", SC_CONFIG_STRING, "PJSIP/{extension}", 0, 0,
     "click-to-call: the manager's phone, {extension} replaced", nullptr},
    {"originate_context", SC_CONFIG_STRING, "from-internal", 0, 0, "click-to-call: the context that dials out",
     nullptr},
    {"cdr_token", SC_CONFIG_STRING, "", 0, 1,
     "Bearer token of POST /telephony/cdr (CDR uploads; salescore telephony import-cdr uses it)", nullptr},
    {"cdr_utc_offset", SC_CONFIG_STRING, "+00:00", 0, 0, "UTC offset of the CDR's times (cdr_csv usegmtime: +00:00)",
     nullptr},
    {"zadarma_secret", SC_CONFIG_STRING, "", 0, 1,
     "Zadarma/Novofon API secret: signs the webhooks POSTed to /telephony/zadarma (unset: refused)", nullptr},
    {"mango_api_key", SC_CONFIG_STRING, "", 0, 1, "Mango Office vpbx_api_key (webhooks to /telephony/mango/events/...)",
     nullptr},
    {"mango_api_salt", SC_CONFIG_STRING, "", 0, 1, "Mango Office API salt (the sign's secret)", nullptr},
    {"webhook_window_s", SC_CONFIG_INT, "86400", 0, 0,
     "a webhook whose call started further than this from now is refused (a replay)", nullptr},
    {"dial_format", SC_CONFIG_STRING, "ru8", 0, 0,
     "click-to-call: how the number is dialled: e164 (+74951234567), digits (74951234567), ru8 (84951234567)",
     "e164|digits|ru8"},
    {"click_to_call", SC_CONFIG_STRING, "ami", 0, 0,
     "click-to-call through AMI Originate, Zadarma/Novofon request/callback or Mango commands/callback",
     "ami|zadarma|mango"},
    {"zadarma_key", SC_CONFIG_STRING, "", 0, 0, "Zadarma/Novofon API key (its secret is zadarma_secret)", nullptr},
    {"zadarma_api_url", SC_CONFIG_STRING, "https://api.zadarma.com", 0, 0,
     "Zadarma's API (Novofon: https://api.novofon.com)", nullptr},
    {"mango_api_url", SC_CONFIG_STRING, "https://app.mango-office.ru/vpbx", 0, 0, "Mango Office's API", nullptr},
    {"cloud_timeout_s", SC_CONFIG_INT, "10", 0, 0, "how long a cloud PBX's API may take to answer", nullptr},
    {"recordings_dir", SC_CONFIG_STRING, "", 0, 0,
     "where cloud-PBX recordings are downloaded to and named on the call (unset: not downloaded)", nullptr},
    {"cdr_dir", SC_CONFIG_STRING, "", 0, 0,
     "a directory of Master.csv files to poll (unset: none; salescore telephony import-cdr by hand)", nullptr},
    {"cdr_poll_s", SC_CONFIG_INT, "60", 0, 0, "how often cdr_dir is read", nullptr},
    {"cdr_settle_s", SC_CONFIG_INT, "60", 0, 0, "a CDR row is taken once its call ended this long ago", nullptr},
};

struct Instance {
  sc_host* host = nullptr;
  std::unique_ptr<AmiSession> ami;
  CdrImport cdr;
  CloudWebhooks cloud;
  OutboundActions outbound;
  bool ami_enabled = true;
  CdrPoll cdr_poll;
  std::int64_t cdr_poll_ms = 60'000;
  std::mutex stop_mutex;  // the session's wait between CDR polls, cut short by session_stop
  std::condition_variable stop_signal;
  bool stop_requested = false;
};

sc_status upload_cdr(void* self, const sc_http_request* request, sc_http_response* response);
sc_status cloud_zadarma(void* self, const sc_http_request* request, sc_http_response* response);
sc_status cloud_mango(void* self, const sc_http_request* request, sc_http_response* response);

std::string text(sc_host* h, const char* key) {
  const char* v = g_host->config_get(h, key);
  return v ? v : "";
}

sc_status create(sc_host* h, void** self) {
  auto instance = std::make_unique<Instance>();
  instance->host = h;
  PbxPlan plan;
  plan.trunks = split_list(text(h, "trunks"));
  plan.inbound_contexts = split_list(text(h, "inbound_contexts"));
  plan.outbound_contexts = split_list(text(h, "outbound_contexts"));
  plan.internal_max_digits = static_cast<std::size_t>(g_host->config_get_int(h, "internal_max_digits", 5));
  for (const auto& pair : split_list(text(h, "extensions"))) {
    const auto colon = pair.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == pair.size())
      return g_host->fail(h, SC_INVALID_ARGUMENT, ("extensions: '" + pair + "' is not extension:login").c_str());
    plan.logins[split_list(pair.substr(0, colon)).front()] = split_list(pair.substr(colon + 1)).front();
  }
  if (plan.trunks.empty() && plan.inbound_contexts.empty() && plan.outbound_contexts.empty())
    g_host->log(h, SC_LOG_WARN, "no trunks and no inbound/outbound contexts: every call looks internal");
  OutboundActions& out = instance->outbound;
  out.api = g_host;
  out.host = h;
  out.logins = plan.logins;
  out.originate_channel = text(h, "originate_channel");
  out.originate_context = text(h, "originate_context");
  out.dial_format = text(h, "dial_format");
  out.click_to_call = text(h, "click_to_call");
  out.cloud.zadarma_url = text(h, "zadarma_api_url");
  out.cloud.zadarma_key = text(h, "zadarma_key");
  out.cloud.zadarma_secret = text(h, "zadarma_secret");
  out.cloud.mango_url = text(h, "mango_api_url");
  out.cloud.mango_key = text(h, "mango_api_key");
  out.cloud.mango_salt = text(h, "mango_api_salt");
  out.cloud.timeout_ms = static_cast<int>(g_host->config_get_int(h, "cloud_timeout_s", 10) * 1000);
  out.recordings_dir = text(h, "recordings_dir");
  if (out.click_to_call == "zadarma" && (out.cloud.zadarma_key.empty() || out.cloud.zadarma_secret.empty()))
    return g_host->fail(h, SC_INVALID_ARGUMENT, "click_to_call = zadarma needs zadarma_key and zadarma_secret");
  if (out.click_to_call == "mango" && (out.cloud.mango_key.empty() || out.cloud.mango_salt.empty()))
    return g_host->fail(h, SC_INVALID_ARGUMENT, "click_to_call = mango needs mango_api_key and mango_api_salt");
  instance->cdr_poll.dir = text(h, "cdr_dir");
  instance->cdr_poll.settle_ms = g_host->config_get_int(h, "cdr_settle_s", 60) * 1000;
  instance->cdr_poll_ms = g_host->config_get_int(h, "cdr_poll_s", 60) * 1000;
  if (instance->cdr_poll_ms < 1000) return g_host->fail(h, SC_INVALID_ARGUMENT, "cdr_poll_s: at least 1");
  instance->ami_enabled = g_host->config_get_bool(h, "ami_enabled", 1) != 0;
  AmiSettings s;
  s.host = text(h, "ami_host");
  s.port = static_cast<int>(g_host->config_get_int(h, "ami_port", 5038));
  s.user = text(h, "ami_user");
  s.secret = text(h, "ami_secret");
  s.events = text(h, "ami_events");
  s.filter = g_host->config_get_bool(h, "ami_filter", 1) != 0;
  s.ping_interval_ms = static_cast<int>(g_host->config_get_int(h, "ping_interval_s", 20) * 1000);
  s.max_call_ms = g_host->config_get_int(h, "max_call_hours", 4) * 3600 * 1000;
  if (instance->ami_enabled && s.user.empty())
    return g_host->fail(h, SC_INVALID_ARGUMENT, "ami_user: required while ami_enabled is true");
  if (s.ping_interval_ms < 1000) return g_host->fail(h, SC_INVALID_ARGUMENT, "ping_interval_s: at least 1");
  if (s.port <= 0 || s.port > 65535) return g_host->fail(h, SC_INVALID_ARGUMENT, "ami_port: 1..65535");
  instance->cdr.api = g_host;
  instance->cdr.host = h;
  instance->cdr.plan = plan;
  instance->cdr.token = text(h, "cdr_token");
  if (!parse_utc_offset(text(h, "cdr_utc_offset"), instance->cdr.utc_offset_minutes))
    return g_host->fail(h, SC_INVALID_ARGUMENT, "cdr_utc_offset: not like +03:00");
  if (sc_status st = g_host->route_add(h, "POST", "/telephony/cdr", upload_cdr); st != SC_OK)
    return g_host->fail(h, st, "cannot serve /telephony/cdr: another connector has it");
  instance->cloud.api = g_host;
  instance->cloud.host = h;
  instance->cloud.plan = plan;
  instance->cloud.zadarma_secret = text(h, "zadarma_secret");
  instance->cloud.mango_key = text(h, "mango_api_key");
  instance->cloud.mango_salt = text(h, "mango_api_salt");
  instance->cloud.window_s = g_host->config_get_int(h, "webhook_window_s", 86400);
  instance->cloud.download_recordings = !out.recordings_dir.empty();
  struct Route {
    const char* method;
    const char* path;
    sc_route_handler handler;
  };
  const Route routes[] = {{"GET", "/telephony/zadarma", cloud_zadarma},
                          {"POST", "/telephony/zadarma", cloud_zadarma},
                          {"POST", "/telephony/mango/events/call", cloud_mango},
                          {"POST", "/telephony/mango/events/summary", cloud_mango},
                          {"POST", "/telephony/mango/events/recording", cloud_mango}};
  for (const Route& r : routes)
    if (sc_status st = g_host->route_add(h, r.method, r.path, r.handler); st != SC_OK)
      return g_host->fail(h, st, (std::string("cannot serve ") + r.path + ": another connector has it").c_str());
  instance->ami = std::make_unique<AmiSession>(g_host, h, s, plan);
  out.ami = instance->ami.get();
  *self = instance.release();
  return SC_OK;
}

sc_status upload_cdr(void* self, const sc_http_request* request, sc_http_response* response) {
  return static_cast<Instance*>(self)->cdr.handle(request, response);
}

sc_status cloud_zadarma(void* self, const sc_http_request* request, sc_http_response* response) {
  return static_cast<Instance*>(self)->cloud.zadarma(request, response);
}

sc_status cloud_mango(void* self, const sc_http_request* request, sc_http_response* response) {
  return static_cast<Instance*>(self)->cloud.mango(request, response);
}

void destroy(void* self) { delete static_cast<Instance*>(self); }

// The CDR directory's poll, every cdr_poll_ms until the session stops (on a thread of its
// own beside the AMI session, or the session's own thread without AMI).
sc_status poll_cdr_until_stopped(Instance* in) {
  std::unique_lock lock(in->stop_mutex);
  while (!in->stop_requested && !g_host->stopping(in->host)) {
    lock.unlock();
    const sc_status st = in->cdr_poll.poll_once(in->cdr);
    lock.lock();
    if (st != SC_OK && st != SC_UNAVAILABLE && st != SC_RESOURCE_EXHAUSTED) return st;
    in->stop_signal.wait_for(lock, std::chrono::milliseconds(in->cdr_poll_ms), [in] { return in->stop_requested; });
  }
  return SC_OK;
}

sc_status session_run(void* self) {
  auto* in = static_cast<Instance*>(self);
  {
    std::lock_guard lock(in->stop_mutex);
    in->stop_requested = false;
  }
  const bool polling = !in->cdr_poll.dir.empty();
  if (!in->ami_enabled) return polling ? poll_cdr_until_stopped(in) : SC_OK;
  std::thread poller;
  if (polling) poller = std::thread([in] { poll_cdr_until_stopped(in); });
  const sc_status st = in->ami->run();
  if (poller.joinable()) {
    {
      std::lock_guard lock(in->stop_mutex);
      in->stop_requested = true;
    }
    in->stop_signal.notify_all();
    poller.join();
  }
  return st;
}

void session_stop(void* self) {
  auto* in = static_cast<Instance*>(self);
  {
    std::lock_guard lock(in->stop_mutex);
    in->stop_requested = true;
  }
  in->stop_signal.notify_all();
  in->ami->stop();
}

sc_status deliver(void* self, const sc_outbound* item);

const sc_connector_v1 kConnector = {
    sizeof(sc_connector_v1),
    SC_ABI_MAJOR,
    SC_ABI_MINOR,
    "telephony",
    "1.0.0",
    "calls from Asterisk (AMI, CDR) and cloud PBXs on the client's timeline; click-to-call",
    SC_CAP_SESSION | SC_CAP_ROUTES | SC_CAP_DELIVER,
    kConfig,
    sizeof(kConfig) / sizeof(kConfig[0]),
    sizeof(sc_config_option),
    nullptr,
    0,
    create,
    destroy,
    nullptr,
    session_run,
    session_stop,
    deliver,
};

sc_status deliver(void* self, const sc_outbound* item) {
  return static_cast<Instance*>(self)->outbound.deliver(item);
}

}  // namespace

SC_EXPORT int salescore_connector_entry(const sc_host_api* host, sc_connector_v1* out) {
  g_host = host;
  return sc_connector_export(host, out, &kConnector);
}
