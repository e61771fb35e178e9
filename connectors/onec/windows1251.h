// windows-1251, the encoding older 1C bases write their exchange files in, as the
// byte -> Unicode map expat asks for when a file declares an encoding it lacks.
#pragma once

#include <array>
#include <string_view>

namespace salescore::onec {

// True for the names a file may declare the encoding by: windows-1251 or cp1251, any case.
bool is_windows1251_name(std::string_view name);

// The Unicode code point of every byte; -1 for 0x98, the one byte the encoding leaves
// undefined (expat then refuses the file as not well-formed).
const std::array<int, 256>& windows1251_code_points();

}  // namespace salescore::onec
