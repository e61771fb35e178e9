#include "cloud_api.h"

#include <Poco/Base64Encoder.h>
#include <Poco/DigestEngine.h>
#include <Poco/Exception.h>
#include <Poco/HMACEngine.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/MD5Engine.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/SHA1Engine.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <cctype>
#include <memory>
#include <sstream>

#include "cloud_webhooks.h"

namespace salescore::telephony {

sc_status status_of_http(int s) {
  if (s >= 200 && s < 300) return SC_OK;
  if (s == 0 || s == 408 || s == 429 || s >= 500) return SC_UNAVAILABLE;
  if (s == 401 || s == 403) return SC_UNAUTHENTICATED;
  return SC_INVALID_ARGUMENT;
}

HttpReply http_request(const std::string& method, const std::string& url,
                       const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body,
                       const std::string& content_type, int timeout_ms) {
  HttpReply out;
  try {
    Poco::URI uri(url);
    if ((uri.getScheme() != "http" && uri.getScheme() != "https") || uri.getHost().empty()) {
      out.error = "'" + url + "' is not an http(s) URL";
      return out;
    }
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (uri.getScheme() == "https") session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort());
    else session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    session->setTimeout(Poco::Timespan(static_cast<long>(timeout_ms) * 1000));
    Poco::Net::HTTPRequest request(method, uri.getPathAndQuery(), Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : headers) request.set(name, value);
    if (method != "GET") {
      request.setContentType(content_type);
      request.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session->sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session->receiveResponse(response);
    Poco::StreamCopier::copyToString(in, out.body);
    out.status = response.getStatus();
    out.location = response.get("Location", "");
  } catch (const Poco::Exception& e) {
    out.error = e.displayText();
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

std::string form_encode(const std::map<std::string, std::string>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    for (const std::string* part : {&name, &value}) {
      for (unsigned char c : *part) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.') out += static_cast<char>(c);
        else if (c == ' ') out += '+';
        else {
          static const char* kHex = "0123456789ABCDEF";
          out += '%';
          out += kHex[c >> 4];
          out += kHex[c & 15];
        }
      }
      if (part == &name) out += '=';
    }
  }
  return out;
}

std::string zadarma_api_signature(const std::string& method, const std::string& params, const std::string& secret) {
  Poco::MD5Engine md5;
  md5.update(params);
  return zadarma_signature(method + params + Poco::DigestEngine::digestToHex(md5.digest()), secret);
}

namespace {

// What an answer means, naming the call: `what` is "Zadarma request/callback".
ApiOutcome outcome_of(const HttpReply& r, const std::string& what) {
  ApiOutcome out;
  out.body = r.body;
  if (!r.error.empty()) {
    out.status = SC_UNAVAILABLE;
    out.reason = what + ": unreachable: " + r.error;
    return out;
  }
  out.status = status_of_http(r.status);
  if (out.status != SC_OK)
    out.reason = what + ": answered " + std::to_string(r.status) + ": " + r.body.substr(0, 200);
  return out;
}

Poco::JSON::Object::Ptr json_object(const std::string& text) {
  try {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    return nullptr;
  }
}

// The text of `key` whatever JSON type it has ("" when absent).
std::string text_of(const Poco::JSON::Object::Ptr& o, const char* key) {
  if (!o || !o->has(key) || o->isNull(key)) return "";
  return o->get(key).convert<std::string>();
}

}  // namespace

ApiOutcome CloudApi::zadarma_get(const std::string& method, std::map<std::string, std::string> params) const {
  params["format"] = "json";
  const std::string query = form_encode(params);
  const std::string auth = zadarma_key + ":" + zadarma_api_signature(method, query, zadarma_secret);
  const std::string what = "Zadarma " + method;
  ApiOutcome out = outcome_of(http_request("GET", zadarma_url + method + "?" + query, {{"Authorization", auth}}, "",
                                           "", timeout_ms),
                              what);
  if (out.status != SC_OK) return out;
  auto o = json_object(out.body);
  if (!o || text_of(o, "status") != "success") {
    out.status = SC_INVALID_ARGUMENT;
    out.reason = what + ": " + (o ? text_of(o, "message") : "not JSON: " + out.body.substr(0, 200));
  }
  return out;
}

std::string CloudApi::mango_form(const std::string& json) const {
  return form_encode({{"vpbx_api_key", mango_key}, {"sign", mango_sign(mango_key, json, mango_salt)}, {"json", json}});
}

ApiOutcome CloudApi::mango_post(const std::string& command, const std::string& json) const {
  return outcome_of(http_request("POST", mango_url + "/" + command, {}, mango_form(json),
                                 "application/x-www-form-urlencoded", timeout_ms),
                    "Mango " + command);
}

ApiOutcome CloudApi::zadarma_callback(const std::string& extension, const std::string& number) const {
  return zadarma_get("/v1/request/callback/", {{"from", extension}, {"to", number}});
}

ApiOutcome CloudApi::mango_callback(const std::string& command_id, const std::string& extension,
                                    const std::string& number) const {
  Poco::JSON::Object from;
  from.set("extension", extension);
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("command_id", command_id);
  o.set("from", from);
  o.set("to_number", number);
  std::ostringstream json;
  o.stringify(json);
  ApiOutcome out = mango_post("commands/callback", json.str());
  if (out.status != SC_OK) return out;
  // {"result": 1000} is done; Mango's other codes name what is wrong (a 3xxx: the request).
  const std::string result = text_of(json_object(out.body), "result");
  if (result != "1000") {
    out.status = SC_INVALID_ARGUMENT;
    out.reason = "Mango commands/callback: result " + (result.empty() ? out.body.substr(0, 200) : result);
  }
  return out;
}

ApiOutcome CloudApi::zadarma_recording(const std::string& call_id_with_rec) const {
  ApiOutcome link = zadarma_get("/v1/pbx/record/request/", {{"call_id", call_id_with_rec}});
  if (link.status != SC_OK) return link;
  auto o = json_object(link.body);
  std::string url = text_of(o, "link");
  if (url.empty() && o && o->isArray("links") && o->getArray("links")->size() > 0)
    url = o->getArray("links")->get(0).convert<std::string>();
  if (url.empty()) return {SC_INVALID_ARGUMENT, "Zadarma pbx/record/request: no link in " + link.body.substr(0, 200), ""};
  return outcome_of(http_request("GET", url, {}, "", "", timeout_ms), "Zadarma recording download");
}

ApiOutcome CloudApi::mango_recording(const std::string& recording_id) const {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("recording_id", recording_id);
  o.set("action", "download");
  std::ostringstream json;
  o.stringify(json);
  // Mango answers with a redirect to a temporary link (or the file itself).
  HttpReply r = http_request("POST", mango_url + "/queries/recording/post", {}, mango_form(json.str()),
                             "application/x-www-form-urlencoded", timeout_ms);
  if (r.error.empty() && r.status >= 300 && r.status < 400 && !r.location.empty())
    r = http_request("GET", r.location, {}, "", "", timeout_ms);
  return outcome_of(r, "Mango recording download");
}

}  // namespace salescore::telephony
