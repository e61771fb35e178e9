// The connector part of the salescore config file that `salescore serve --config FILE`
// reads (INI):
//
//   [plugins]
//   dirs = /opt/salescore/connectors, ./my-connectors   ; searched before the defaults
//
//   [connector.onec]
//   enabled = true
//   login = exchange
//   password = secret
//
//   [connector.shop_msk]      ; one library run as several instances: one per web shop
//   library = webshop
//   ...
//   [connector.shop_spb]
//   library = webshop
//   ...
//
// A section is one connector instance: its name keys the instance's checkpoint, source,
// integration user, dead letters, outbox and health; `library` (default: the section's
// name) says which connector library it runs. The sections are returned raw; each
// connector's runtime validates its own against its schema (connector_config.h).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "host/connector_config.h"

namespace salescore::plugins {

struct ConnectorFileConfig {
  std::vector<std::string> plugin_dirs;
  std::map<std::string, Settings> connectors;  // instance name -> its section
};

// The library a section runs: its `library` key, else the section's own name.
std::string library_of(const std::string& instance, const Settings& section);

// Reads the [plugins] and [connector.*] sections; other sections belong to the engine
// and the server and are left alone. kInvalidArgument when the file cannot be read.
Result<ConnectorFileConfig> read_connector_config(const std::string& path);

}  // namespace salescore::plugins
