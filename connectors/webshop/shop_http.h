// Calls to the shop's API over HTTP(S), with the platform's authentication. A 429 or
// 503 with Retry-After within `max_wait_ms` is waited out and tried again (at most three
// times); otherwise the answer becomes a status the host acts on (retry with backoff,
// or stop until the config is fixed), with a reason naming the call.
#pragma once

#include <map>
#include <string>

#include "platform.h"
#include "salescore/plugin_api.h"

namespace salescore::webshop {

struct HttpOutcome {
  sc_status status = SC_OK;
  std::string reason;  // for fail() when status is not SC_OK
  ShopReply reply;
};

class ShopHttp {
 public:
  ShopHttp(std::string base_url, std::map<std::string, std::string> auth, int timeout_ms, int max_wait_ms);
  HttpOutcome call(const ShopCall& c) const;

 private:
  HttpOutcome once(const ShopCall& c) const;
  std::string scheme_, host_, prefix_;
  unsigned short port_ = 0;
  std::map<std::string, std::string> auth_;
  int timeout_ms_, max_wait_ms_;
};

// The status a shop's HTTP answer means for the host (shop_http.cpp); SC_OK for 2xx.
sc_status status_of_http(int http_status);

}  // namespace salescore::webshop
