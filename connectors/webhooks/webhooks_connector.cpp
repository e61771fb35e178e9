// salescore_connector_webhooks: every event of the types configured, POSTed as JSON to
// one URL, signed with HMAC-SHA256 over "<timestamp>.<body>" (docs/webhooks.md).
// Deliveries come from the connector runtime's outbox, so a receiver that is down gets retries with full-jitter
// backoff and, past retry_limit, a dead letter (`salescore deadletters list`); nothing
// is dropped silently.
//
//   [connector.webhooks]
//   url = http://crm-bot.local:8088/salescore      ; http only (TLS: put a proxy in front)
//   secret = a-long-random-string
//   events = deal.lost, order.created              ; prefixes; empty: every event
#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>

#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "salescore/plugin_api.h"
#include "host/webhook_signature.h"

namespace {

const sc_host_api* g_host = nullptr;

const sc_config_option kConfig[] = {
    {"url", SC_CONFIG_STRING, nullptr, 1, 0, "where the events are POSTed (http://host:port/path)", nullptr},
    {"secret", SC_CONFIG_STRING, nullptr, 1, 1, "the shared secret of the HMAC-SHA256 signature", nullptr},
    {"events", SC_CONFIG_STRING, "", 0, 0,
     "event types to send, by prefix, comma-separated (\"deal.lost, order.\"); empty: every event", nullptr},
    {"timeout_ms", SC_CONFIG_INT, "10000", 0, 0, "how long one delivery may take", nullptr},
};

// The host queues events by the subscriptions of the connector's table, which is read
// before the configuration: subscribe to everything and let deliver() skip the rest.
const char* const kEverything[] = {"", nullptr};

struct Webhooks {
  sc_host* host = nullptr;
  Poco::URI url;
  std::string secret;
  std::vector<std::string> events;
  int timeout_ms = 10000;
};

std::vector<std::string> prefixes(const std::string& list) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(list);
  while (std::getline(in, item, ',')) {
    const auto b = item.find_first_not_of(' '), e = item.find_last_not_of(' ');
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

// The event type out of the outbox payload {"seq":..,"type":"deal.lost",...}.
std::string event_type(const std::string& payload) {
  const std::string key = "\"type\":\"";
  auto at = payload.find(key);
  if (at == std::string::npos) return "";
  at += key.size();
  return payload.substr(at, payload.find('"', at) - at);
}

bool wanted(const Webhooks& w, const std::string& type) {
  if (w.events.empty()) return true;
  for (const auto& p : w.events)
    if (type.compare(0, p.size(), p) == 0) return true;
  return false;
}

sc_status create(sc_host* h, void** self) {
  auto w = std::make_unique<Webhooks>();
  w->host = h;
  const char* url = g_host->config_get(h, "url");
  try {
    w->url = Poco::URI(url ? url : "");
  } catch (const Poco::Exception& e) {
    return g_host->fail(h, SC_INVALID_ARGUMENT, ("url: " + e.displayText()).c_str());
  }
  if (w->url.getScheme() != "http" || w->url.getHost().empty())
    return g_host->fail(h, SC_INVALID_ARGUMENT, "url: expected http://host[:port]/path (for https, a TLS proxy)");
  const char* secret = g_host->config_get(h, "secret");
  w->secret = secret ? secret : "";
  if (w->secret.size() < 16) return g_host->fail(h, SC_INVALID_ARGUMENT, "secret: at least 16 characters");
  const char* events = g_host->config_get(h, "events");
  w->events = prefixes(events ? events : "");
  w->timeout_ms = static_cast<int>(g_host->config_get_int(h, "timeout_ms", 10000));
  *self = w.release();
  return SC_OK;
}

void destroy(void* self) { delete static_cast<Webhooks*>(self); }

sc_status deliver(void* self, const sc_outbound* item) {
  auto* w = static_cast<Webhooks*>(self);
  const std::string body(item->payload, item->payload_size);
  const std::string type = std::string(item->kind) == "event" ? event_type(body) : std::string(item->kind);
  if (!wanted(*w, type)) return SC_OK;  // not one of the configured types: nothing to send
  const std::int64_t now_s = g_host->now_ms(w->host) / 1000;
  try {
    Poco::Net::HTTPClientSession session(w->url.getHost(), w->url.getPort());
    session.setTimeout(Poco::Timespan(static_cast<long>(w->timeout_ms / 1000), (w->timeout_ms % 1000) * 1000));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, w->url.getPathAndQuery().empty()
                                                                          ? "/"
                                                                          : w->url.getPathAndQuery(),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json; charset=utf-8");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    request.set("X-Salescore-Event", type);
    const std::string stamp = std::to_string(now_s);
    request.set("X-Salescore-Timestamp", stamp);
    request.set("X-Salescore-Signature",
                "sha256=" + salescore::plugins::hmac_sha256_hex(w->secret, stamp + "." + body));
    request.set("Idempotency-Key", item->idempotency_key ? item->idempotency_key : "");
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    in.ignore(std::numeric_limits<std::streamsize>::max());
    const int status = response.getStatus();
    if (status >= 200 && status < 300) return SC_OK;
    const std::string why = w->url.toString() + " answered " + std::to_string(status) + " " + response.getReason();
    // The receiver's trouble passes (busy, down, rate-limited); a refusal of the request
    // itself does not, and becomes a dead letter to look at.
    const bool retry = status >= 500 || status == 408 || status == 429;
    return g_host->fail(w->host, retry ? SC_UNAVAILABLE : SC_FAILED_PRECONDITION, why.c_str());
  } catch (const Poco::Exception& e) {
    return g_host->fail(w->host, SC_UNAVAILABLE, (w->url.toString() + ": " + e.displayText()).c_str());
  }
}

const sc_connector_v1 kConnector = {
    .struct_size = sizeof(sc_connector_v1),
    .abi_major = SC_ABI_MAJOR,
    .abi_minor = SC_ABI_MINOR,
    .name = "webhooks",
    .version = "1.0.0",
    .description = "salescore's events POSTed to a URL, signed with HMAC-SHA256, retried, dead-lettered",
    .capabilities = SC_CAP_DELIVER,
    .config = kConfig,
    .config_count = sizeof(kConfig) / sizeof(kConfig[0]),
    .config_option_size = sizeof(sc_config_option),
    .subscriptions = kEverything,
    .poll_interval_ms = 0,
    .create = create,
    .destroy = destroy,
    .poll = nullptr,
    .session_run = nullptr,
    .session_stop = nullptr,
    .deliver = deliver,
};

}  // namespace

extern "C" SC_EXPORT int salescore_connector_entry(const sc_host_api* host, sc_connector_v1* out) {
  g_host = host;
  return sc_connector_export(host, out, &kConnector);
}
