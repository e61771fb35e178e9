// Properties of the cloud-PBX webhook handlers (connectors/telephony/cloud_webhooks.cpp)
// over any body, checked by webhook_body_fuzz and, on its seeds, by the plugin tests. The
// handlers run against a stand-in host: each request is signed correctly over what it
// says, so the fuzzer reaches the parsing behind the signature check.
#pragma once

#include <Poco/URI.h>

#include <string>
#include <string_view>

#include "cloud_webhooks.h"

namespace salescore::telephony::checks {

struct FakeHost {
  int emitted = 0;
  int queued = 0;  // recording downloads
  int status = 0;
  std::string signature;
};

inline FakeHost*& fake_host() {
  static thread_local FakeHost* current = nullptr;
  return current;
}

inline const sc_host_api& fake_api() {
  static const sc_host_api api = [] {
    sc_host_api a{};
    a.struct_size = sizeof a;
    a.abi_major = SC_ABI_MAJOR;
    a.abi_minor = SC_ABI_MINOR;
    a.fail = [](sc_host*, sc_status code, const char*) { return code; };
    a.now_ms = [](sc_host*) -> std::int64_t { return 1793610000000; };
    a.emit_record = [](sc_host*, const sc_record* r) -> sc_status {
      ++fake_host()->emitted;
      return r->json_size > 0 && r->external_id && *r->external_id ? SC_OK : SC_INVALID_ARGUMENT;
    };
    a.enqueue_outbound = [](sc_host*, const char* kind, const char* payload, std::size_t size,
                            const char* key) -> sc_status {
      ++fake_host()->queued;
      return std::string_view(kind) == "recording" && size > 0 && payload && key && *key ? SC_OK : SC_INVALID_ARGUMENT;
    };
    a.request_header = [](const sc_http_request*, const char* name) -> const char* {
      return std::string_view(name) == "Signature" ? fake_host()->signature.c_str() : nullptr;
    };
    a.response_status = [](sc_http_response*, int s) { fake_host()->status = s; };
    a.response_header = [](sc_http_response*, const char*, const char*) {};
    a.response_write = [](sc_http_response*, const void*, std::size_t) {};
    return a;
  }();
  return api;
}

inline std::string encoded(const std::string& v) {
  std::string out;
  Poco::URI::encode(v, "&=+% ", out);
  return out;
}

// Zadarma: the body as sent, signed over its own fields; Mango: the bytes as the json of
// events/summary, or of events/recording with `recording`.
inline std::string webhook_properties(std::string_view bytes, bool mango, bool recording = false) {
  FakeHost fake;
  fake_host() = &fake;
  CloudWebhooks hooks;
  hooks.api = &fake_api();
  hooks.zadarma_secret = "zd-secret";
  hooks.mango_key = "mkey";
  hooks.mango_salt = "msalt";
  hooks.window_s = 1000000000;
  hooks.download_recordings = true;
  std::string body;
  if (mango) {
    const std::string json(bytes);
    body = "vpbx_api_key=mkey&sign=" + mango_sign("mkey", json, "msalt") + "&json=" + encoded(json);
  } else {
    body = std::string(bytes);
    auto f = form_fields(body);
    const std::string e = f["event"];
    const std::string text = e == "NOTIFY_ANSWER"     ? f["caller_id"] + f["destination"] + f["call_start"]
                             : e == "NOTIFY_RECORD"    ? f["pbx_call_id"] + f["call_id_with_rec"]
                             : e.rfind("NOTIFY_OUT", 0) == 0 ? f["internal"] + f["destination"] + f["call_start"]
                                                             : f["caller_id"] + f["called_did"] + f["call_start"];
    fake.signature = zadarma_signature(text, "zd-secret");
  }
  sc_http_request request{};
  request.struct_size = sizeof request;
  request.method = "POST";
  request.path = !mango ? "/telephony/zadarma"
                 : recording ? "/telephony/mango/events/recording"
                             : "/telephony/mango/events/summary";
  request.query = "";
  request.body = reinterpret_cast<const std::uint8_t*>(body.data());
  request.body_size = body.size();
  const sc_status st = mango ? hooks.mango(&request, nullptr) : hooks.zadarma(&request, nullptr);
  fake_host() = nullptr;
  if (st != SC_OK && st != SC_INVALID_ARGUMENT && st != SC_UNAUTHENTICATED) return "an unexpected status";
  if (st == SC_OK && fake.status != 200) return "OK without a 200";
  if (st != SC_OK && fake.emitted) return "a call recorded from a refused request";
  if (fake.emitted > 1) return "one request recorded more than one call";
  if (st != SC_OK && fake.queued) return "a download queued from a refused request";
  if (fake.queued > 1) return "one request queued more than one download";
  if (fake.queued && fake.emitted) return "a recording's notice recorded a call";
  return "";
}

}  // namespace salescore::telephony::checks
