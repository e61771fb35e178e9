// Engine configuration: one INI file, every setting with a default.
//
//   [company]
//   timezone = Europe/Moscow      ; report periods are cut here
//   phone_region = RU             ; region for phones written without +country
//   currency = RUB                ; default currency of orders and deals
//   [storage]
//   durable = false               ; true: synchronous=FULL (survives power loss)
//   busy_timeout_ms = 5000
//   [mandatory]
//   client = name, phone|email    ; "a|b": at least one of them
//   order = number
//
// Command-line options override the file (see server/).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "salescore/status.h"

namespace salescore {

struct Config {
  std::string timezone = "Europe/Moscow";
  std::string phone_region = "RU";
  std::string currency = "RUB";
  bool durable = false;
  int busy_timeout_ms = 5000;
  // entity ("client", "contact", "product", "deal", "order", "interaction", "task")
  // -> groups of field names; each group must have at least one field filled.
  std::map<std::string, std::vector<std::vector<std::string>>> mandatory;

  // Reads an INI file; unknown keys in known sections are errors naming the key, so a
  // typo does not silently fall back to a default.
  static Result<Config> load(const std::string& path);
  // Sets one "section.key" value, as a command-line override does.
  Status set(const std::string& dotted_key, const std::string& value);
};

}  // namespace salescore
