// Calls to the shop's API over HTTP(S), with the platform's authentication. A 429 or
// 503 with Retry-After within `max_wait_ms` is waited out and tried again (at most three
// times); otherwise the answer becomes a status the host acts on (retry with backoff,
// or stop until the config is fixed), with a reason naming the call.
//
// A shop that counts calls in a window and says so (InSales: "API-Usage-Limit: 412/500",
// calls made / allowed in the last `usage_window_ms`) is slowed down before it answers
// 429: once a fifth of the allowance is left, each call waits window / calls left, so the
// rest of the allowance is spread over at least one whole window and the count falls back
// before it is used up.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
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
  ShopHttp(std::string base_url, std::map<std::string, std::string> auth, int timeout_ms, int max_wait_ms,
           long usage_window_ms = 300'000);
  HttpOutcome call(const ShopCall& c) const;

 private:
  HttpOutcome once(const ShopCall& c) const;
  void pace() const;
  void note_usage(const ShopReply& reply) const;
  std::string scheme_, host_, prefix_;
  unsigned short port_ = 0;
  std::map<std::string, std::string> auth_;
  int timeout_ms_, max_wait_ms_;
  long usage_window_ms_;
  // The poll, deliveries and webhook fetches share one allowance.
  mutable std::mutex usage_mutex_;
  mutable std::chrono::steady_clock::time_point next_call_at_{};
};

// "412/500" -> {412, 500}; nullopt when the header is no such pair.
std::optional<std::pair<long, long>> usage_of(const std::string& header);
// How long to wait before the next call when `used` of `limit` calls are spent in a
// window of `window_ms`: 0 while more than a fifth is left, else window / calls left.
long usage_wait_ms(long used, long limit, long window_ms);

// The status a shop's HTTP answer means for the host (shop_http.cpp); SC_OK for 2xx.
sc_status status_of_http(int http_status);

}  // namespace salescore::webshop
