#include "call_assembler.h"

#include <algorithm>
#include <cstdlib>

namespace salescore::telephony {

namespace {
constexpr std::size_t kClosedKept = 100000;  // linkedids remembered after their call was handed out

bool known(std::string_view number) { return !number.empty() && number != "<unknown>"; }

// CoreShowChannel's Duration "00:01:05" in ms; 0 for anything else (a channel up for more
// than ~3 years, or no duration at all: outside input, whose digits must not overflow).
std::int64_t hms_ms(std::string_view text) {
  constexpr std::int64_t kMaxSeconds = 100'000'000;
  std::int64_t total = 0, part = 0;
  for (char c : text) {
    if (c >= '0' && c <= '9') part = part * 10 + (c - '0');
    else if (c == ':') total = total * 60 + part, part = 0;
    else return 0;
    if (part > kMaxSeconds || total > kMaxSeconds) return 0;
  }
  total = total * 60 + part;
  return total > kMaxSeconds ? 0 : total * 1000;
}
}  // namespace

std::string CallAssembler::root(const std::string& linkedid) {
  std::string at = linkedid;
  while (true) {
    auto it = parent_.find(at);
    if (it == parent_.end() || it->second == at) return at;
    at = it->second;
  }
}

void CallAssembler::join(const std::string& a, const std::string& b) {
  std::string ra = root(a), rb = root(b);
  if (ra == rb) return;
  // The oldest linkedid stays the root: it names the call (Wazo: "use the smaller one").
  if (uniqueid_less(rb, ra)) std::swap(ra, rb);
  parent_[rb] = ra;
  parent_.emplace(ra, ra);
  auto loser = groups_.find(rb);
  if (loser == groups_.end()) return;
  CallGroup& winner = groups_[ra];
  winner.legs.insert(loser->second.legs.begin(), loser->second.legs.end());
  winner.links.insert(winner.links.end(), loser->second.links.begin(), loser->second.links.end());
  winner.agents_called.insert(loser->second.agents_called.begin(), loser->second.agents_called.end());
  if (winner.recording.empty()) winner.recording = loser->second.recording;
  groups_.erase(loser);
  if (auto c = closed_by_.find(rb); c != closed_by_.end()) {
    closed_by_.emplace(ra, c->second);
    closed_by_.erase(c);
  }
}

CallGroup& CallAssembler::group_of(const Leg& leg) { return groups_[root(leg.linkedid)]; }

Leg* CallAssembler::touch(const AmiFrame& e, std::string_view prefix, std::int64_t at_ms) {
  const std::string p(prefix);
  const std::string uid(e.get(p + "Uniqueid"));
  if (uid.empty()) return nullptr;
  std::string lid(e.get(p + "Linkedid"));
  auto found = legs_.find(uid);
  if (lid.empty()) lid = found != legs_.end() ? found->second.linkedid : uid;
  if (closed_.count(lid) || (found == legs_.end() && closed_.count(uid))) return nullptr;  // a straggler
  if (found == legs_.end()) {
    Leg leg;
    leg.uniqueid = uid;
    leg.linkedid = lid;
    leg.created_ms = at_ms;
    parent_.emplace(lid, lid);
    found = legs_.emplace(uid, std::move(leg)).first;
    groups_[root(lid)].legs.insert(uid);
  } else if (found->second.linkedid != lid) {
    // A blind transfer re-links channels: the old and the new linkedid are one call.
    parent_.emplace(lid, lid);
    join(found->second.linkedid, lid);
    found->second.linkedid = lid;
  }
  Leg& leg = found->second;
  if (auto v = e.get(p + "Channel"); !v.empty()) leg.channel = v;
  if (auto v = e.get(p + "Context"); !v.empty() && (leg.contexts.empty() || leg.contexts.back() != v))
    leg.contexts.emplace_back(v);
  if (auto v = e.get(p + "Exten"); !v.empty()) leg.exten = v;
  if (auto v = e.get(p + "CallerIDNum"); known(v)) leg.caller_num = v;
  if (auto v = e.get(p + "ConnectedLineNum"); known(v)) leg.connected_num = v;
  if (resyncing_) live_.insert(uid);
  return &leg;
}

void CallAssembler::leg_down(Leg& leg, std::int64_t at_ms) {
  if (leg.down) return;
  leg.down = true;
  leg.down_ms = at_ms;
  CallGroup& g = group_of(leg);
  const bool all_down = std::all_of(g.legs.begin(), g.legs.end(), [&](const std::string& u) {
    auto it = legs_.find(u);
    return it == legs_.end() || it->second.down;
  });
  if (all_down) {
    g.down_at_event = events_;
    g.down_when_idle = false;
  }
}

void CallAssembler::on_event(const AmiFrame& e, std::int64_t at_ms) {
  ++events_;
  const std::string_view name = e.event();
  if (name.empty()) return;
  if (name == "Hangup") {
    if (Leg* leg = touch(e, "", at_ms)) {
      leg->cause = std::string(e.get("Cause"));
      if (auto t = e.get("Cause-txt"); !t.empty()) leg->cause += " " + std::string(t);
      leg_down(*leg, at_ms);
    }
  } else if (name == "DialBegin") {
    Leg* caller = touch(e, "", at_ms);
    Leg* dest = touch(e, "Dest", at_ms);
    if (caller && caller->dial_exten.empty()) caller->dial_exten = caller->exten;
    if (dest) {
      dest->dialed = true;
      if (caller) dest->dialed_by = caller->uniqueid;
      dest->dial_string = e.get("DialString");
    }
    if (caller && dest) join(caller->linkedid, dest->linkedid);
  } else if (name == "DialEnd") {
    if (Leg* dest = touch(e, "Dest", at_ms)) dest->dial_status = e.get("DialStatus");
    touch(e, "", at_ms);
  } else if (name == "BridgeEnter") {
    Leg* leg = touch(e, "", at_ms);
    if (!leg) return;
    auto& members = bridges_[std::string(e.get("BridgeUniqueid"))];
    for (const auto& other : members) {
      auto it = legs_.find(other);
      if (it == legs_.end()) continue;
      join(it->second.linkedid, leg->linkedid);  // a pickup or a transfer bridges two linkedids
      group_of(*leg).links.push_back(BridgeLink{other, leg->uniqueid, at_ms});
    }
    members.insert(leg->uniqueid);
  } else if (name == "BridgeLeave") {
    touch(e, "", at_ms);
    if (auto it = bridges_.find(std::string(e.get("BridgeUniqueid"))); it != bridges_.end())
      it->second.erase(std::string(e.get("Uniqueid")));
  } else if (name == "BridgeDestroy") {
    bridges_.erase(std::string(e.get("BridgeUniqueid")));
  } else if (name == "LocalBridge" || name == "Pickup" || name == "BlindTransfer" || name == "AttendedTransfer" ||
             name == "AgentCalled" || name == "AgentConnect") {
    // Every channel block of the event belongs to one call.
    Leg* first = nullptr;
    for (const char* prefix : {"", "Dest", "LocalOne", "LocalTwo", "Target", "Transferer", "Transferee",
                               "OrigTransferer", "SecondTransferer", "TransferTarget"}) {
      Leg* leg = touch(e, prefix, at_ms);
      if (!leg) continue;
      if (first) join(first->linkedid, leg->linkedid);
      else first = leg;
    }
    if (name == "AgentCalled" && first) {
      const std::string ext = plan_.extension_of(endpoint_of(e.get("Interface")));
      if (!ext.empty()) group_of(*first).agents_called.insert(ext);
    }
  } else if (name == "VarSet" && e.get("Variable") == "MIXMONITOR_FILENAME") {
    if (Leg* leg = touch(e, "", at_ms)) group_of(*leg).recording = e.get("Value");
  } else if (name == "Newexten" && e.get("Application") == "MixMonitor") {
    if (Leg* leg = touch(e, "", at_ms)) {
      CallGroup& g = group_of(*leg);
      if (g.recording.empty()) g.recording = std::string(e.get("AppData").substr(0, e.get("AppData").find(',')));
    }
  } else if (name == "Cdr") {
    auto it = legs_.find(std::string(e.get("UniqueID")));
    if (it != legs_.end() && !e.get("UserField").empty()) {
      CallGroup& g = group_of(it->second);
      if (g.recording.empty()) g.recording = e.get("UserField");
    }
  } else if (name == "CoreShowChannel") {
    const bool is_new = !legs_.count(std::string(e.get("Uniqueid")));
    if (Leg* leg = touch(e, "", at_ms); leg && is_new) leg->created_ms = at_ms - hms_ms(e.get("Duration"));
  } else if (e.has("Uniqueid")) {
    touch(e, "", at_ms);
  }
}

void CallAssembler::begin_resync() {
  resyncing_ = true;
  live_.clear();
}

void CallAssembler::end_resync(std::int64_t now_ms) {
  resyncing_ = false;
  for (auto& [uid, leg] : legs_) {
    if (leg.down || live_.count(uid)) continue;
    closed_by_[root(leg.linkedid)] = "resync";
    leg_down(leg, now_ms);
  }
  live_.clear();
}

void CallAssembler::forget(const std::string& root_id, const CallGroup& g) {
  for (const auto& uid : g.legs) {
    auto it = legs_.find(uid);
    if (it == legs_.end()) continue;
    for (const std::string& id : {it->second.linkedid, uid}) {
      if (closed_.insert(id).second) closed_order_.push_back(id);
      parent_.erase(id);
    }
    legs_.erase(it);
  }
  closed_by_.erase(root_id);
  while (closed_order_.size() > kClosedKept) {
    closed_.erase(closed_order_.front());
    closed_order_.pop_front();
  }
}

std::vector<Call> CallAssembler::take_finished(bool idle, bool force, std::uint64_t linger_events) {
  std::vector<Call> out;
  std::vector<std::string> done;
  for (auto& [id, g] : groups_) {
    const bool all_down = std::all_of(g.legs.begin(), g.legs.end(), [&](const std::string& u) {
      auto it = legs_.find(u);
      return it == legs_.end() || it->second.down;
    });
    if (!all_down) continue;
    if (force || events_ - g.down_at_event >= linger_events || (idle && g.down_when_idle)) done.push_back(id);
    else if (idle) g.down_when_idle = true;  // finished at the next idle moment unless a leg comes
  }
  std::sort(done.begin(), done.end(), [](const std::string& a, const std::string& b) { return uniqueid_less(a, b); });
  for (const auto& id : done) {
    auto it = groups_.find(id);
    if (it->second.legs.empty()) {  // a linkedid named only in passing: no call
      groups_.erase(it);
      continue;
    }
    Call call = summarize(it->second);
    if (auto c = closed_by_.find(id); c != closed_by_.end()) call.closed_by = c->second;
    forget(id, it->second);
    groups_.erase(it);
    out.push_back(std::move(call));
  }
  return out;
}

std::vector<Call> CallAssembler::close_stale(std::int64_t now_ms, std::int64_t max_age_ms) {
  std::vector<std::string> stale;
  for (const auto& [id, g] : groups_) {
    std::int64_t started = now_ms;
    for (const auto& uid : g.legs)
      if (auto it = legs_.find(uid); it != legs_.end()) started = std::min(started, it->second.created_ms);
    if (now_ms - started > max_age_ms) stale.push_back(id);
  }
  for (const auto& id : stale) {
    for (const auto& uid : groups_[id].legs)
      if (auto it = legs_.find(uid); it != legs_.end()) leg_down(it->second, now_ms);
    closed_by_[id] = "timeout";
  }
  return take_finished(true, true);  // the stale ones, and any other call that is over
}

}  // namespace salescore::telephony
