// Reading back the JSON text columns records keep nested values in (addresses, custom
// fields, document lists). Writing them is record_fields.h's json_of().
#pragma once

#include <map>
#include <string>
#include <vector>

namespace salescore::store {
std::vector<std::string> parse_string_list(const std::string& json);
std::map<std::string, std::string> parse_string_map(const std::string& json);
// A list of flat objects ([{"kind":"legal","text":"..."}]), each as a string map.
std::vector<std::map<std::string, std::string>> parse_object_list(const std::string& json);
// Values that are not strings come back as their JSON text (12, true, null); damaged
// text throws std::runtime_error naming the offset.
}  // namespace salescore::store
