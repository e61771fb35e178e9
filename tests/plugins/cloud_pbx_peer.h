// A cloud PBX's API on loopback for the telephony tests: Zadarma/Novofon and Mango Office
// as their documentation describes them, checking each request's signature with the
// documented formula (computed here, independently of the connector's code) and refusing
// a wrong one with 401, as the real APIs do. The test says what the PBX answers.
#pragma once

#include <Poco/Base64Encoder.h>
#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/MD5Engine.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/SHA1Engine.h>
#include <Poco/SHA2Engine.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <functional>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

namespace salescore::plugins::testing {

struct PbxRequest {
  std::string method, path, query, authorization, body;
  bool signed_right = false;
};

struct PbxAnswer {
  PbxAnswer(int s = 200, std::string b = "", std::string l = "") : status(s), body(std::move(b)), location(std::move(l)) {}
  int status;
  std::string body;
  std::string location;  // a redirect's
};

// application/x-www-form-urlencoded, as a PBX posts its webhooks.
inline std::string form(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    std::string value;
    Poco::URI::encode(v, "&=+ ", value);
    out += (out.empty() ? "" : "&") + k + "=" + value;
  }
  return out;
}

// base64(hex(HMAC-SHA1(method + params + md5_hex(params), secret))): Zadarma's API
// signature (zadarma/user-api-v1 Client.php), with params as they are on the wire.
inline std::string documented_zadarma_signature(const std::string& method, const std::string& params,
                                                const std::string& secret) {
  Poco::MD5Engine md5;
  md5.update(params);
  Poco::HMACEngine<Poco::SHA1Engine> hmac(secret);
  hmac.update(method + params + Poco::DigestEngine::digestToHex(md5.digest()));
  std::ostringstream out;
  Poco::Base64Encoder b64(out);
  b64.rdbuf()->setLineLength(0);
  b64 << Poco::DigestEngine::digestToHex(hmac.digest());
  b64.close();
  return out.str();
}

// hex(SHA-256(key + json + salt)): Mango Office's sign.
inline std::string documented_mango_sign(const std::string& key, const std::string& json, const std::string& salt) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(key + json + salt);
  return Poco::DigestEngine::digestToHex(sha.digest());
}

class CloudPbxPeer {
 public:
  std::string zadarma_key = "zk", zadarma_secret = "zd-secret";
  std::string mango_key = "mkey", mango_salt = "msalt";
  // What the PBX answers a request whose signature was right.
  std::function<PbxAnswer(const PbxRequest&)> answer = [](const PbxRequest&) { return PbxAnswer{}; };

  CloudPbxPeer() : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(2);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(this), socket_, params);
    server_->start();
  }
  ~CloudPbxPeer() { server_->stopAll(true); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(socket_.address().port()); }
  std::vector<PbxRequest> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  PbxAnswer handle(PbxRequest& r) {
    if (r.path.rfind("/v1/", 0) == 0) {  // Zadarma: "Authorization: key:signature"
      r.signed_right = r.authorization == zadarma_key + ":" + documented_zadarma_signature(r.path, r.query, zadarma_secret);
    } else if (r.path.rfind("/rec/", 0) == 0) {  // a temporary download link: no signature
      r.signed_right = true;
    } else {  // Mango: form fields vpbx_api_key, sign, json
      std::istringstream body(r.body);
      Poco::Net::HTMLForm form;
      form.read(body);
      r.signed_right = form.get("vpbx_api_key", "") == mango_key &&
                       form.get("sign", "") == documented_mango_sign(mango_key, form.get("json", ""), mango_salt);
    }
    if (!r.signed_right) return {401, R"({"status":"error","message":"Not authorized"})", ""};
    return answer(r);
  }

  struct Handler : Poco::Net::HTTPRequestHandler {
    explicit Handler(CloudPbxPeer* p) : peer(p) {}
    void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
      PbxRequest r;
      r.method = in.getMethod();
      Poco::URI uri(in.getURI());
      r.path = uri.getPath();
      r.query = uri.getRawQuery();
      r.authorization = in.get("Authorization", "");
      Poco::StreamCopier::copyToString(in.stream(), r.body);
      PbxAnswer a = peer->handle(r);
      {
        std::lock_guard lock(peer->mutex_);
        peer->requests_.push_back(r);
      }
      out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(a.status));
      if (!a.location.empty()) out.set("Location", a.location);
      out.setContentLength(static_cast<std::streamsize>(a.body.size()));
      out.send() << a.body;
    }
    CloudPbxPeer* peer;
  };
  struct Factory : Poco::Net::HTTPRequestHandlerFactory {
    explicit Factory(CloudPbxPeer* p) : peer(p) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
      return new Handler(peer);
    }
    CloudPbxPeer* peer;
  };

  Poco::Net::ServerSocket socket_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::mutex mutex_;
  std::vector<PbxRequest> requests_;
};

}  // namespace salescore::plugins::testing
