// One loaded connector library: the dlopen handle, the connector's callback table and
// a C++ copy of what it declared (name, version, capabilities, config schema).
//
// Opening a library performs the ABI handshake; anything wrong with the library is
// reported as a Status whose message names the file and the reason, so the loader can
// log it and carry on with the others.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "salescore/plugin_api.h"
#include "salescore/status.h"

namespace salescore::plugins {

enum class OptionType { kString, kInt, kBool };
const char* option_type_name(OptionType t);

struct ConfigOption {
  std::string name;
  OptionType type = OptionType::kString;
  std::optional<std::string> default_value;
  bool required = false;
  bool secret = false;
  std::string description;
  std::vector<std::string> choices;  // empty: any value of the type
};

struct ConnectorDescriptor {
  std::string name;
  std::string version;
  std::string description;
  int abi_major = 0;
  int abi_minor = 0;
  std::uint32_t capabilities = 0;
  std::vector<ConfigOption> config;
  std::vector<std::string> subscriptions;
  std::uint32_t poll_interval_ms = 0;
  std::string file;  // the library it came from

  bool can(std::uint32_t capability) const { return (capabilities & capability) != 0; }
};

// "poll, routes, session, deliver"
std::string capability_names(std::uint32_t capabilities);

class ConnectorLibrary {
 public:
  // Loads `path`, calls its entry point with `host_api` and checks what it declared.
  // Refuses (kFailedPrecondition, message "FILE: reason") a library that cannot be
  // loaded, has no entry point, speaks another ABI major, or declares an inconsistent
  // table (a capability without its callback, a malformed config schema).
  // `host_api` defaults to the host's own service table.
  static Result<std::shared_ptr<ConnectorLibrary>> open(const std::string& path, const sc_host_api* host_api);
  ~ConnectorLibrary();
  ConnectorLibrary(const ConnectorLibrary&) = delete;
  ConnectorLibrary& operator=(const ConnectorLibrary&) = delete;

  const ConnectorDescriptor& descriptor() const { return descriptor_; }
  // The callbacks, zero past the size the connector reported.
  const sc_connector_v1& table() const { return table_; }
  const std::string& path() const { return descriptor_.file; }

 private:
  ConnectorLibrary() = default;
  void* handle_ = nullptr;
  sc_connector_v1 table_{};
  ConnectorDescriptor descriptor_;
};

}  // namespace salescore::plugins
