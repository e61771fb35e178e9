// What a route answers: an HTTP status and a JSON body, and the helpers that build the
// replies every route shares (a record, a page of records, an error).
//
// Errors are {"error":{"code":"not_found","message":"...","fields":{...}}}: `code` is
// the engine's code name (status.h) or one of the server's own ("unauthenticated",
// "payload_too_large", "method_not_allowed"), `fields` names each bad field.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/http_message.h"
#include "salescore/record_fields.h"
#include "salescore/status.h"

namespace salescore::cli {

struct HttpReply {
  int status = 200;
  std::string body;         // JSON (text for /metrics)
  std::string allow;        // the Allow header of a 405
  int retry_after = 0;      // the Retry-After header of a 429, in seconds
  bool replayed = false;    // kept from an earlier request under its Idempotency-Key
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;  // more headers (Set-Cookie of a login)
  // Set: `body` is only the start, and the rest is produced piece by piece after the
  // head has gone out (a streamed export: http::HttpResponse::stream).
  http::BodyStream stream;
};

// The HTTP status that tells a client what an engine error means for its request.
int http_status_of(Code code);

HttpReply error_reply(int http_status, std::string_view code, const std::string& message,
                      const std::map<std::string, std::string>& fields = {});
HttpReply error_reply(const Status& status);

HttpReply json_reply(int http_status, const std::string& json);

// One record: `fields_of(record)` as JSON.
template <class T>
HttpReply record_reply(const Result<T>& result, int http_status = 200) {
  if (!result.ok()) return error_reply(result.status());
  return json_reply(http_status, fields_of(*result).to_json());
}

// {"items":[...],"next":"<cursor>"|null}. `next` is the cursor of the following page,
// null on the last one.
HttpReply page_reply(const std::vector<std::string>& item_json, const std::optional<std::string>& next);

}  // namespace salescore::cli
