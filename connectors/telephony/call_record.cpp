#include "call_record.h"

#include <Poco/JSON/Object.h>

#include <cctype>
#include <ctime>
#include <sstream>

namespace salescore::telephony {

std::string iso_seconds(std::int64_t ms) {
  const std::time_t t = static_cast<std::time_t>((ms >= 0 ? ms : ms - 999) / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string outside_number(const std::string& raw, std::size_t internal_max_digits) {
  std::string digits;
  for (char c : raw) {
    if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
    else if (c == '+' && digits.empty()) continue;
    else if (c != ' ' && c != '-' && c != '(' && c != ')') return "";
  }
  if (digits.size() <= internal_max_digits) return "";
  return (raw.find('+') != std::string::npos ? "+" : "") + digits;
}

namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

std::string subject_of(const Call& c) {
  const bool answered = c.disposition == "answered";
  std::string s = answered ? (c.direction == "inbound" ? "Inbound call" : "Outbound call")
                           : (c.direction == "inbound" ? "Missed call" : "Unanswered call");
  if (!c.caller.empty()) s += " from " + c.caller;
  if (!c.callee.empty()) s += " to " + c.callee;
  s += answered ? (c.manager.empty() ? std::string(": answered") : ": answered by " + c.manager)
                : " (" + c.disposition + ")";
  return s;
}

std::string body_of(const Call& c, const std::map<std::string, std::string>& logins) {
  std::ostringstream b;
  b << "disposition: " << c.disposition << "\n";
  b << "ring: " << c.ring_s() << " s\n";
  b << "talk: " << c.talk_s() << " s\n";
  if (!c.manager.empty())
    b << (c.disposition == "answered" ? "answered by: " : "placed by: ") << c.manager
      << (logins.count(c.manager) ? "" : " (no salescore login configured)") << "\n";
  if (!c.rang_not_answered.empty()) b << "rang, not answered: " << joined(c.rang_not_answered) << "\n";
  if (!c.transferred_to.empty()) b << "transferred to: " << joined(c.transferred_to) << "\n";
  if (!c.hangup_cause.empty()) b << "hangup cause: " << c.hangup_cause << "\n";
  if (!c.recording.empty()) b << "recording: " << c.recording << "\n";
  if (c.closed_by == "resync")
    b << "closed by the resync after a reconnect: its hangup was missed while AMI was disconnected\n";
  else if (c.closed_by == "timeout")
    b << "closed by timeout: no hangup was seen, the end time is when it was given up\n";
  return b.str();
}

}  // namespace

CallRecord call_record(const Call& c, const std::map<std::string, std::string>& logins,
                       std::size_t internal_max_digits) {
  CallRecord r;
  r.external_id = c.key;
  r.idempotency_key = c.closed_by.empty() ? "call:" + c.key : "";
  if (c.direction == "internal") {
    r.skip = true;
    return r;
  }
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("kind", "call");
  o.set("direction", c.direction);
  o.set("occurred_at", iso_seconds(c.started_ms));
  o.set("duration_s", c.talk_s());
  o.set("subject", subject_of(c));
  o.set("body", body_of(c, logins));
  o.set("phone", outside_number(c.customer, internal_max_digits));
  if (auto it = logins.find(c.manager); it != logins.end()) o.set("user", it->second);
  // The same facts as data (core's CallFacts), so reports need not read the body.
  o.set("caller", c.caller);
  o.set("callee", c.callee);
  o.set("manager", c.manager);
  o.set("ring_s", c.ring_s());
  o.set("disposition", c.disposition == "no answer" ? std::string("no_answer") : c.disposition);
  o.set("hangup_cause", c.hangup_cause);
  o.set("recording", c.recording);
  o.set("pbx_call_id", c.key.substr(c.key.find(':') + 1));  // "asterisk:1796.0" -> "1796.0"
  std::string rang;
  for (const auto& e : c.rang_not_answered) rang += (rang.empty() ? "" : ",") + e;
  o.set("rang_not_answered", rang);
  std::ostringstream out;
  o.stringify(out);
  r.json = out.str();
  return r;
}

namespace {

sc_record record_of(const std::string& external_id, const std::string& json, const std::string& idempotency_key) {
  sc_record rec{};
  rec.struct_size = sizeof rec;
  rec.entity = "call";
  rec.source = "telephony";
  rec.external_id = external_id.c_str();
  rec.json = json.c_str();
  rec.json_size = json.size();
  rec.idempotency_key = idempotency_key.c_str();
  return rec;
}

}  // namespace

sc_status emit_call_record(const sc_host_api* api, sc_host* host, const std::string& external_id,
                           const std::string& json, const std::string& idempotency_key) {
  const sc_record rec = record_of(external_id, json, idempotency_key);
  return api->emit_record(host, &rec);
}

sc_status emit_call_records(const sc_host_api* api, sc_host* host, const CallRecord* calls, std::size_t count) {
  std::vector<sc_record> records;
  records.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
    records.push_back(record_of(calls[i].external_id, calls[i].json, calls[i].idempotency_key));
  return records.empty() ? SC_OK : api->emit_records(host, records.data(), records.size());
}

}  // namespace salescore::telephony
