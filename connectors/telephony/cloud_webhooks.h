// Cloud-PBX webhooks mapped to the same call model as Asterisk's: Zadarma/Novofon
// (NOTIFY_* form posts signed with base64(hex(HMAC-SHA1))) and Mango Office (form posts of
// vpbx_api_key, sign = sha256_hex(key + json + salt), json). Signatures are compared in
// constant time; a call's end is recorded under "call:<pbx>:<id>", so a retried delivery
// is applied once; a request outside the replay window is refused.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "call.h"
#include "pbx_plan.h"
#include "salescore/plugin_api.h"

namespace salescore::telephony {

// application/x-www-form-urlencoded -> fields (the last of a repeated name wins).
std::map<std::string, std::string> form_fields(std::string_view body);
// Equal without leaking where they differ; false for an empty `expected`.
bool same_secret(const std::string& given, const std::string& expected);
// Zadarma's signature of `text`: base64 of the lowercase hex HMAC-SHA1 with `secret`.
std::string zadarma_signature(const std::string& text, const std::string& secret);
// Mango's: lowercase hex SHA-256 of key + json + salt.
std::string mango_sign(const std::string& key, const std::string& json, const std::string& salt);

struct CloudWebhooks {
  const sc_host_api* api = nullptr;
  sc_host* host = nullptr;
  PbxPlan plan;
  std::string zadarma_secret;
  std::string mango_key, mango_salt;
  std::int64_t window_s = 86400;  // how far a call's time may be from now
  // recordings_dir is set: a recording the PBX says is ready is queued for download
  // (an outbound "recording" item the connector's deliver() fetches, with the host's retries).
  bool download_recordings = false;

  // POST /telephony/zadarma (GET with zd_echo answers the echo).
  sc_status zadarma(const sc_http_request* request, sc_http_response* response) const;
  // POST /telephony/mango/events/summary | call | recording
  sc_status mango(const sc_http_request* request, sc_http_response* response) const;

 private:
  sc_status record(const Call& call, sc_http_response* response) const;
  sc_status ok(sc_http_response* response, const std::string& body) const;
  sc_status queue_download(const std::string& pbx, const std::string& id, const std::string& call_key) const;
  sc_status mango_recording(const std::string& json, sc_http_response* response) const;
};

}  // namespace salescore::telephony
