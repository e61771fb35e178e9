#include "cloud_webhooks.h"

#include <Poco/Base64Encoder.h>
#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA1Engine.h>
#include <Poco/SHA2Engine.h>
#include <Poco/URI.h>

#include <ctime>
#include <stdexcept>
#include <sstream>

#include "call.h"
#include "call_record.h"

namespace salescore::telephony {

std::map<std::string, std::string> form_fields(std::string_view body) {
  std::map<std::string, std::string> out;
  while (!body.empty()) {
    const std::size_t amp = body.find('&');
    std::string pair(body.substr(0, amp));
    body.remove_prefix(amp == std::string_view::npos ? body.size() : amp + 1);
    for (char& c : pair)
      if (c == '+') c = ' ';
    const std::size_t eq = pair.find('=');
    std::string name, value;
    try {
      Poco::URI::decode(pair.substr(0, eq), name);
      if (eq != std::string::npos) Poco::URI::decode(pair.substr(eq + 1), value);
    } catch (const std::exception&) {
      continue;  // a broken %-escape: the field is left out, and its check fails by name
    }
    if (!name.empty()) out[name] = value;
  }
  return out;
}

bool same_secret(const std::string& given, const std::string& expected) {
  if (expected.empty()) return false;
  unsigned char diff = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < expected.size(); ++i)
    diff |= static_cast<unsigned char>((i < given.size() ? given[i] : 0) ^ expected[i]);
  return diff == 0;
}

std::string zadarma_signature(const std::string& text, const std::string& secret) {
  Poco::HMACEngine<Poco::SHA1Engine> hmac(secret);
  hmac.update(text);
  const std::string hex = Poco::DigestEngine::digestToHex(hmac.digest());
  std::ostringstream out;
  Poco::Base64Encoder b64(out);
  b64.rdbuf()->setLineLength(0);
  b64 << hex;
  b64.close();
  return out.str();
}

std::string mango_sign(const std::string& key, const std::string& json, const std::string& salt) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(key + json + salt);
  return Poco::DigestEngine::digestToHex(sha.digest());
}

namespace {

std::string field(const std::map<std::string, std::string>& f, const char* name) {
  auto it = f.find(name);
  return it == f.end() ? "" : it->second;
}

// Zadarma's "2026-12-07 01:31:17" (UTC) -> ms; 0 when it is no time.
std::int64_t zadarma_time(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%d %H:%M:%S", &tm);
  return end && !*end ? static_cast<std::int64_t>(timegm(&tm)) * 1000 : 0;
}

std::string zadarma_disposition(const std::string& d) {
  if (d == "answered") return "answered";
  if (d == "busy") return "busy";
  if (d == "failed" || d == "no money" || d == "unallocated number" || d == "line limit") return "failed";
  return "no answer";  // "no answer", "cancel", and what Zadarma may add
}

}  // namespace

sc_status CloudWebhooks::ok(sc_http_response* response, const std::string& body) const {
  api->response_status(response, 200);
  api->response_header(response, "Content-Type", "text/plain");
  api->response_write(response, body.data(), body.size());
  return SC_OK;
}

sc_status CloudWebhooks::record(const Call& call, sc_http_response* response) const {
  const std::int64_t now = api->now_ms(host);
  if (call.started_ms == 0 || call.started_ms < now - window_s * 1000 || call.started_ms > now + window_s * 1000)
    return api->fail(host, SC_UNAUTHENTICATED, "call time outside the replay window");
  CallRecord r = call_record(call, plan.logins, plan.internal_max_digits);
  if (!r.skip) {
    const sc_status st = emit_call_record(api, host, r.external_id, r.json, r.idempotency_key);
    if (st == SC_RESOURCE_EXHAUSTED || st == SC_UNAVAILABLE) return st;  // a 503: the PBX retries
  }
  return ok(response, "OK");
}

// {"pbx", "id", "call"}: what deliver() needs to fetch the file and name the call it is of.
sc_status CloudWebhooks::queue_download(const std::string& pbx, const std::string& id,
                                        const std::string& call_key) const {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("pbx", pbx);
  o.set("id", id);
  o.set("call", call_key);
  std::ostringstream text;
  o.stringify(text);
  const std::string payload = text.str();
  const std::string key = "recording:" + pbx + ":" + id;  // a retried webhook queues it once
  return api->enqueue_outbound(host, "recording", payload.data(), payload.size(), key.c_str());
}

sc_status CloudWebhooks::zadarma(const sc_http_request* request, sc_http_response* response) const {
  const std::string query = request->query ? request->query : "";
  if (std::string_view(request->method) == "GET") {
    // The URL check when the webhook is set up: echo zd_echo back.
    const std::string echo = field(form_fields(query), "zd_echo");
    if (echo.empty()) return api->fail(host, SC_INVALID_ARGUMENT, "zd_echo missing");
    return ok(response, echo);
  }
  const auto f = form_fields(std::string_view(reinterpret_cast<const char*>(request->body), request->body_size));
  const std::string event = field(f, "event");
  std::string signed_text;
  if (event == "NOTIFY_START" || event == "NOTIFY_INTERNAL" || event == "NOTIFY_END")
    signed_text = field(f, "caller_id") + field(f, "called_did") + field(f, "call_start");
  else if (event == "NOTIFY_ANSWER")
    signed_text = field(f, "caller_id") + field(f, "destination") + field(f, "call_start");
  else if (event == "NOTIFY_OUT_START" || event == "NOTIFY_OUT_END")
    signed_text = field(f, "internal") + field(f, "destination") + field(f, "call_start");
  else if (event == "NOTIFY_RECORD")
    signed_text = field(f, "pbx_call_id") + field(f, "call_id_with_rec");
  else
    return api->fail(host, SC_INVALID_ARGUMENT, ("unknown Zadarma event '" + event + "'").c_str());
  const char* given = api->request_header(request, "Signature");
  if (!given || !same_secret(given, zadarma_signature(signed_text, zadarma_secret)))
    return api->fail(host, SC_UNAUTHENTICATED, "Zadarma signature missing or wrong");
  if (event == "NOTIFY_RECORD" && download_recordings) {
    // The recording is ready (Zadarma: fetch it about 40 s after this notification; the
    // download's retries with backoff cover that).
    const std::string id = field(f, "call_id_with_rec"), call = field(f, "pbx_call_id");
    if (id.empty() || call.empty()) return api->fail(host, SC_INVALID_ARGUMENT, "NOTIFY_RECORD without call_id_with_rec or pbx_call_id");
    if (sc_status st = queue_download("zadarma", id, "zadarma:" + call); st != SC_OK) return st;
  }
  if (event != "NOTIFY_END" && event != "NOTIFY_OUT_END") return ok(response, "OK");  // the end says it all
  Call call;
  const bool in = event == "NOTIFY_END";
  const std::string id = field(f, "pbx_call_id");
  if (id.empty()) return api->fail(host, SC_INVALID_ARGUMENT, "pbx_call_id missing");
  call.key = "zadarma:" + id;
  call.direction = in ? "inbound" : "outbound";
  call.customer = in ? field(f, "caller_id") : field(f, "destination");
  call.manager = field(f, "internal");
  call.caller = in ? call.customer : call.manager;
  call.callee = in ? field(f, "called_did") : call.customer;
  call.started_ms = zadarma_time(field(f, "call_start"));
  call.disposition = zadarma_disposition(field(f, "disposition"));
  const std::string duration_text = field(f, "duration");
  if (duration_text.size() > 6 || duration_text.find_first_not_of("0123456789") != std::string::npos)
    return api->fail(host, SC_INVALID_ARGUMENT, ("duration '" + duration_text + "' is no number of seconds").c_str());
  const std::int64_t duration = std::atoll(duration_text.c_str());
  call.ended_ms = call.started_ms + duration * 1000;
  if (call.disposition == "answered") call.answered_ms = call.ended_ms - duration * 1000;
  else call.manager = in ? "" : call.manager;
  if (field(f, "is_recorded") == "1") call.recording = "zadarma:" + field(f, "call_id_with_rec");
  call.hangup_cause = field(f, "status_code");
  return record(call, response);
}

// events/recording: {"recording_id", "recording_state", "entry_id", ...}; a completed
// recording of a call is queued for download when recordings are kept.
sc_status CloudWebhooks::mango_recording(const std::string& json, sc_http_response* response) const {
  if (!download_recordings) return ok(response, "");
  std::string id, entry, state;
  try {
    auto o = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
    if (!o) throw std::invalid_argument("not an object");
    id = o->optValue<std::string>("recording_id", "");
    entry = o->optValue<std::string>("entry_id", "");
    state = o->optValue<std::string>("recording_state", "Completed");
  } catch (const std::exception& e) {  // not JSON, or a field of another type than Mango documents
    return api->fail(host, SC_INVALID_ARGUMENT, (std::string("Mango recording: ") + e.what()).c_str());
  }
  if (state != "Completed") return ok(response, "");  // "Started": the file is not there yet
  if (id.empty() || entry.empty()) return api->fail(host, SC_INVALID_ARGUMENT, "Mango recording without recording_id or entry_id");
  if (sc_status st = queue_download("mango", id, "mango:" + entry); st != SC_OK) return st;
  return ok(response, "");
}

sc_status CloudWebhooks::mango(const sc_http_request* request, sc_http_response* response) const {
  const auto f = form_fields(std::string_view(reinterpret_cast<const char*>(request->body), request->body_size));
  const std::string json = field(f, "json");
  if (!same_secret(field(f, "vpbx_api_key"), mango_key) ||
      !same_secret(field(f, "sign"), mango_sign(mango_key, json, mango_salt)))
    return api->fail(host, SC_UNAUTHENTICATED, "Mango key or sign missing or wrong");
  if (std::string_view(request->path).ends_with("/recording")) return mango_recording(json, response);
  if (std::string_view(request->path).find("/summary") == std::string_view::npos) return ok(response, "");
  // events/summary: the whole call (entry) once it ended; events/call legs need not be
  // ordered by seq for it.
  Poco::JSON::Object::Ptr o;
  try {
    o = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception& e) {
    return api->fail(host, SC_INVALID_ARGUMENT, (std::string("Mango json: ") + e.what()).c_str());
  }
  Call call;
  try {
    auto part = [&](const char* side, const char* key) {
      auto s = o->getObject(side);
      return s && s->has(key) ? s->getValue<std::string>(key) : std::string();
    };
    auto seconds = [&](const char* key) -> std::int64_t {
      const std::int64_t v = o->has(key) ? o->getValue<std::int64_t>(key) : 0;
      if (v < 0 || v > 100'000'000'000) throw std::out_of_range(std::string(key) + " is no time in seconds");
      return v;
    };
    const std::string entry = o->optValue<std::string>("entry_id", "");
    if (entry.empty()) return api->fail(host, SC_INVALID_ARGUMENT, "Mango summary without entry_id");
    const int direction = o->optValue<int>("call_direction", 0);
    call.key = "mango:" + entry;
    call.direction = direction == 1 ? "inbound" : direction == 2 ? "outbound" : "internal";
    call.customer = direction == 1 ? part("from", "number") : part("to", "number");
    call.manager = direction == 1 ? part("to", "extension") : part("from", "extension");
    call.caller = direction == 1 ? call.customer : call.manager;
    call.callee = direction == 1 ? part("to", "number") : call.customer;
    call.started_ms = seconds("create_time") * 1000;
    call.answered_ms = seconds("talk_time") * 1000;
    call.ended_ms = seconds("end_time") * 1000;
    call.disposition = call.answered_ms ? "answered" : "no answer";
    if (!call.answered_ms && direction == 1) call.manager.clear();
    call.hangup_cause = std::to_string(seconds("disconnect_reason"));
  } catch (const std::exception& e) {  // a field of another type than Mango documents
    return api->fail(host, SC_INVALID_ARGUMENT, (std::string("Mango summary: ") + e.what()).c_str());
  }
  return record(call, response);
}

}  // namespace salescore::telephony
