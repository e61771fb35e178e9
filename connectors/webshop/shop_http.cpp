#include "shop_http.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>

namespace salescore::webshop {

sc_status status_of_http(int s) {
  if (s >= 200 && s < 300) return SC_OK;
  if (s == 429) return SC_RESOURCE_EXHAUSTED;
  if (s == 408 || s >= 500) return SC_UNAVAILABLE;
  if (s == 401) return SC_UNAUTHENTICATED;
  if (s == 403) return SC_PERMISSION_DENIED;
  if (s == 404 || s == 410) return SC_NOT_FOUND;
  return SC_INVALID_ARGUMENT;
}

std::optional<std::pair<long, long>> usage_of(const std::string& header) {
  const auto slash = header.find('/');
  if (slash == std::string::npos) return std::nullopt;
  try {
    std::size_t end = 0;
    const long used = std::stol(header.substr(0, slash), &end);
    if (end != slash) return std::nullopt;
    const std::string rest = header.substr(slash + 1);
    const long limit = std::stol(rest, &end);
    if (end != rest.size() || used < 0 || limit <= 0) return std::nullopt;
    return std::make_pair(used, limit);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

long usage_wait_ms(long used, long limit, long window_ms) {
  const long left = limit - used;
  if (window_ms <= 0 || left * 5 > limit) return 0;
  return left <= 0 ? window_ms : window_ms / left;
}

ShopHttp::ShopHttp(std::string base_url, std::map<std::string, std::string> auth, int timeout_ms, int max_wait_ms,
                   long usage_window_ms)
    : auth_(std::move(auth)), timeout_ms_(timeout_ms), max_wait_ms_(max_wait_ms), usage_window_ms_(usage_window_ms) {
  Poco::URI uri(base_url);  // throws Poco::SyntaxException: create() reports it
  scheme_ = uri.getScheme();
  host_ = uri.getHost();
  port_ = uri.getPort();
  prefix_ = uri.getPath();
  while (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
  if ((scheme_ != "http" && scheme_ != "https") || host_.empty())
    throw std::invalid_argument("base_url: '" + base_url + "' is not http(s)://host[:port][/path]");
}

HttpOutcome ShopHttp::once(const ShopCall& c) const {
  HttpOutcome out;
  const std::string what = c.method + " " + c.target;
  try {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (scheme_ == "https") session = std::make_unique<Poco::Net::HTTPSClientSession>(host_, port_);
    else session = std::make_unique<Poco::Net::HTTPClientSession>(host_, port_);
    session->setTimeout(Poco::Timespan(static_cast<long>(timeout_ms_) * 1000));
    Poco::Net::HTTPRequest request(c.method, prefix_ + c.target, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : auth_) request.set(name, value);
    request.set("Accept", "application/json");
    if (!c.body.empty() || c.method != "GET") {
      request.setContentType("application/json");
      request.setContentLength(static_cast<std::streamsize>(c.body.size()));
    }
    session->sendRequest(request) << c.body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session->receiveResponse(response);
    Poco::StreamCopier::copyToString(in, out.reply.body);
    out.reply.status = response.getStatus();
    for (const auto& [name, value] : response) {
      std::string lower = name;
      std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
      out.reply.headers[lower] = value;
    }
  } catch (const Poco::Exception& e) {
    out.status = SC_UNAVAILABLE;
    out.reason = "shop unreachable: " + what + ": " + e.displayText();
    return out;
  }
  out.status = status_of_http(out.reply.status);
  if (out.status != SC_OK)
    out.reason = "shop answered " + std::to_string(out.reply.status) + " to " + what + ": " + out.reply.body.substr(0, 200);
  return out;
}

void ShopHttp::pace() const {
  std::chrono::steady_clock::time_point at;
  {
    std::lock_guard lock(usage_mutex_);
    at = next_call_at_;
  }
  std::this_thread::sleep_until(at);
}

void ShopHttp::note_usage(const ShopReply& reply) const {
  auto usage = usage_of(reply.header("api-usage-limit"));
  if (!usage) return;
  const long wait = usage_wait_ms(usage->first, usage->second, usage_window_ms_);
  std::lock_guard lock(usage_mutex_);
  next_call_at_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait);
}

HttpOutcome ShopHttp::call(const ShopCall& c) const {
  for (int attempt = 0;; ++attempt) {
    pace();
    HttpOutcome out = once(c);
    note_usage(out.reply);
    const bool limited = out.reply.status == 429 || out.reply.status == 503;
    if (!limited || attempt >= 3) return out;
    // Retry-After in seconds (the shops we speak to send seconds, not dates).
    long wait_ms = -1;
    try {
      wait_ms = std::stol(out.reply.header("retry-after")) * 1000;
    } catch (const std::exception&) {
    }
    if (wait_ms < 0 || wait_ms > max_wait_ms_) {
      if (wait_ms > 0) out.reason += " (Retry-After " + std::to_string(wait_ms / 1000) + " s: the host backs off)";
      return out;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
  }
}

}  // namespace salescore::webshop
