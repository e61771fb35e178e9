// salescore_connector_webhooks: salescore's events POSTed as JSON to the web services that
// subscribed to their types, signed with HMAC-SHA256 over "<timestamp>.<body>"
// (docs/webhooks.md). Deliveries come from the connector runtime's outbox, so a receiver
// that is down, slow or garbled gets retries with full-jitter backoff and, past retry_limit,
// a dead letter (`salescore deadletters list`); nothing is dropped silently.
#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/URI.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "salescore/plugin_api.h"
#include "delivery_deadline.h"
#include "host/webhook_signature.h"

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

// The host queues events by the subscriptions of the connector's table, which is read
// before the configuration: subscribe to everything and let deliver() skip the rest.
// What is read of a reply's body: the status says it all, and the session is not reused.
constexpr std::streamsize kReplyBodyRead = 64 * 1024;

const char* const kEverything[] = {"", nullptr};

// One receiver and the event types it subscribed to.
struct Subscription {
  std::vector<std::string> events;  // prefixes; empty: every event
  Poco::URI url;
};

struct Webhooks {
  sc_host* host = nullptr;
  std::vector<Subscription> subscriptions;
  std::string secret;
  Poco::Net::Context::Ptr tls;  // for the https receivers
  bool ssl_initialized = false;
  int timeout_ms = 10000;
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

bool wanted(const Subscription& s, const std::string& type) {
  if (s.events.empty()) return true;
  for (const auto& p : s.events)
    if (type.compare(0, p.size(), p) == 0) return true;
  return false;
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

sc_status create(sc_host* h, void** self) {
  auto w = std::make_unique<Webhooks>();
  w->host = h;
  const char* url = g_host->config_get(h, "url");
  const char* events = g_host->config_get(h, "events");
  if (url && *url) {
    Subscription sub;
    if (auto why = parse_url(url, sub.url); !why.empty()) return g_host->fail(h, SC_INVALID_ARGUMENT, ("url: " + why).c_str());
    sub.events = split(events ? events : "", ',');
    w->subscriptions.push_back(std::move(sub));
  } else if (events && *events) {
    return g_host->fail(h, SC_INVALID_ARGUMENT, "events: given without url (or use subscriptions)");
  }
  const char* more = g_host->config_get(h, "subscriptions");
  for (const auto& entry : split(more ? more : "", ';')) {
    const auto arrow = entry.rfind('>');
    if (arrow == std::string::npos)
      return g_host->fail(h, SC_INVALID_ARGUMENT,
                          ("subscriptions: '" + entry + "' is not \"<event prefixes> > <url>\"").c_str());
    Subscription sub;
    if (auto why = parse_url(trim(entry.substr(arrow + 1)), sub.url); !why.empty())
      return g_host->fail(h, SC_INVALID_ARGUMENT, ("subscriptions: " + why).c_str());
    sub.events = split(entry.substr(0, arrow), ',');
    w->subscriptions.push_back(std::move(sub));
  }
  if (w->subscriptions.empty())
    return g_host->fail(h, SC_INVALID_ARGUMENT, "url: required (or subscriptions): where to POST the events");
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

struct Attempt {
  sc_status status = SC_OK;
  std::string why;  // when it failed
};

// POSTs one event to one receiver.
Attempt post(Webhooks& w, const Subscription& sub, const std::string& type, const std::string& body,
             const std::string& idempotency_key) {
  const std::int64_t now_s = g_host->now_ms(w.host) / 1000;
  const auto due = std::chrono::steady_clock::now() + std::chrono::milliseconds(w.timeout_ms);
  std::atomic<bool> timed_out{false};
  try {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (sub.url.getScheme() == "https")
      session = std::make_unique<Poco::Net::HTTPSClientSession>(sub.url.getHost(), sub.url.getPort(), w.tls);
    else
      session = std::make_unique<Poco::Net::HTTPClientSession>(sub.url.getHost(), sub.url.getPort());
    session->setTimeout(Poco::Timespan(static_cast<long>(w.timeout_ms / 1000), (w.timeout_ms % 1000) * 1000));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST,
                                   sub.url.getPathAndQuery().empty() ? "/" : sub.url.getPathAndQuery(),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json; charset=utf-8");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    request.set("X-Salescore-Event", type);
    const std::string stamp = std::to_string(now_s);
    request.set("X-Salescore-Timestamp", stamp);
    request.set("X-Salescore-Signature",
                "sha256=" + salescore::plugins::hmac_sha256_hex(w.secret, stamp + "." + body));
    request.set("Idempotency-Key", idempotency_key);
    session->sendRequest(request) << body;
    // The rest of timeout_ms for the reply, however slowly it comes (delivery_deadline.h).
    salescore::webhooks::DeliveryDeadline deadline(session->socket().impl()->sockfd(), due, timed_out);
    Poco::Net::HTTPResponse response;
    std::istream& in = session->receiveResponse(response);
    in.ignore(kReplyBodyRead);  // the session is not reused: no need to read the whole body
    if (timed_out) throw Poco::TimeoutException("the reply's body did not end");
    const int status = response.getStatus();
    if (status >= 200 && status < 300) return {};
    // The receiver's trouble passes (busy, down, rate-limited); a refusal of the request
    // itself does not, and becomes a dead letter to look at.
    const bool retry = status >= 500 || status == 408 || status == 429;
    return {retry ? SC_UNAVAILABLE : SC_FAILED_PRECONDITION,
            sub.url.toString() + " answered " + std::to_string(status) + " " + response.getReason()};
  } catch (const Poco::Exception& e) {  // down, refused, garbage, cut off, too slow
    // A certificate that does not check out will not start to: a dead letter at once
    // (not when the deadline cut the TLS stream: that is a timeout like any other).
    if (dynamic_cast<const Poco::Net::SSLException*>(&e) && !timed_out)
      return {SC_FAILED_PRECONDITION, sub.url.toString() + ": TLS: " + e.displayText()};
    return {SC_UNAVAILABLE, sub.url.toString() + ": " +
                                (timed_out ? "no complete reply within " + std::to_string(w.timeout_ms) + " ms: " : "") +
                                e.displayText()};
  }
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
  for (std::size_t i = 0; i < w->subscriptions.size(); ++i) {
    const Subscription& sub = w->subscriptions[i];
    if (done[i] || !wanted(sub, type)) continue;  // taken already, or not its types
    Attempt attempt = post(*w, sub, type, body, key);
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
    .version = "1.1.0",
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
