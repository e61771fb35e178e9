// Calls assembled from AMI events (Asterisk 12+ event model): a call is the group of
// Linkedids that share channels or bridges (pickup, attended and blind transfers join
// them), legs are per Uniqueid, the answering leg is the one bridged with the customer.
// State is kept per leg, not per handler, so the order of events within a burst does
// not matter, and a reconnect's CoreShowChannels closes what was missed. Not thread-safe:
// the session thread owns it.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "ami_frame.h"
#include "call.h"
#include "pbx_plan.h"

namespace salescore::telephony {

struct Leg {
  std::string uniqueid, linkedid, channel;
  std::vector<std::string> contexts;  // every context the leg ran in, in order
  std::string exten, caller_num, connected_num;
  std::string dial_exten;   // its Exten when it first dialled someone (what the caller dialled)
  std::string dialed_by;    // the Uniqueid that dialled it ("" for none: an Originate, a trunk)
  bool dialed = false;      // a DialBegin named it as destination
  std::string dial_string, dial_status;
  std::int64_t created_ms = 0, down_ms = 0;
  bool down = false;
  std::string cause;
};

struct BridgeLink {
  std::string a, b;  // Uniqueids that were in one bridge
  std::int64_t at_ms = 0;
};

struct CallGroup {
  std::set<std::string> legs;
  std::vector<BridgeLink> links;
  std::set<std::string> agents_called;  // queue members' extensions (AgentCalled)
  std::string recording;
  std::uint64_t down_at_event = 0;  // the event count when its last leg went down
  bool down_when_idle = false;      // it was all down at an earlier idle moment
};

class CallAssembler {
 public:
  explicit CallAssembler(PbxPlan plan) : plan_(std::move(plan)) {}

  // One event, at `at_ms` (its Timestamp header, or when it was read).
  void on_event(const AmiFrame& event, std::int64_t at_ms);
  // Calls whose legs are all down, once `linger_events` more events passed (a burst's
  // stragglers: Cdr, late DialEnd) or the queue was seen idle twice since (`idle`: the
  // reader has nothing queued now), or at once with `force`.
  std::vector<Call> take_finished(bool idle, bool force = false, std::uint64_t linger_events = 200);

  // After a reconnect: CoreShowChannel events name the live channels; end_resync closes
  // the legs we hold open that are no longer live (their hangup was missed meanwhile).
  void begin_resync();
  void end_resync(std::int64_t now_ms);
  // Closes calls open longer than `max_age_ms` (a hangup that never came), saying so.
  std::vector<Call> close_stale(std::int64_t now_ms, std::int64_t max_age_ms);

  std::size_t open_calls() const { return groups_.size(); }
  std::size_t open_legs() const { return legs_.size(); }

 private:
  Leg* touch(const AmiFrame& e, std::string_view prefix, std::int64_t at_ms);
  std::string root(const std::string& linkedid);
  void join(const std::string& a, const std::string& b);
  CallGroup& group_of(const Leg& leg);
  void leg_down(Leg& leg, std::int64_t at_ms);
  Call summarize(const CallGroup& g) const;
  void forget(const std::string& root_id, const CallGroup& g);

  PbxPlan plan_;
  std::unordered_map<std::string, Leg> legs_;
  std::unordered_map<std::string, std::string> parent_;  // linkedid -> linkedid (union-find)
  std::unordered_map<std::string, CallGroup> groups_;   // by root linkedid
  std::unordered_map<std::string, std::set<std::string>> bridges_;  // bridge id -> Uniqueids in it
  std::unordered_set<std::string> closed_;  // linkedids of calls already handed out
  std::deque<std::string> closed_order_;
  std::unordered_set<std::string> live_;    // during a resync
  bool resyncing_ = false;
  std::uint64_t events_ = 0;
  std::unordered_map<std::string, std::string> closed_by_;  // root -> "resync" | "timeout"
};

}  // namespace salescore::telephony
