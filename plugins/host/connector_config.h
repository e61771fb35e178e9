// A connector's configuration: its section of the config file ([connector.NAME])
// validated against the schema the connector declared, plus the options the host
// itself reads for every connector (schedule, retries, backpressure).
//
// As in Fluent Bit's config_map, the one schema validates, fills defaults and prints
// the docs. Secret values never appear in an error, a log line or describe output.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "host/connector_library.h"
#include "salescore/status.h"

namespace salescore::plugins {

// Raw key -> value of one config section, as read from the INI file.
using Settings = std::map<std::string, std::string>;

// What the host reads for every connector, whatever its own schema says.
struct RuntimeSettings {
  bool enabled = true;
  std::int64_t poll_interval_ms = 60000;
  std::int64_t retry_base_ms = 1000;    // full-jitter backoff: the first retry waits up to this
  std::int64_t retry_cap_ms = 300000;   // ... and no wait is ever longer than this
  int retry_limit = 8;                  // retries after the first attempt, then a dead letter
  std::int64_t outbox_limit = 1000;     // pending outbox items at which intake pauses
  std::int64_t inbox_days = 30;         // idempotency keys are kept this long; 0: forever
};

// The host's own options, valid in every [connector.NAME] section.
bool is_host_option(const std::string& name);
std::string host_option_names();  // "enabled, poll_interval_ms, ..."
// The host options described as schema entries, for docs.
std::vector<ConfigOption> host_options(const ConnectorDescriptor& d);

// Checks one value against its option's type and choices; never echoes a secret.
Status check_option_value(const ConfigOption& option, const std::string& value);

class ConnectorConfig {
 public:
  // The value of `key` with its default filled in; nullptr when unknown or unset.
  // "instance" is the instance's name (its section's), set by the host.
  const std::string* get(const std::string& key) const;
  const std::map<std::string, std::string>& values() const { return values_; }
  bool is_secret(const std::string& key) const { return secrets_.count(key) > 0; }
  // The value as it may be shown to people: "***" for a secret.
  std::string shown(const std::string& key) const;
  // `text` with every secret value replaced by "***": what the host does to every log
  // line a connector writes, so a careless log call cannot leak a password.
  std::string mask_secrets(std::string text) const;
  const RuntimeSettings& runtime() const { return runtime_; }

 private:
  friend Result<ConnectorConfig> validate_config(const ConnectorDescriptor& d, const Settings& settings,
                                                 const std::string& instance);
  std::map<std::string, std::string> values_;
  std::set<std::string> secrets_;
  RuntimeSettings runtime_;
};

// Validates `settings` against the connector's schema and the host options: unknown
// keys, missing required options, values of the wrong type or outside their choices.
// The error (kInvalidArgument) names the connector, its file and every bad key, with
// the key -> problem map in fields(). `instance` is the section's name (empty: the
// connector's own), for a library run as several instances.
Result<ConnectorConfig> validate_config(const ConnectorDescriptor& d, const Settings& settings,
                                        const std::string& instance = "");

// Whether `name` may name a connector instance ([connector.NAME]): [a-z0-9_]+, as a
// connector's own name. It becomes a login and a records' source.
bool is_instance_name(const std::string& name);

// The connector as docs: what it is, its capabilities and its config options
// (`salescore plugins describe NAME`).
std::string describe_connector(const ConnectorDescriptor& d);

}  // namespace salescore::plugins
