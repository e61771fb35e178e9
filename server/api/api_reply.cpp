#include "api/api_reply.h"

namespace salescore::cli {

int http_status_of(Code code) {
  switch (code) {
    case Code::kOk:
      return 200;
    case Code::kInvalidArgument:
      return 400;
    case Code::kUnauthenticated:
      return 401;
    case Code::kPermissionDenied:
      return 403;
    case Code::kNotFound:
      return 404;
    case Code::kAlreadyExists:
    case Code::kConflict:
      return 409;
    // The request is well formed but the state forbids it (a stage gate, a closed
    // deal): 422 tells a client "fix the record first" apart from a lost race (409).
    case Code::kFailedPrecondition:
      return 422;
    case Code::kResourceExhausted:
      return 429;
    case Code::kUnavailable:
      return 503;
    case Code::kDeadlineExceeded:
      return 504;
    case Code::kInternal:
      return 500;
  }
  return 500;
}

// FieldList already knows how to write JSON; the error body reuses it rather than
// growing a second escaper.
HttpReply error_reply(int http_status, std::string_view code, const std::string& message,
                      const std::map<std::string, std::string>& fields) {
  FieldList field_list;
  for (const auto& [name, problem] : fields) field_list.string(name, problem);
  FieldList error;
  error.string("code", std::string(code));
  error.string("message", message);
  error.json("fields", field_list.to_json());
  FieldList body;
  body.json("error", error.to_json());
  return json_reply(http_status, body.to_json());
}

HttpReply error_reply(const Status& status) {
  FieldList field_list;
  for (const auto& [name, problem] : status.fields()) field_list.string(name, problem);
  FieldList error;
  error.string("code", code_name(status.code()));
  error.string("message", status.message());
  error.json("fields", field_list.to_json());
  if (!status.reason().empty()) error.string("reason", status.reason());
  FieldList body;
  body.json("error", error.to_json());
  // 507 Insufficient Storage (RFC 4918 11.5) for a full disk: a 503 would read as a
  // server busy for a moment.
  const int http_status = status.reason() == "disk_full" ? 507 : http_status_of(status.code());
  return json_reply(http_status, body.to_json());
}

HttpReply json_reply(int http_status, const std::string& json) {
  HttpReply reply;
  reply.status = http_status;
  reply.body = json;
  return reply;
}

HttpReply page_reply(const std::vector<std::string>& item_json, const std::optional<std::string>& next) {
  std::string body;
  std::size_t size = 32;
  for (const auto& item : item_json) size += item.size() + 1;
  body.reserve(size);
  body += "{\"items\":[";
  for (std::size_t i = 0; i < item_json.size(); ++i) {
    if (i) body += ',';
    body += item_json[i];
  }
  body += "],\"next\":";
  body += next ? json_string(*next) : std::string("null");
  body += '}';
  return json_reply(200, body);
}

}  // namespace salescore::cli
