// Finds and loads connector libraries.
//
// Every file named salescore_connector_*.so in the searched directories is loaded; a
// library that is refused (cannot be loaded, no entry point, another ABI major, a bad
// table) is reported with its file and the reason and the others load on. Connectors
// built with salescore are found without configuration: the directory of the running
// executable (the build tree puts them beside bin/salescore), and the install prefix's
// lib/salescore/connectors.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "host/connector_library.h"

namespace salescore::plugins {

struct LoaderOptions {
  std::vector<std::string> dirs;      // configured directories, searched first
  bool include_default_dirs = true;   // then beside the executable and the install prefix
};

struct LoadFailure {
  std::string file;    // the library, or the directory that could not be read
  std::string reason;  // the whole message, naming the file
};

struct LoadReport {
  std::vector<std::shared_ptr<ConnectorLibrary>> loaded;
  std::vector<LoadFailure> refused;
};

// The file name a connector library must have: salescore_connector_<name>.so.
bool is_connector_file_name(const std::string& file_name);

// Beside the running executable, then <exe>/../lib/salescore/connectors, then the
// compiled-in install directory; only those that exist.
std::vector<std::string> default_connector_dirs();

// Loads every connector library found in the directories, in directory order and by
// file name within one. `host_api` defaults to the host's own service table.
LoadReport load_connector_libraries(const LoaderOptions& options, const sc_host_api* host_api = nullptr);

}  // namespace salescore::plugins
