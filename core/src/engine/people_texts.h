// Texts the engine writes for people (task titles, notes, reminders, escalations) in
// `[company] language` (ru, en, zh, bg), like the reports: written here, in core, so a
// task made through REST, Python, the CLI or a connector reads the same.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace salescore::detail {

struct EngineState;

// The text `key` in `lang` with {1}, {2}, ... replaced by `args`. An unknown language
// falls back to English; an unknown key is returned as it is, so a missing text shows.
std::string people_text(std::string_view lang, std::string_view key, const std::vector<std::string>& args = {});
// The same in the company's language.
std::string say(const EngineState& s, std::string_view key, const std::vector<std::string>& args = {});

}  // namespace salescore::detail
