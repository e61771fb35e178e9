// The cloud PBXs' own APIs, called by the connector: click-to-call (Zadarma/Novofon
// `request/callback`, Mango Office `commands/callback`) and the download of a call's
// recording (Zadarma `pbx/record/request`, Mango `queries/recording/post`), each signed
// as the PBX documents it. Answers become statuses the host acts on: retried with
// backoff (unreachable, 5xx, 429), stopped until the config is fixed (401/403), or a
// dead letter naming what the PBX said.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "salescore/plugin_api.h"

namespace salescore::telephony {

struct HttpReply {
  int status = 0;        // 0: no answer (see error)
  std::string body;
  std::string location;  // of a redirect
  std::string error;
};

// One HTTP(S) request to an absolute URL, bounded by `timeout_ms`.
HttpReply http_request(const std::string& method, const std::string& url,
                       const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body,
                       const std::string& content_type, int timeout_ms);

// application/x-www-form-urlencoded in key order, spaces as '+' (PHP's http_build_query
// with PHP_QUERY_RFC1738, which Zadarma signs).
std::string form_encode(const std::map<std::string, std::string>& fields);

// Zadarma's API signature of a call to `method` ("/v1/request/callback/") with the
// form-encoded `params`: base64 of the lowercase hex HMAC-SHA1 with the secret over
// method + params + md5_hex(params). Sent as "Authorization: <key>:<signature>".
std::string zadarma_api_signature(const std::string& method, const std::string& params, const std::string& secret);

struct ApiOutcome {
  sc_status status = SC_OK;
  std::string reason;  // for fail() when status is not SC_OK
  std::string body;    // the answer; a recording's bytes
};

struct CloudApi {
  std::string zadarma_url = "https://api.zadarma.com";
  std::string zadarma_key, zadarma_secret;
  std::string mango_url = "https://app.mango-office.ru/vpbx";
  std::string mango_key, mango_salt;
  int timeout_ms = 10000;

  // The PBX rings the manager's extension, then `number` (digits as the PBX dials them).
  ApiOutcome zadarma_callback(const std::string& extension, const std::string& number) const;
  ApiOutcome mango_callback(const std::string& command_id, const std::string& extension,
                            const std::string& number) const;
  // The recording's bytes.
  ApiOutcome zadarma_recording(const std::string& call_id_with_rec) const;
  ApiOutcome mango_recording(const std::string& recording_id) const;

 private:
  ApiOutcome zadarma_get(const std::string& method, std::map<std::string, std::string> params) const;
  ApiOutcome mango_post(const std::string& command, const std::string& json) const;
  std::string mango_form(const std::string& json) const;  // vpbx_api_key, sign, json
};

// The status an HTTP answer means for the host; SC_OK for 2xx.
sc_status status_of_http(int http_status);

}  // namespace salescore::telephony
