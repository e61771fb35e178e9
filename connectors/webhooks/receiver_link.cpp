#include "receiver_link.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLException.h>

#include <atomic>
#include <chrono>
#include <istream>

namespace salescore::webhooks {
namespace {

// What is read of a reply's body to keep its connection: the status says it all, and a
// receiver that answers more than this gets a new connection next time.
constexpr std::streamsize kReplyBodyRead = 64 * 1024;

// A kept connection idle longer than this is not used again: receivers close idle ones
// after a few seconds (Node's default is 5), and one that is gone costs a failed send.
const Poco::Timespan kKeepIdle(2, 0);

}  // namespace

bool ReceiverLink::wants(const std::string& type) const {
  if (events_.empty()) return true;
  for (const auto& p : events_)
    if (type.compare(0, p.size(), p) == 0) return true;
  return false;
}

void ReceiverLink::open(const Poco::Net::Context::Ptr& tls, int timeout_ms) {
  if (url_.getScheme() == "https")
    session_ = std::make_unique<Poco::Net::HTTPSClientSession>(url_.getHost(), url_.getPort(), tls);
  else
    session_ = std::make_unique<Poco::Net::HTTPClientSession>(url_.getHost(), url_.getPort());
  session_->setTimeout(Poco::Timespan(static_cast<long>(timeout_ms / 1000), (timeout_ms % 1000) * 1000));
  session_->setKeepAlive(true);
  session_->setKeepAliveTimeout(kKeepIdle);
}

Attempt ReceiverLink::post(const SignedEvent& event, const Poco::Net::Context::Ptr& tls, int timeout_ms,
                           DeadlineWatch& watch) {
  bool may_try_again = false;
  Attempt attempt = post_once(event, tls, timeout_ms, watch, may_try_again);
  if (attempt.status != SC_OK && may_try_again) attempt = post_once(event, tls, timeout_ms, watch, may_try_again);
  return attempt;
}

Attempt ReceiverLink::post_once(const SignedEvent& event, const Poco::Net::Context::Ptr& tls, int timeout_ms,
                                DeadlineWatch& watch, bool& may_try_again) {
  const auto due = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::atomic<bool> timed_out{false};
  const bool kept = session_ && session_->connected();
  if (!session_) open(tls, timeout_ms);
  bool replied = false;  // the status line came: a failure after it is the receiver's
  may_try_again = false;
  try {
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST,
                                   url_.getPathAndQuery().empty() ? "/" : url_.getPathAndQuery(),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json; charset=utf-8");
    request.setContentLength(static_cast<std::streamsize>(event.body->size()));
    request.set("X-Salescore-Event", event.type);
    request.set("X-Salescore-Timestamp", event.stamp);
    request.set("X-Salescore-Signature", event.signature);
    request.set("Idempotency-Key", event.idempotency_key);
    session_->sendRequest(request) << *event.body;
    Poco::Net::HTTPResponse response;
    bool whole = false;
    {
      // The rest of timeout_ms for the reply, however slowly it comes (delivery_deadline.h);
      // disarmed at the end of this block, before the connection may be closed below.
      DeliveryDeadline deadline(watch, session_->socket().impl()->sockfd(), due, timed_out);
      std::istream& in = session_->receiveResponse(response);
      replied = true;
      in.ignore(kReplyBodyRead);
      // Read to its end (not cut off, not longer than what is read) or the connection goes.
      whole = !in.bad() && in.peek() == std::char_traits<char>::eof();
    }
    if (timed_out) throw Poco::TimeoutException("the reply's body did not end");
    // Kept only when the next reply can be told from this one's leftovers.
    const bool framed = response.hasContentLength() || response.getChunkedTransferEncoding();
    if (!whole || !framed || !response.getKeepAlive()) session_.reset();
    const int status = response.getStatus();
    if (status >= 200 && status < 300) return {};
    session_.reset();  // a receiver in trouble: a fresh start next time
    // The receiver's trouble passes (busy, down, rate-limited); a refusal of the request
    // itself does not, and becomes a dead letter to look at.
    const bool retry = status >= 500 || status == 408 || status == 429;
    return {retry ? SC_UNAVAILABLE : SC_FAILED_PRECONDITION,
            url_.toString() + " answered " + std::to_string(status) + " " + response.getReason()};
  } catch (const Poco::Exception& e) {  // down, refused, garbage, cut off, too slow
    session_.reset();
    may_try_again = kept && !replied && !timed_out;
    // A certificate that does not check out will not start to: a dead letter at once
    // (not when the deadline cut the TLS stream: that is a timeout like any other).
    if (dynamic_cast<const Poco::Net::SSLException*>(&e) && !timed_out)
      return {SC_FAILED_PRECONDITION, url_.toString() + ": TLS: " + e.displayText()};
    return {SC_UNAVAILABLE, url_.toString() + ": " +
                                (timed_out ? "no complete reply within " + std::to_string(timeout_ms) + " ms: " : "") +
                                e.displayText()};
  }
}

}  // namespace salescore::webhooks
