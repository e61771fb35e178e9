// salescore_connector_telephony: calls from Asterisk (a persistent AMI session, CDR files)
// and cloud PBXs (webhooks) on the client's timeline, and click-to-call. See
// docs/connectors/telephony.md.
#include <Poco/JSON/Parser.h>

#include <memory>
#include <string>

#include "ami_session.h"
#include "cdr_import.h"
#include "cloud_webhooks.h"
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
};

struct Instance {
  sc_host* host = nullptr;
  std::unique_ptr<AmiSession> ami;
  CdrImport cdr;
  CloudWebhooks cloud;
  bool ami_enabled = true;
  std::string originate_channel, originate_context, dial_format;
  std::map<std::string, std::string> logins;
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
  instance->logins = plan.logins;
  instance->originate_channel = text(h, "originate_channel");
  instance->originate_context = text(h, "originate_context");
  instance->dial_format = text(h, "dial_format");
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

sc_status session_run(void* self) {
  auto* in = static_cast<Instance*>(self);
  if (!in->ami_enabled) return SC_OK;
  return in->ami->run();
}

void session_stop(void* self) { static_cast<Instance*>(self)->ami->stop(); }

// "+74951234567" as the PBX's outbound route wants it dialled.
std::string dialled(const std::string& phone, const std::string& format) {
  std::string digits;
  for (char c : phone)
    if (c >= '0' && c <= '9') digits += c;
  if (format == "e164") return "+" + digits;
  if (format == "ru8" && digits.size() == 11 && digits[0] == '7') return "8" + digits.substr(1);
  return digits;
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
  auto* in = static_cast<Instance*>(self);
  if (std::string_view(item->kind) != "call") return SC_OK;  // nothing else is queued for telephony
  Originate call;
  try {
    Poco::JSON::Parser parser;
    auto o = parser.parse(std::string(item->payload, item->payload_size)).extract<Poco::JSON::Object::Ptr>();
    call.extension = o->optValue<std::string>("extension", "");
    call.phone = o->optValue<std::string>("phone", "");
    // salescore's dial() names the manager by login: their extension is in `extensions`.
    const std::string login = o->optValue<std::string>("login", "");
    for (const auto& [extension, who] : in->logins)
      if (call.extension.empty() && !login.empty() && who == login) call.extension = extension;
    if (call.extension.empty() && !login.empty())
      return g_host->fail(in->host, SC_INVALID_ARGUMENT,
                          ("click-to-call: " + login + " has no extension in [connector.telephony] extensions").c_str());
  } catch (const std::exception& e) {
    return g_host->fail(in->host, SC_INVALID_ARGUMENT, (std::string("call action: ") + e.what()).c_str());
  }
  if (call.extension.empty() || call.phone.empty())
    return g_host->fail(in->host, SC_INVALID_ARGUMENT, "call action: needs an extension and a phone");
  call.action_id = "c2c-" + std::string(item->idempotency_key ? item->idempotency_key : std::to_string(item->id));
  call.channel = in->originate_channel;
  if (auto at = call.channel.find("{extension}"); at != std::string::npos) call.channel.replace(at, 11, call.extension);
  call.context = in->originate_context;
  call.exten = dialled(call.phone, in->dial_format);
  call.caller_id = call.extension;
  std::string why;
  const sc_status st = in->ami->originate(call, why);
  return st == SC_OK ? SC_OK : g_host->fail(in->host, st, ("click-to-call: " + why).c_str());
}

}  // namespace

SC_EXPORT int salescore_connector_entry(const sc_host_api* host, sc_connector_v1* out) {
  g_host = host;
  return sc_connector_export(host, out, &kConnector);
}
