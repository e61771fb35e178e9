// One receiver of the webhooks connector and the connection kept open to it between
// deliveries (HTTP/1.1 keep-alive). A new TCP (and TLS) connection per event cost more
// than the event itself while a backlog drained; a kept connection is used again as long
// as the receiver keeps it (its reply says so), and dropped after any failure, a reply
// without a length, or a reply body past what is read of it.
#pragma once

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/URI.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "delivery_deadline.h"
#include "salescore/plugin_api.h"

namespace salescore::webhooks {

struct Attempt {
  sc_status status = SC_OK;
  std::string why;  // when it failed
};

// What one POST carries, the same to every receiver of the event.
struct SignedEvent {
  std::string type;  // X-Salescore-Event
  const std::string* body = nullptr;
  std::string stamp;      // X-Salescore-Timestamp, Unix seconds
  std::string signature;  // X-Salescore-Signature
  std::string idempotency_key;
};

class ReceiverLink {
 public:
  ReceiverLink(std::vector<std::string> events, Poco::URI url) : events_(std::move(events)), url_(std::move(url)) {}

  // Whether the receiver subscribed to events of `type` (by prefix; none: every event).
  bool wants(const std::string& type) const;
  const std::vector<std::string>& events() const { return events_; }
  const Poco::URI& url() const { return url_; }

  // POSTs the event, within timeout_ms for the whole of it. A kept connection the
  // receiver closed while idle (its keep-alive timeout) fails before any reply: the
  // event then goes once more on a new connection (were it taken after all, the
  // Idempotency-Key lets the receiver see it once).
  Attempt post(const SignedEvent& event, const Poco::Net::Context::Ptr& tls, int timeout_ms, DeadlineWatch& watch);

 private:
  Attempt post_once(const SignedEvent& event, const Poco::Net::Context::Ptr& tls, int timeout_ms,
                    DeadlineWatch& watch, bool& may_try_again);
  void open(const Poco::Net::Context::Ptr& tls, int timeout_ms);

  std::vector<std::string> events_;  // prefixes; empty: every event
  Poco::URI url_;
  std::unique_ptr<Poco::Net::HTTPClientSession> session_;  // null: none open
};

}  // namespace salescore::webhooks
