// The persistent AMI session the host runs on its own thread (SC_CAP_SESSION): login,
// event filter, a resync of the live channels after every (re)connect, Ping keepalive,
// calls handed to the host as they finish. The call state outlives a connection, so a
// call that spans a reconnect lands once; the host reconnects with backoff when run()
// returns a retryable code.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ami_connection.h"
#include "call_assembler.h"
#include "call_record.h"
#include "salescore/plugin_api.h"

namespace salescore::telephony {

struct AmiSettings {
  std::string host = "127.0.0.1";
  int port = 5038;
  std::string user, secret;
  std::string events = "call,cdr,agent,dialplan";  // Login's event mask
  bool filter = true;                               // ask Asterisk to send only the events we read
  int ping_interval_ms = 20000;
  int reply_timeout_ms = 10000;
  int connect_timeout_ms = 5000;
  std::int64_t max_call_ms = 4 * 3600 * 1000;  // a call open longer is closed, and says so
};

// A click-to-call the session places (deliver() of a "call" action).
struct Originate {
  std::string action_id;  // from the outbox item's idempotency key
  std::string channel;    // "PJSIP/101", "Local/101@from-internal"
  std::string context, exten, caller_id;
  std::string extension;  // the manager's
  std::string phone;      // the customer's number, for the failure's record
};

class AmiSession {
 public:
  AmiSession(const sc_host_api* api, sc_host* host, AmiSettings settings, PbxPlan plan);
  sc_status run();
  void stop();
  // Sends Originate (async) on the live connection and waits for its Response: SC_OK once
  // Asterisk queued it, SC_UNAVAILABLE without a session or a reply, SC_INVALID_ARGUMENT
  // when Asterisk refused it (the reason in `why`).
  sc_status originate(const Originate& call, std::string& why);

 private:
  struct Reply {
    std::optional<AmiFrame> frame;
  };
  sc_status fail(sc_status code, const std::string& why);
  // Reads frames until the response to `action_id` (or, with `until_event`, that event
  // carrying it), handling every other frame on the way; nullopt on timeout or loss.
  std::optional<AmiFrame> await(AmiConnection& c, const std::string& action_id, const char* until_event = nullptr);
  void handle(const ReceivedFrame& f);
  sc_status emit_finished(bool flush);
  // The calls' records, in hand-overs of kCallsPerHandOver: the first code not SC_OK.
  sc_status emit_calls(const std::vector<Call>& calls);
  sc_status flush_unsent();
  // Hands calls over after those the host could not take before, in order; what it
  // cannot take now is kept in unsent_.
  sc_status emit(std::vector<CallRecord> calls);
  std::string next_id(const char* what);

  const sc_host_api* api_;
  sc_host* host_;
  AmiSettings settings_;
  PbxPlan plan_;
  CallAssembler assembler_;
  std::deque<CallRecord> unsent_;  // calls the host could not take yet
  std::uint64_t counter_ = 0;
  std::int64_t last_received_ms_ = 0;

  std::mutex mutex_;  // guards conn_, replies_, originates_
  std::condition_variable replied_;
  std::shared_ptr<AmiConnection> conn_;
  std::map<std::string, Reply> replies_;       // action ids deliver() waits on
  std::map<std::string, Originate> originates_;  // placed calls whose OriginateResponse is due
};

}  // namespace salescore::telephony
