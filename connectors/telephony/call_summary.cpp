// From a group of legs to the call a sales manager sees: who the customer was, which
// extension answered (the one bridged with the customer, not the last that rang), and
// how it ended.
#include <algorithm>
#include <map>

#include "call_assembler.h"

namespace salescore::telephony {

namespace {
bool known(const std::string& n) { return !n.empty() && n != "<unknown>"; }

// "PJSIP/operator/84951234567" or "84951234567@outside" -> "84951234567"
std::string number_in_dial_string(std::string_view s) {
  s = s.substr(0, s.find('&'));
  s = s.substr(0, s.find(','));
  if (auto slash = s.rfind('/'); slash != std::string_view::npos) s = s.substr(slash + 1);
  s = s.substr(0, s.find('@'));
  return std::string(s);
}

bool in(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}
}  // namespace

std::int64_t Call::ring_s() const {
  const std::int64_t until = answered_ms ? answered_ms : ended_ms;
  return std::max<std::int64_t>(0, (until - started_ms + 500) / 1000);
}

std::int64_t Call::talk_s() const {
  if (!answered_ms) return 0;
  // An answered call talks at least a second: the KPI counts zero as missed.
  return std::max<std::int64_t>(1, (ended_ms - answered_ms + 500) / 1000);
}

Call CallAssembler::summarize(const CallGroup& g) const {
  Call call;
  std::vector<const Leg*> legs;
  for (const auto& uid : g.legs)
    if (auto it = legs_.find(uid); it != legs_.end()) legs.push_back(&it->second);
  std::sort(legs.begin(), legs.end(), [](const Leg* a, const Leg* b) { return uniqueid_less(a->uniqueid, b->uniqueid); });
  if (legs.empty()) return call;
  std::string oldest = legs.front()->linkedid;
  for (const Leg* l : legs)
    if (uniqueid_less(l->linkedid, oldest)) oldest = l->linkedid;
  call.key = "asterisk:" + oldest;
  call.started_ms = legs.front()->created_ms;
  for (const Leg* l : legs) {
    call.started_ms = std::min(call.started_ms, l->created_ms);
    call.ended_ms = std::max(call.ended_ms, l->down_ms);
  }

  // The customer: a leg on a trunk, or (fallback) in an inbound/outbound context.
  std::string direction;
  std::map<std::string, std::vector<const Leg*>> parties;  // the two halves of a Local channel are one party
  for (const Leg* l : legs) parties[party_of(l->channel)].push_back(l);
  std::vector<const Leg*> customer_legs;
  std::set<std::string> customer_parties;
  for (const Leg* l : legs) {
    const std::string endpoint = endpoint_of(l->channel);
    std::string how;
    if (plan_.is_trunk(endpoint)) how = l->dialed_by.empty() ? "inbound" : "outbound";
    for (const auto& c : l->contexts) {
      if (!how.empty()) break;
      if (in(plan_.inbound_contexts, c)) how = "inbound";
      else if (in(plan_.outbound_contexts, c)) how = "outbound";
    }
    if (how.empty()) continue;
    if (direction.empty()) direction = how;
    customer_legs.push_back(l);
    customer_parties.insert(party_of(l->channel));
  }
  call.direction = direction.empty() ? "internal" : direction;

  // Who answered: walk the bridges out from the customer through parties that are no
  // extension (Local chains of queues and follow-me) to the first extension.
  auto ext_of_party = [&](const std::string& party) {
    return customer_parties.count(party) ? std::string() : plan_.extension_of(endpoint_of(party));
  };
  auto party_of_uid = [&](const std::string& uid) {
    auto it = legs_.find(uid);
    return it == legs_.end() ? std::string() : party_of(it->second.channel);
  };
  std::vector<BridgeLink> links = g.links;
  std::stable_sort(links.begin(), links.end(), [](const BridgeLink& a, const BridgeLink& b) { return a.at_ms < b.at_ms; });
  std::set<std::string> reached = customer_parties;
  if (reached.empty() && !legs.empty()) reached.insert(party_of(legs.front()->channel));  // internal: the caller
  std::vector<std::string> answerers;
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& link : links) {
      const std::string pa = party_of_uid(link.a), pb = party_of_uid(link.b);
      for (const auto& [from, to] : {std::pair{pa, pb}, std::pair{pb, pa}}) {
        if (!reached.count(from) || reached.count(to) || to.empty()) continue;
        reached.insert(to);
        grew = true;
        const std::string ext = ext_of_party(to);
        if (!ext.empty() && !in(answerers, ext)) {
          answerers.push_back(ext);
          if (!call.answered_ms) call.answered_ms = link.at_ms;
        } else if (ext.empty() && !call.answered_ms && customer_parties.empty()) {
          call.answered_ms = link.at_ms;
        }
      }
    }
  }
  if (!answerers.empty()) {
    call.manager = answerers.front();
    call.transferred_to.assign(answerers.begin() + 1, answerers.end());
  }

  // Who rang: extensions dialled (or called by a queue) that did not answer.
  std::set<std::string> rang(g.agents_called.begin(), g.agents_called.end());
  std::vector<std::string> statuses;
  for (const Leg* l : legs) {
    if (!l->dialed) continue;
    const std::string ext = ext_of_party(party_of(l->channel));
    if (!ext.empty()) rang.insert(ext);
    if (!l->dial_status.empty()) statuses.push_back(l->dial_status);
  }
  for (const auto& ext : rang)
    if (!in(answerers, ext)) call.rang_not_answered.push_back(ext);

  // Numbers: the customer's, the one they dialled, the manager's.
  std::string customer_number, dialled;
  for (const Leg* l : customer_legs) {
    if (call.direction == "inbound" && customer_number.empty() && known(l->caller_num)) customer_number = l->caller_num;
    if (call.direction == "outbound" && customer_number.empty()) {
      // On a trunk: the number the manager dialled; in an outbound context: the extension
      // the dialplan ran for it there.
      if (!plan_.is_trunk(endpoint_of(l->channel))) customer_number = l->exten;
      else if (!l->dial_string.empty()) customer_number = number_in_dial_string(l->dial_string);
      else if (known(l->connected_num)) customer_number = l->connected_num;
    }
  }
  for (const Leg* l : legs)
    if (dialled.empty() && !l->dial_exten.empty() && (customer_parties.count(party_of(l->channel)) || customer_parties.empty()))
      dialled = l->dial_exten;
  std::string dialler;  // outbound: the extension that placed the call
  for (const Leg* l : legs) {
    const std::string ext = ext_of_party(party_of(l->channel));
    if (!ext.empty() && !l->dialed) {
      dialler = ext;
      break;
    }
  }
  call.customer = customer_number;
  if (call.direction == "inbound") {
    call.caller = customer_number;
    call.callee = !dialled.empty() ? dialled : call.manager;
  } else if (call.direction == "outbound") {
    if (call.manager.empty()) call.manager = dialler;
    call.caller = call.manager;
    call.callee = customer_number;
  } else {
    call.caller = dialler.empty() && !legs.empty() ? legs.front()->caller_num : dialler;
    call.callee = !call.manager.empty() ? call.manager : dialled;
  }

  // How it ended.
  if (call.answered_ms) {
    call.disposition = "answered";
  } else if (in(statuses, "BUSY")) {
    call.disposition = "busy";
  } else if (in(statuses, "CONGESTION") || in(statuses, "CHANUNAVAIL")) {
    call.disposition = "failed";
  } else {
    call.disposition = "no answer";
  }
  const Leg* hangup_leg = !customer_legs.empty() ? customer_legs.front() : legs.front();
  call.hangup_cause = hangup_leg->cause;
  if (call.disposition == "no answer" && (hangup_leg->cause.rfind("17", 0) == 0)) call.disposition = "busy";
  call.recording = g.recording;
  return call;
}

}  // namespace salescore::telephony
