// Free text as people type it: surrounding spaces, tabs and line breaks are not content.
#pragma once

#include <cctype>
#include <string>

namespace salescore::detail {

inline void trim(std::string& v) {
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.pop_back();
  std::size_t b = 0;
  while (b < v.size() && std::isspace(static_cast<unsigned char>(v[b]))) ++b;
  v.erase(0, b);
}

}  // namespace salescore::detail
