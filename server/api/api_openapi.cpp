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

std::string parameter(const std::string& name, const std::string& in, bool required, const std::string& type) {
  return "{\"name\":" + json_string(name) + ",\"in\":\"" + in + "\",\"required\":" + (required ? "true" : "false") +
         ",\"schema\":{\"type\":\"" + type + "\"}}";
}

std::string operation(const Route& route) {
  std::vector<std::string> params;
  if (route.pattern.find("{id}") != std::string::npos) params.push_back(parameter("id", "path", true, "integer"));
  if (route.paged) {
    params.push_back(parameter("after", "query", false, "string"));
    params.push_back(parameter("limit", "query", false, "integer"));
  }
  for (const auto& f : route.filters) params.push_back(parameter(f, "query", false, "string"));
  if (route.method != "GET") params.push_back(parameter("Idempotency-Key", "header", false, "string"));

  std::string op = "{\"summary\":" + json_string(route.summary);
  op += ",\"operationId\":" + json_string(lower(route.method) + route.pattern);
  op += ",\"parameters\":[";
  for (std::size_t i = 0; i < params.size(); ++i) op += (i ? "," : "") + params[i];
  op += "]";
  if (!route.fields.empty()) {
    std::string props;
    for (std::size_t i = 0; i < route.fields.size(); ++i) props += (i ? ",\"" : "\"") + route.fields[i] + "\":{}";
    op += ",\"requestBody\":{\"required\":false,\"content\":{\"application/json\":{\"schema\":{\"type\":\"object\","
          "\"additionalProperties\":false,\"properties\":{" +
          props + "}}}}}";
  }
  const std::string ok = std::to_string(route.success_status);
  const std::string schema = route.paged ? "{\"$ref\":\"#/components/schemas/Page\"}" : "{\"type\":\"object\"}";
  op += ",\"responses\":{\"" + ok + "\":{\"description\":\"OK\",\"content\":{\"application/json\":{\"schema\":" +
        schema + "}}},\"default\":{\"$ref\":\"#/components/responses/Error\"}}";
  if (!route.needs_token) op += ",\"security\":[]";
  op += "}";
  return op;
}

}  // namespace

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

  return "{\"openapi\":\"3.0.3\","
         "\"info\":{\"title\":\"salescore API\",\"version\":\"1\",\"description\":\"See docs/api.md.\"},"
         "\"security\":[{\"bearer\":[]}],"
         "\"paths\":{" +
         paths +
         "},"
         "\"components\":{"
         "\"securitySchemes\":{\"bearer\":{\"type\":\"http\",\"scheme\":\"bearer\"}},"
         "\"schemas\":{"
         "\"Page\":{\"type\":\"object\",\"required\":[\"items\",\"next\"],\"properties\":{"
         "\"items\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}},"
         "\"next\":{\"type\":\"string\",\"nullable\":true}}},"
         "\"Error\":{\"type\":\"object\",\"required\":[\"error\"],\"properties\":{\"error\":{\"type\":\"object\","
         "\"required\":[\"code\",\"message\",\"fields\"],\"properties\":{\"code\":{\"type\":\"string\"},"
         "\"message\":{\"type\":\"string\"},\"fields\":{\"type\":\"object\",\"additionalProperties\":{\"type\":"
         "\"string\"}}}}}}},"
         "\"responses\":{\"Error\":{\"description\":\"An error\",\"content\":{\"application/json\":{\"schema\":"
         "{\"$ref\":\"#/components/schemas/Error\"}}}}}}}";
}

}  // namespace salescore::cli
