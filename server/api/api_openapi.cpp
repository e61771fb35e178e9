#include "api/api_openapi.h"

#include <map>
#include <vector>

#include "api/api_router.h"

namespace salescore::cli {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string ref(const std::string& schema) { return "{\"$ref\":\"#/components/schemas/" + schema + "\"}"; }

std::string string_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + json_string(items[i]);
  return out + "]";
}

// Money and quantities are decimal strings: a JSON number may not be exact.
constexpr const char* kDecimal = "\"type\":\"string\",\"format\":\"decimal\",\"pattern\":\"^-?[0-9][0-9 ]*([.,][0-9]+)?$\"";

std::string object_schema(const Fields& fields, bool reply);

// One field as JSON Schema (OpenAPI 3.0 dialect: `nullable`). A reply's nested objects
// list every field as required, as the server always writes them.
std::string field_schema(const FieldSpec& f, bool reply) {
  std::string s;
  switch (f.type) {
    case FieldType::kUndescribed: s = ""; break;
    case FieldType::kText: s = "\"type\":\"string\""; break;
    case FieldType::kId: s = "\"type\":\"integer\",\"format\":\"int64\",\"minimum\":1"; break;
    case FieldType::kInteger: s = "\"type\":\"integer\",\"format\":\"int64\""; break;
    case FieldType::kBool: s = "\"type\":\"boolean\""; break;
    case FieldType::kAmount: s = kDecimal; break;
    case FieldType::kQuantity:
      s = reply ? std::string(kDecimal) : "\"oneOf\":[{" + std::string(kDecimal) + "},{\"type\":\"integer\"}]";
      break;
    case FieldType::kInstant: s = "\"type\":\"string\",\"format\":\"date-time\""; break;
    case FieldType::kDate: s = "\"type\":\"string\",\"format\":\"date\""; break;
    case FieldType::kChoice:
      s = "\"type\":\"string\",\"enum\":" +
          string_list(f.choices);
      break;
    case FieldType::kTexts: s = "\"type\":\"array\",\"items\":{\"type\":\"string\"}"; break;
    case FieldType::kIds: s = "\"type\":\"array\",\"items\":{\"type\":\"integer\",\"format\":\"int64\"}"; break;
    case FieldType::kTextMap: s = "\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}"; break;
    case FieldType::kObject: {
      const std::string inner = object_schema(Fields(f.items), reply);
      s = inner.substr(1, inner.size() - 2);
      break;
    }
    case FieldType::kObjects: s = "\"type\":\"array\",\"items\":" + object_schema(Fields(f.items), reply); break;
    case FieldType::kObjectMap:
      s = "\"type\":\"object\",\"additionalProperties\":" + object_schema(Fields(f.items), reply);
      break;
    case FieldType::kAny: s = ""; break;
  }
  auto add = [&s](const std::string& part) { s += (s.empty() ? "" : ",") + part; };
  if (f.nullable && f.type != FieldType::kAny && f.described()) add("\"nullable\":true");
  if (f.minimum) add("\"minimum\":" + std::to_string(*f.minimum));
  if (f.maximum) add("\"maximum\":" + std::to_string(*f.maximum));
  if (!f.about.empty()) add("\"description\":" + json_string(f.about));
  if (!f.example.empty()) add("\"example\":" + f.example);
  return "{" + s + "}";
}

// An object of `fields`: nothing else allowed. A reply requires every field (the server
// writes them all); a request those the route needs.
std::string object_schema(const Fields& fields, bool reply) {
  std::string props;
  std::vector<std::string> required;
  for (const FieldSpec& f : fields) {
    props += (props.empty() ? "" : ",") + json_string(f.name) + ":" + field_schema(f, reply);
    if (reply ? !f.sometimes : f.required) required.push_back(f.name);
  }
  std::string s = "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{" + props + "}";
  if (!required.empty()) s += ",\"required\":" + string_list(required);
  return s + "}";
}

std::string parameter(const std::string& name, const std::string& in, bool required, const std::string& schema) {
  return "{\"name\":" + json_string(name) + ",\"in\":\"" + in + "\",\"required\":" + (required ? "true" : "false") +
         ",\"schema\":" + schema + "}";
}

std::string page_schema(const std::string& item) {
  return "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"items\",\"next\"],\"properties\":{"
         "\"items\":{\"type\":\"array\",\"items\":" +
         item +
         "},\"next\":{\"type\":\"string\",\"nullable\":true,\"description\":\"The cursor of the next page (?after=), "
         "null on the last one\"}}}";
}

std::string success_content(const Reply& reply) {
  switch (reply.shape) {
    case Reply::Shape::kRecord: return "{\"application/json\":{\"schema\":" + ref(reply.schema) + "}}";
    case Reply::Shape::kPage: return "{\"application/json\":{\"schema\":" + page_schema(ref(reply.schema)) + "}}";
    case Reply::Shape::kText: return "{" + json_string(reply.schema) + ":{\"schema\":{\"type\":\"string\"}}}";
    case Reply::Shape::kDocument: return "{\"application/json\":{\"schema\":{\"type\":\"object\"}}}";
    case Reply::Shape::kUndescribed: break;
  }
  return "{\"application/json\":{\"schema\":{}}}";
}

std::string operation(const Route& route) {
  std::vector<std::string> params;
  if (route.pattern.find("{id}") != std::string::npos)
    params.push_back(parameter("id", "path", true, "{\"type\":\"integer\",\"format\":\"int64\",\"minimum\":1}"));
  if (route.paged) {
    params.push_back(parameter("after", "query", false,
                               "{\"type\":\"string\",\"description\":\"The cursor of the previous page's next\"}"));
    params.push_back(parameter("limit", "query", false,
                               "{\"type\":\"integer\",\"minimum\":1,\"maximum\":" + std::to_string(kMaxPageSize) +
                                   ",\"description\":\"At most this many items (more is cut to the maximum)\"}"));
  }
  // Typed from the descriptions QueryReader holds the reads to (api_query.h).
  for (const FieldSpec& f : route.filters)
    params.push_back(
        parameter(f.name, "query", f.required, f.described() ? field_schema(f, false) : "{\"type\":\"string\"}"));
  if (route.method != "GET") params.push_back(parameter("Idempotency-Key", "header", false, "{\"type\":\"string\"}"));

  std::string op = "{\"summary\":" + json_string(route.summary);
  op += ",\"operationId\":" + json_string(lower(route.method) + route.pattern);
  op += ",\"parameters\":[";
  for (std::size_t i = 0; i < params.size(); ++i) op += (i ? "," : "") + params[i];
  op += "]";
  if (route.method != "GET") {
    // Every write takes a JSON object; an action without fields takes {} or nothing.
    op += ",\"requestBody\":{\"required\":false,\"content\":{\"application/json\":{\"schema\":" +
          object_schema(route.fields, false) + "}}}";
  }
  const std::string ok = std::to_string(route.success_status);
  const std::string content = success_content(route.reply);
  op += ",\"responses\":{\"" + ok + "\":{\"description\":\"OK\"" + (content.empty() ? "" : ",\"content\":" + content) +
        "},\"default\":{\"$ref\":\"#/components/responses/Error\"}}";
  if (!route.needs_token) op += ",\"security\":[]";
  op += "}";
  return op;
}

// The error body every failure answers (api_reply.h): the engine's code names and the
// server's own, and the reasons that refine a code for clients mapping errors to types.
std::string error_schema() {
  const std::vector<std::string> codes = {"invalid_argument", "not_found",        "already_exists",
                                          "failed_precondition", "permission_denied", "unauthenticated",
                                          "conflict",         "unavailable",      "deadline_exceeded",
                                          "resource_exhausted", "internal",        "payload_too_large",
                                          "method_not_allowed", "request_timeout", "uri_too_long",
                                          "request_header_fields_too_large", "not_implemented",
                                          "http_version_not_supported"};
  return "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"error\"],\"properties\":{\"error\":{"
         "\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"code\",\"message\",\"fields\"],"
         "\"properties\":{"
         "\"code\":{\"type\":\"string\",\"enum\":" +
         string_list(codes) +
         ",\"description\":\"400 invalid_argument, 401 unauthenticated, 403 permission_denied, 404 not_found, "
         "405 method_not_allowed, 408 request_timeout, 409 already_exists or conflict, 413 payload_too_large, "
         "414 uri_too_long, 422 failed_precondition, 429 resource_exhausted, 431 request_header_fields_too_large, "
         "500 internal, 501 not_implemented, 503 unavailable, 504 deadline_exceeded, "
         "505 http_version_not_supported, 507 unavailable (reason disk_full)\"},"
         "\"message\":{\"type\":\"string\",\"description\":\"For people: what is wrong\"},"
         "\"fields\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"},\"description\":"
         "\"Each bad field (\\\"lines[0].sku\\\") and its problem\",\"example\":{\"stage\":\"required\"}},"
         "\"reason\":{\"type\":\"string\",\"enum\":" +
         string_list(error_reasons()) +
         ",\"description\":\"Refines the code: stage_gate (a stage needs fields or documents), approval_required, "
         "read_only, schema_too_new, disk_full (507)\"}}}}}";
}

}  // namespace

const std::vector<std::string>& error_reasons() {
  static const std::vector<std::string> reasons = {"stage_gate", "approval_required", "read_only", "schema_too_new",
                                                   "disk_full"};
  return reasons;
}

std::string openapi_document() {
  // Paths in table order; one path holds its methods.
  std::vector<std::string> order;
  std::map<std::string, std::string> operations;
  for (const Route& route : api_routes()) {
    auto& ops = operations[route.pattern];
    if (ops.empty()) order.push_back(route.pattern);
    ops += (ops.empty() ? "" : ",") + json_string(lower(route.method)) + ":" + operation(route);
  }
  std::string paths;
  for (std::size_t i = 0; i < order.size(); ++i)
    paths += (i ? "," : "") + json_string(order[i]) + ":{" + operations[order[i]] + "}";

  std::string schemas = "\"Error\":" + error_schema();
  for (const auto& [name, fields] : api_schemas()) schemas += "," + json_string(name) + ":" + object_schema(fields, true);

  return "{\"openapi\":\"3.0.3\","
         "\"info\":{\"title\":\"salescore API\",\"version\":\"1\",\"description\":\"See docs/api.md.\"},"
         "\"security\":[{\"bearer\":[]}],"
         "\"paths\":{" +
         paths +
         "},"
         "\"components\":{"
         "\"securitySchemes\":{\"bearer\":{\"type\":\"http\",\"scheme\":\"bearer\"}},"
         "\"schemas\":{" +
         schemas +
         "},"
         "\"responses\":{\"Error\":{\"description\":\"An error\",\"content\":{\"application/json\":{\"schema\":"
         "{\"$ref\":\"#/components/schemas/Error\"}}}}}}}";
}

}  // namespace salescore::cli
