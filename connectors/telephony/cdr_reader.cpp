#include "cdr_reader.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <set>

namespace salescore::telephony {

bool split_csv_line(std::string_view line, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"' && field.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c != '\r') {
      field += c;
    }
  }
  fields.push_back(std::move(field));
  return !quoted;
}

namespace {

bool looks_like_uniqueid(const std::string& s) {
  const std::size_t dot = s.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == s.size()) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) || c == '.'; });
}

// "2026-12-07 01:31:17" -> ms; "" -> 0; false for anything else.
bool cdr_time(const std::string& text, int offset_minutes, std::int64_t& ms) {
  ms = 0;
  if (text.empty()) return true;
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%d %H:%M:%S", &tm);
  if (!end || *end) return false;
  ms = (static_cast<std::int64_t>(timegm(&tm)) - offset_minutes * 60LL) * 1000;
  return true;
}

bool number(const std::string& text, std::int64_t& out) {
  if (text.empty() || text.size() > 12 || !std::all_of(text.begin(), text.end(), ::isdigit)) return false;
  out = std::stoll(text);
  return true;
}

}  // namespace

std::vector<CdrRow> read_cdr(std::string_view text, int utc_offset_minutes, std::vector<CdrError>& errors) {
  std::vector<CdrRow> rows;
  std::vector<std::string> f;
  std::size_t line_no = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    if (line.empty() || line == "\r") continue;
    if (!split_csv_line(line, f)) {
      errors.push_back({line_no, "an unterminated quote"});
      continue;
    }
    const std::size_t n = f.size();
    if (n < 16 || n > 21) {
      errors.push_back({line_no, std::to_string(n) + " columns; Master.csv rows have 16 to 21"});
      continue;
    }
    CdrRow r;
    r.line = line_no;
    r.src = f[1], r.dst = f[2], r.dcontext = f[3], r.clid = f[4], r.channel = f[5], r.dstchannel = f[6];
    r.lastapp = f[7], r.lastdata = f[8], r.disposition = f[14];
    std::size_t next = 16;
    // After amaflags: uniqueid and/or userfield, then (newcdrcolumns) peeraccount, linkedid, sequence.
    const bool new_columns = n >= 19;
    const std::size_t middle = n - 16 - (new_columns ? 3 : 0);
    if (middle == 2) r.uniqueid = f[next++], r.userfield = f[next++];
    else if (middle == 1 && looks_like_uniqueid(f[next])) r.uniqueid = f[next++];
    else if (middle == 1) r.userfield = f[next++];
    if (new_columns) r.linkedid = f[next + 1];
    std::string bad;
    if (!cdr_time(f[9], utc_offset_minutes, r.start_ms) || r.start_ms == 0) bad = "start '" + f[9] + "' is no time";
    else if (!cdr_time(f[10], utc_offset_minutes, r.answer_ms)) bad = "answer '" + f[10] + "' is no time";
    else if (!cdr_time(f[11], utc_offset_minutes, r.end_ms)) bad = "end '" + f[11] + "' is no time";
    else if (!number(f[12], r.duration_s)) bad = "duration '" + f[12] + "' is no number of seconds";
    else if (!number(f[13], r.billsec)) bad = "billsec '" + f[13] + "' is no number of seconds";
    else if (r.channel.empty()) bad = "no channel";
    if (!bad.empty()) {
      errors.push_back({line_no, bad});
      continue;
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

namespace {

struct Groups {
  std::map<std::string, std::string> parent;
  std::string find(const std::string& k) {
    auto it = parent.find(k);
    if (it == parent.end()) return parent[k] = k;
    if (it->second == k) return k;
    return it->second = find(it->second);
  }
  void join(const std::string& a, const std::string& b) { parent[find(a)] = find(b); }
};

std::string day_of(std::int64_t ms) { return std::to_string(ms / 86'400'000); }

}  // namespace

std::vector<Call> calls_from_cdr(const std::vector<CdrRow>& rows, const PbxPlan& plan) {
  Groups g;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const CdrRow& r = rows[i];
    const std::string me = "row:" + std::to_string(i);
    g.find(me);
    if (!r.linkedid.empty()) g.join(me, "l:" + r.linkedid);
    if (!r.uniqueid.empty()) g.join(me, "u:" + r.uniqueid);
    if (r.linkedid.empty()) {
      // Channel numbers restart with Asterisk: a channel joins rows of the same day only.
      g.join(me, "c:" + party_of(r.channel) + "#" + day_of(r.start_ms));
      if (!r.dstchannel.empty()) g.join(me, "c:" + party_of(r.dstchannel) + "#" + day_of(r.start_ms));
    }
  }
  std::map<std::string, std::vector<const CdrRow*>> groups;
  for (std::size_t i = 0; i < rows.size(); ++i) groups[g.find("row:" + std::to_string(i))].push_back(&rows[i]);

  std::vector<Call> calls;
  for (auto& [root, members] : groups) {
    Call call;
    std::string key;
    for (const CdrRow* r : members) {
      for (const std::string* id : {&r->linkedid, &r->uniqueid})
        if (!id->empty() && (key.empty() || uniqueid_less(*id, key))) key = *id;
    }
    call.key = key.empty() ? "cdr:" + members.front()->channel + "@" + std::to_string(members.front()->start_ms)
                           : "asterisk:" + key;
    call.started_ms = members.front()->start_ms;
    for (const CdrRow* r : members) {
      call.started_ms = std::min(call.started_ms, r->start_ms);
      call.ended_ms = std::max(call.ended_ms, r->end_ms);
      if (call.recording.empty() && !r->userfield.empty()) call.recording = r->userfield;
    }
    // The customer's side: a trunk channel (inbound) or destination (outbound), else a context.
    std::set<std::string> customer;
    for (const CdrRow* r : members) {
      std::string how;
      if (plan.is_trunk(endpoint_of(r->channel))) how = "inbound";
      else if (!r->dstchannel.empty() && plan.is_trunk(endpoint_of(r->dstchannel))) how = "outbound";
      else if (std::count(plan.inbound_contexts.begin(), plan.inbound_contexts.end(), r->dcontext)) how = "inbound";
      else if (std::count(plan.outbound_contexts.begin(), plan.outbound_contexts.end(), r->dcontext)) how = "outbound";
      if (how.empty()) continue;
      if (call.direction.empty()) call.direction = how;
      if (how == "inbound" && call.customer.empty()) call.customer = r->src;
      if (how == "outbound" && call.customer.empty()) call.customer = r->dst;
      customer.insert(party_of(how == "outbound" && plan.is_trunk(endpoint_of(r->dstchannel)) ? r->dstchannel
                                                                                              : r->channel));
    }
    if (call.direction.empty()) call.direction = "internal";
    // The legs dialled from the customer's side: who rang, who answered.
    std::vector<std::string> statuses;
    std::set<std::string> rang;
    const CdrRow* answering = nullptr;
    std::string dialled;
    for (const CdrRow* r : members) {
      if (r->dstchannel.empty() || (!customer.empty() && !customer.count(party_of(r->channel)))) continue;
      const std::string ext = plan.extension_of(endpoint_of(r->dstchannel));
      if (ext.empty() || customer.count(party_of(r->dstchannel))) continue;
      if (dialled.empty()) dialled = r->dst;
      rang.insert(ext);
      statuses.push_back(r->disposition);
      if (r->disposition == "ANSWERED" && r->answer_ms && (!answering || r->answer_ms < answering->answer_ms))
        answering = r;
    }
    if (answering) {
      call.manager = plan.extension_of(endpoint_of(answering->dstchannel));
      call.answered_ms = answering->answer_ms;
      call.ended_ms = answering->answer_ms + std::max<std::int64_t>(1, answering->billsec) * 1000;
      call.started_ms = std::min(call.started_ms, answering->start_ms);
      call.disposition = "answered";
    } else if (std::count(statuses.begin(), statuses.end(), "BUSY")) {
      call.disposition = "busy";
    } else if (std::count(statuses.begin(), statuses.end(), "CONGESTION") ||
               std::count(statuses.begin(), statuses.end(), "FAILED")) {
      call.disposition = "failed";
    } else {
      call.disposition = "no answer";
    }
    for (const auto& ext : rang)
      if (ext != call.manager) call.rang_not_answered.push_back(ext);
    if (call.direction == "inbound") {
      call.caller = call.customer;
      call.callee = dialled.empty() ? call.manager : dialled;
    } else {
      call.caller = call.manager;
      call.callee = call.customer;
    }
    calls.push_back(std::move(call));
  }
  return calls;
}

}  // namespace salescore::telephony
