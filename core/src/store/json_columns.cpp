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

std::map<std::string, std::string> parse_string_map(const std::string& json) {
  std::map<std::string, std::string> out;
  if (json.empty() || json == "{}") return out;
  auto obj = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
  for (const auto& [k, v] : *obj) out[k] = v.toString();
  return out;
}

}  // namespace salescore::store
