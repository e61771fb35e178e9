// Minimal JSON text building for the engine's hot paths (event payloads, exports).
// Parsing lives with Poco::JSON where speed does not matter.
#pragma once

#include <string>
#include <string_view>

namespace salescore {

// Appends `s` as a JSON string literal (quotes included). Invalid UTF-8 bytes are
// replaced with U+FFFD so the output is always valid JSON.
void append_json_string(std::string& out, std::string_view s);
std::string json_string(std::string_view s);

}  // namespace salescore
