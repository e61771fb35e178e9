#include "store/json_columns.h"

#include <Poco/JSON/Parser.h>

namespace salescore::store {

std::vector<std::string> parse_string_list(const std::string& json) {
  std::vector<std::string> out;
  if (json.empty() || json == "[]") return out;
  auto arr = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Array::Ptr>();
  for (std::size_t i = 0; i < arr->size(); ++i) out.push_back(arr->getElement<std::string>(static_cast<unsigned>(i)));
  return out;
}

namespace {

// Reads one JSON string at `at` (its opening quote) into `out`, moving `at` past it.
// Only the escapes json_of() writes for ordinary text; false for anything else (\u
// sequences, malformed text), which the caller leaves to the full parser.
bool read_plain_string(const std::string& json, std::size_t& at, std::string& out) {
  if (at >= json.size() || json[at] != '"') return false;
  ++at;
  while (at < json.size()) {
    const std::size_t run = json.find_first_of("\\\"", at);
    if (run == std::string::npos) return false;
    out.append(json, at, run - at);
    at = run + 1;
    if (json[run] == '"') return true;
    if (at >= json.size()) return false;
    switch (json[at++]) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      default: return false;
    }
  }
  return false;
}

// The flat {"name":"value",...} objects json_of() writes, read without building a JSON
// tree: a 1C import loads a hundred thousand products' properties this way, and the
// general parser was a sixth of a re-import's time (bench/run onec).
bool read_flat_map(const std::string& json, std::map<std::string, std::string>& out) {
  if (json.size() < 2 || json.front() != '{' || json.back() != '}') return false;
  std::size_t at = 1;
  while (at < json.size() - 1) {
    std::string key, value;
    if (!read_plain_string(json, at, key) || at >= json.size() || json[at++] != ':') return false;
    if (!read_plain_string(json, at, value) || at >= json.size()) return false;
    out.insert_or_assign(std::move(key), std::move(value));
    if (json[at] == ',') ++at;
    else if (at != json.size() - 1) return false;
  }
  return true;
}

}  // namespace

std::map<std::string, std::string> parse_string_map(const std::string& json) {
  std::map<std::string, std::string> out;
  if (json.empty() || json == "{}") return out;
  if (read_flat_map(json, out)) return out;
  out.clear();  // something the fast reader does not take: the full parser decides
  auto obj = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
  for (const auto& [k, v] : *obj) out[k] = v.toString();
  return out;
}

}  // namespace salescore::store
