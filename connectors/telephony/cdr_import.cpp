#include "cdr_import.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <sstream>

#include "call_record.h"
#include "cdr_reader.h"
#include "cloud_webhooks.h"

namespace salescore::telephony {


bool parse_utc_offset(const std::string& t, int& minutes) {
  if (t.size() != 6 || (t[0] != '+' && t[0] != '-') || t[3] != ':') return false;
  for (int i : {1, 2, 4, 5})
    if (t[i] < '0' || t[i] > '9') return false;
  minutes = ((t[1] - '0') * 10 + (t[2] - '0')) * 60 + (t[4] - '0') * 10 + (t[5] - '0');
  if (t[0] == '-') minutes = -minutes;
  return minutes >= -14 * 60 && minutes <= 14 * 60;
}

sc_status CdrImport::record(std::string_view text, CdrCounts& counts) const {
  const auto rows = read_cdr(text, utc_offset_minutes, counts.errors);
  const auto calls = calls_from_cdr(rows, plan);
  counts.rows += static_cast<std::int64_t>(rows.size());
  counts.calls += static_cast<std::int64_t>(calls.size());
  std::vector<CallRecord> records;
  for (const Call& call : calls) {
    CallRecord r = call_record(call, plan.logins, plan.internal_max_digits);
    if (r.skip) ++counts.internal;
    else records.push_back(std::move(r));
  }
  // A day's file of thousands of calls in transactions of kCallsPerHandOver, not one each.
  for (std::size_t at = 0; at < records.size(); at += kCallsPerHandOver) {
    const std::size_t n = std::min(kCallsPerHandOver, records.size() - at);
    const sc_status st = emit_call_records(api, host, records.data() + at, n);
    if (st == SC_RESOURCE_EXHAUSTED || st == SC_UNAVAILABLE) return st;
    counts.recorded += static_cast<std::int64_t>(n);  // or dead letters with their reasons: visible, replayable
  }
  return SC_OK;
}

sc_status CdrImport::handle(const sc_http_request* request, sc_http_response* response) const {
  if (token.empty()) return api->fail(host, SC_PERMISSION_DENIED, "CDR upload: set cdr_token to accept uploads");
  const char* auth = api->request_header(request, "Authorization");
  if (!auth || !same_secret(std::string(auth), "Bearer " + token))
    return api->fail(host, SC_UNAUTHENTICATED, "CDR upload: missing or wrong Bearer token");
  CdrCounts counts;
  const sc_status st =
      record(std::string_view(reinterpret_cast<const char*>(request->body), request->body_size), counts);
  if (st != SC_OK) return st;  // a 503: send the file again
  Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
  out.set("rows", counts.rows);
  out.set("calls", counts.calls);
  out.set("recorded", counts.recorded);
  out.set("internal", counts.internal);
  Poco::JSON::Array bad;
  for (const auto& e : counts.errors) {
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("line", static_cast<std::int64_t>(e.line));
    o.set("reason", e.reason);
    bad.add(o);
  }
  out.set("errors", bad);
  std::ostringstream text;
  out.stringify(text);
  const std::string body = text.str();
  api->response_status(response, 200);
  api->response_header(response, "Content-Type", "application/json");
  api->response_write(response, body.data(), body.size());
  return SC_OK;
}

}  // namespace salescore::telephony
