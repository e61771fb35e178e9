// salescore_connector_webhooks: salescore's events POSTed as JSON to the web services that
// subscribed to their types, signed with HMAC-SHA256 over "<timestamp>.<body>"
// (docs/webhooks.md). Deliveries come from the connector runtime's outbox, so a receiver
// that is down, slow or garbled gets retries with full-jitter backoff and, past retry_limit,
// a dead letter (`salescore deadletters list`); nothing is dropped silently.
#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/URI.h>

#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "salescore/plugin_api.h"
#include "delivery_deadline.h"
#include "host/webhook_signature.h"
#include "receiver_link.h"

namespace {

const sc_host_api* g_host = nullptr;

const sc_config_option kConfig[] = {
    {"url", SC_CONFIG_STRING, "", 0, 0,
     "where the events of `events` are POSTed (http:// or https://host[:port]/path)", nullptr},
    {"events", SC_CONFIG_STRING, "", 0, 0,
     "event types to send to `url`, by prefix, comma-separated (\"deal.lost, order.\"); empty: every event", nullptr},
    {"subscriptions", SC_CONFIG_STRING, "", 0, 0,
     "more receivers: \"<prefixes> > <url>\" separated by ';' (\"deal.lost > https://bot/hook; order. > "
     "http://wh/in\")",
     nullptr},
    {"secret", SC_CONFIG_STRING, nullptr, 1, 1, "the shared secret of the HMAC-SHA256 signature", nullptr},
    {"ca_file", SC_CONFIG_STRING, "", 0, 0,
     "https: a PEM file of certificate authorities trusted besides the system's (a private CA)", nullptr},
    {"timeout_ms", SC_CONFIG_INT, "10000", 0, 0, "how long one delivery may take", nullptr},
};

// The host reads the connector's table before the configuration: it declares every
// event, and create() narrows that to what the receivers want (subscribe, ABI 1.5).
const char* const kEverything[] = {"", nullptr};

using salescore::webhooks::ReceiverLink;

struct Webhooks {
  sc_host* host = nullptr;
  // deliver() runs on the host's scheduler thread, one item at a time (plugin_api.h),
  // so the receivers' kept connections need no lock.
  std::vector<ReceiverLink> subscriptions;
  std::string secret;
  Poco::Net::Context::Ptr tls;  // for the https receivers
  bool ssl_initialized = false;
  int timeout_ms = 10000;
  salescore::webhooks::DeadlineWatch watch;  // every delivery's deadline, one thread
  // Receivers that already took an event whose delivery to another one failed: the retry
  // goes only to those still missing it (while salescore runs; after a restart a retry
  // may repeat one, which the Idempotency-Key header lets the receiver ignore).
  std::mutex mutex;
  std::map<std::string, std::vector<bool>> delivered;
};

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<std::string> split(const std::string& list, char by) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(list);
  while (std::getline(in, item, by))
    if (auto t = trim(item); !t.empty()) out.push_back(t);
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

// A receiver's URL, or the reason it is not one we can POST to.
std::string parse_url(const std::string& text, Poco::URI& url) {
  try {
    url = Poco::URI(text);
  } catch (const Poco::Exception& e) {
    return "'" + text + "': " + e.displayText();
  }
  if ((url.getScheme() != "http" && url.getScheme() != "https") || url.getHost().empty())
    return "'" + text + "': expected http:// or https://host[:port]/path";
  return "";
}

// The table subscribes to every event, as the receivers are not known before the
// configuration is read. Narrowed here to the types some receiver wants (ABI 1.5), the
// others never become outbox items: with `events = deal.lost`, a day of order and
// client changes would otherwise each take an outbox row for deliver() to skip.
// deliver() still picks each receiver's own. A host before 1.5 queues every event.
sc_status receive_only_what_receivers_want(sc_host* h, const std::vector<ReceiverLink>& receivers) {
  if (!SC_HAS_FIELD(g_host, sc_host_api, subscribe) || !g_host->subscribe) return SC_OK;
  std::vector<const char*> wanted;
  for (const auto& receiver : receivers) {
    if (receiver.events().empty()) return SC_OK;  // a receiver of every event
    for (const auto& prefix : receiver.events()) wanted.push_back(prefix.c_str());
  }
  wanted.push_back(nullptr);
  return g_host->subscribe(h, wanted.data());
}

sc_status create(sc_host* h, void** self) {
  auto w = std::make_unique<Webhooks>();
  w->host = h;
  const char* url = g_host->config_get(h, "url");
  const char* events = g_host->config_get(h, "events");
  if (url && *url) {
    Poco::URI parsed;
    if (auto why = parse_url(url, parsed); !why.empty()) return g_host->fail(h, SC_INVALID_ARGUMENT, ("url: " + why).c_str());
    w->subscriptions.emplace_back(split(events ? events : "", ','), std::move(parsed));
  } else if (events && *events) {
    return g_host->fail(h, SC_INVALID_ARGUMENT, "events: given without url (or use subscriptions)");
  }
  const char* more = g_host->config_get(h, "subscriptions");
  for (const auto& entry : split(more ? more : "", ';')) {
    const auto arrow = entry.rfind('>');
    if (arrow == std::string::npos)
      return g_host->fail(h, SC_INVALID_ARGUMENT,
                          ("subscriptions: '" + entry + "' is not \"<event prefixes> > <url>\"").c_str());
    Poco::URI parsed;
    if (auto why = parse_url(trim(entry.substr(arrow + 1)), parsed); !why.empty())
      return g_host->fail(h, SC_INVALID_ARGUMENT, ("subscriptions: " + why).c_str());
    w->subscriptions.emplace_back(split(entry.substr(0, arrow), ','), std::move(parsed));
  }
  if (w->subscriptions.empty())
    return g_host->fail(h, SC_INVALID_ARGUMENT, "url: required (or subscriptions): where to POST the events");
  if (sc_status st = receive_only_what_receivers_want(h, w->subscriptions); st != SC_OK) return st;
  const char* secret = g_host->config_get(h, "secret");
  w->secret = secret ? secret : "";
  if (w->secret.size() < 16) return g_host->fail(h, SC_INVALID_ARGUMENT, "secret: at least 16 characters");
  const char* ca_file = g_host->config_get(h, "ca_file");
  Poco::Net::initializeSSL();
  w->ssl_initialized = true;
  try {
    // The receiver's certificate is checked against the system's authorities (and
    // ca_file's) and its name: an event never goes to whoever answers on that address.
    w->tls = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", ca_file ? ca_file : "",
                                    Poco::Net::Context::VERIFY_RELAXED, 9, /*loadDefaultCAs=*/true);
    // Without a handler of its own, Poco would ask its application configuration what
    // to do with a certificate that fails; here it is refused, never accepted.
    static std::once_flag handler;
    std::call_once(handler, [&] {
      Poco::Net::SSLManager::instance().initializeClient(
          nullptr, new Poco::Net::RejectCertificateHandler(/*handleErrorsOnServerSide=*/false), w->tls);
    });
  } catch (const Poco::Exception& e) {
    return g_host->fail(h, SC_INVALID_ARGUMENT, ("ca_file: " + e.displayText()).c_str());
  }
  w->timeout_ms = static_cast<int>(g_host->config_get_int(h, "timeout_ms", 10000));
  *self = w.release();
  return SC_OK;
}

void destroy(void* self) {
  auto* w = static_cast<Webhooks*>(self);
  const bool ssl = w->ssl_initialized;
  delete w;
  if (ssl) Poco::Net::uninitializeSSL();
}

sc_status deliver(void* self, const sc_outbound* item) {
  auto* w = static_cast<Webhooks*>(self);
  const std::string body(item->payload, item->payload_size);
  const std::string type = std::string(item->kind) == "event" ? event_type(body) : std::string(item->kind);
  const std::string key = item->idempotency_key ? item->idempotency_key : "";
  std::vector<bool> done;
  {
    std::lock_guard lock(w->mutex);
    if (auto it = w->delivered.find(key); it != w->delivered.end()) done = it->second;
  }
  done.resize(w->subscriptions.size(), false);
  sc_status result = SC_OK;
  std::string why;
  salescore::webhooks::SignedEvent event;
  for (std::size_t i = 0; i < w->subscriptions.size(); ++i) {
    ReceiverLink& sub = w->subscriptions[i];
    if (done[i] || !sub.wants(type)) continue;  // taken already, or not its types
    if (!event.body) {  // signed once, for every receiver
      event.type = type;
      event.body = &body;
      event.stamp = std::to_string(g_host->now_ms(w->host) / 1000);
      event.signature = "sha256=" + salescore::plugins::hmac_sha256_hex(w->secret, event.stamp + "." + body);
      event.idempotency_key = key;
    }
    salescore::webhooks::Attempt attempt = sub.post(event, w->tls, w->timeout_ms, w->watch);
    if (attempt.status == SC_OK) {
      done[i] = true;
      continue;
    }
    why += (why.empty() ? "" : "; ") + attempt.why;
    // While one receiver may still come back, the event stays for a retry (which skips
    // those that took it); only when every failure is final is it a dead letter.
    if (result != SC_UNAVAILABLE) result = attempt.status;
  }
  {
    std::lock_guard lock(w->mutex);
    if (result == SC_UNAVAILABLE)
      w->delivered[key] = done;
    else
      w->delivered.erase(key);  // sent everywhere, or a dead letter (a replay sends it again)
  }
  return result == SC_OK ? SC_OK : g_host->fail(w->host, result, why.c_str());
}

const sc_connector_v1 kConnector = {
    .struct_size = sizeof(sc_connector_v1),
    .abi_major = SC_ABI_MAJOR,
    .abi_minor = SC_ABI_MINOR,
    .name = "webhooks",
    .version = "1.2.0",
    .description = "salescore's events POSTed to subscribed URLs (http, https), signed with HMAC-SHA256, retried, "
                   "dead-lettered",
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
