// Name tables for enumerations as they appear in JSON, CSV, the CLI and Python: one pair
// of helpers for every enum, so that names and parse errors read the same everywhere.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "salescore/status.h"

namespace salescore::detail {

template <class E, std::size_t N>
const char* name_of(const std::array<std::pair<E, const char*>, N>& table, E v) {
  for (const auto& [e, n] : table)
    if (e == v) return n;
  return "?";
}

template <class E, std::size_t N>
Result<E> parse_from(const std::array<std::pair<E, const char*>, N>& table, std::string_view name,
                     const char* what) {
  std::string allowed;
  for (const auto& [e, n] : table) {
    if (name == n) return e;
    allowed += allowed.empty() ? "" : ", ";
    allowed += n;
  }
  return Status::invalid("unknown " + std::string(what) + " '" + std::string(name) +
                         "' (expected one of: " + allowed + ")");
}

}  // namespace salescore::detail
