#include "host/connector_config.h"

#include <algorithm>
#include <charconv>

namespace salescore::plugins {
namespace {

const char* const kHostOptionNames[] = {"library", "enabled", "poll_interval_ms", "retry_base_ms", "retry_cap_ms", "retry_limit",
                                        "outbox_limit", "inbox_days"};

Result<std::int64_t> parse_int(const std::string& text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty())
    return Status::invalid("expected an integer");
  return v;
}

Result<bool> parse_bool(const std::string& text) {
  std::string t = text;
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  if (t == "true" || t == "yes" || t == "on" || t == "1") return true;
  if (t == "false" || t == "no" || t == "off" || t == "0") return false;
  return Status::invalid("expected true or false");
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

// Reads the host options out of the filled-in values.
Status read_runtime(const std::map<std::string, std::string>& v, RuntimeSettings& r,
                    std::map<std::string, std::string>& errors) {
  auto integer = [&](const char* key, std::int64_t min, std::int64_t& out) {
    auto it = v.find(key);
    if (it == v.end()) return;
    auto n = parse_int(it->second);
    if (!n.ok()) return;  // reported by the type check already
    if (*n < min) errors[key] = "must be at least " + std::to_string(min);
    else out = *n;
  };
  if (auto it = v.find("enabled"); it != v.end()) {
    auto b = parse_bool(it->second);
    if (b.ok()) r.enabled = *b;
  }
  integer("poll_interval_ms", 1, r.poll_interval_ms);
  integer("retry_base_ms", 1, r.retry_base_ms);
  integer("retry_cap_ms", 1, r.retry_cap_ms);
  std::int64_t limit = r.retry_limit;
  integer("retry_limit", 0, limit);
  r.retry_limit = static_cast<int>(std::min<std::int64_t>(limit, 1000));
  integer("outbox_limit", 1, r.outbox_limit);
  integer("inbox_days", 0, r.inbox_days);
  if (r.retry_cap_ms < r.retry_base_ms && !errors.count("retry_cap_ms"))
    errors["retry_cap_ms"] = "must not be smaller than retry_base_ms (" + std::to_string(r.retry_base_ms) + ")";
  return Status::ok();
}

}  // namespace

bool is_host_option(const std::string& name) {
  for (const char* n : kHostOptionNames)
    if (name == n) return true;
  return false;
}

std::string host_option_names() {
  std::vector<std::string> names(std::begin(kHostOptionNames), std::end(kHostOptionNames));
  return join(names, ", ");
}

std::vector<ConfigOption> host_options(const ConnectorDescriptor& d) {
  RuntimeSettings defaults;
  auto opt = [](std::string name, OptionType type, std::string def, std::string description) {
    ConfigOption o;
    o.name = std::move(name);
    o.type = type;
    o.default_value = std::move(def);
    o.description = std::move(description);
    return o;
  };
  std::vector<ConfigOption> out;
  out.push_back(opt("library", OptionType::kString, d.name,
                    "the connector library this section runs: a second instance of one (another shop) "
                    "is a section of its own name with library = " + d.name));
  out.push_back(opt("enabled", OptionType::kBool, "true", "false: the connector is listed but not started"));
  if (d.can(SC_CAP_POLL))
    out.push_back(opt("poll_interval_ms", OptionType::kInt,
                      std::to_string(d.poll_interval_ms ? d.poll_interval_ms : defaults.poll_interval_ms),
                      "time between two polls"));
  out.push_back(opt("retry_base_ms", OptionType::kInt, std::to_string(defaults.retry_base_ms),
                    "full-jitter backoff: the first retry waits up to this long"));
  out.push_back(opt("retry_cap_ms", OptionType::kInt, std::to_string(defaults.retry_cap_ms),
                    "no retry waits longer than this"));
  out.push_back(opt("retry_limit", OptionType::kInt, std::to_string(defaults.retry_limit),
                    "retries after the first attempt before an item becomes a dead letter"));
  out.push_back(opt("outbox_limit", OptionType::kInt, std::to_string(defaults.outbox_limit),
                    "pending outbound items at which intake pauses until the backlog halves"));
  out.push_back(opt("inbox_days", OptionType::kInt, std::to_string(defaults.inbox_days),
                    "days a delivered record's idempotency key is kept (a redelivery within them is "
                    "skipped); 0: forever"));
  return out;
}

Status check_option_value(const ConfigOption& option, const std::string& value) {
  // A secret's value is never put into a message, even a wrong one.
  const std::string shown = option.secret ? "" : " '" + value + "'";
  switch (option.type) {
    case OptionType::kInt:
      if (!parse_int(value).ok()) return Status::invalid("expected an integer, got" + (shown.empty() ? " another value" : shown));
      break;
    case OptionType::kBool:
      if (!parse_bool(value).ok()) return Status::invalid("expected true or false, got" + (shown.empty() ? " another value" : shown));
      break;
    case OptionType::kString: break;
  }
  if (!option.choices.empty() &&
      std::find(option.choices.begin(), option.choices.end(), value) == option.choices.end())
    return Status::invalid("must be one of " + join(option.choices, ", ") + (shown.empty() ? "" : ", got" + shown));
  return Status::ok();
}

const std::string* ConnectorConfig::get(const std::string& key) const {
  auto it = values_.find(key);
  return it == values_.end() ? nullptr : &it->second;
}

std::string ConnectorConfig::shown(const std::string& key) const {
  if (is_secret(key)) return "***";
  const std::string* v = get(key);
  return v ? *v : "";
}

std::string ConnectorConfig::mask_secrets(std::string text) const {
  for (const auto& key : secrets_) {
    const std::string* v = get(key);
    // Very short values would mask ordinary words; they are too weak to be real secrets anyway.
    if (!v || v->size() < 3) continue;
    for (auto pos = text.find(*v); pos != std::string::npos; pos = text.find(*v, pos + 3))
      text.replace(pos, v->size(), "***");
  }
  return text;
}

bool is_instance_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(),
                     [](unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

Result<ConnectorConfig> validate_config(const ConnectorDescriptor& d, const Settings& settings,
                                        const std::string& instance) {
  const std::string section = instance.empty() ? d.name : instance;
  std::vector<ConfigOption> schema = d.config;
  for (auto& o : host_options(d)) schema.push_back(std::move(o));

  std::map<std::string, std::string> errors;
  ConnectorConfig config;
  for (const auto& [key, value] : settings) {
    // key by an init-capture: clang 14 (the fuzz tree's compiler) cannot capture a structured binding.
    auto opt = std::find_if(schema.begin(), schema.end(), [&name = key](const ConfigOption& o) { return o.name == name; });
    if (opt == schema.end()) {
      std::vector<std::string> known;
      for (const auto& o : schema) known.push_back(o.name);
      errors[key] = "unknown option (known: " + join(known, ", ") + ")";
      continue;
    }
    Status ok = check_option_value(*opt, value);
    if (!ok.is_ok()) errors[key] = ok.message();
    config.values_[key] = value;
  }
  // Whether the connector will run decides whether its required options must be set:
  // switching a connector off should not need its password.
  bool enabled = true;
  if (auto it = config.values_.find("enabled"); it != config.values_.end() && !errors.count("enabled"))
    enabled = *parse_bool(it->second);
  for (const auto& opt : schema) {
    if (opt.secret) config.secrets_.insert(opt.name);
    if (config.values_.count(opt.name)) continue;
    if (opt.required && enabled) {
      errors[opt.name] = "required" + (opt.description.empty() ? "" : " (" + opt.description + ")");
      continue;
    }
    if (opt.default_value) config.values_[opt.name] = *opt.default_value;
  }
  read_runtime(config.values_, config.runtime_, errors);
  // The instance's name, for the connector to read with config_get(h, "instance"): the
  // source of its records. Not an option: a section cannot set it (unknown key above).
  config.values_["instance"] = section;
  if (auto it = config.values_.find("library"); it != config.values_.end() && it->second != d.name)
    errors["library"] = "is '" + it->second + "', but this is connector '" + d.name + "'";
  if (!errors.empty()) {
    std::string msg = "connector '" + section + "' (" + (section == d.name ? "" : d.name + ", ") + d.file +
                      "): invalid config in [connector." + section + "]: ";
    bool first = true;
    for (const auto& [key, problem] : errors) {
      msg += (first ? "'" : "; '") + key + "': " + problem;
      first = false;
    }
    return Status::invalid(msg, errors);
  }
  return config;
}

std::string describe_connector(const ConnectorDescriptor& d) {
  std::string out = d.name + " " + d.version + (d.description.empty() ? "" : " - " + d.description) + "\n";
  out += "  file:         " + d.file + "\n";
  out += "  ABI:          " + std::to_string(d.abi_major) + "." + std::to_string(d.abi_minor) + "\n";
  out += "  capabilities: " + capability_names(d.capabilities) + "\n";
  if (!d.subscriptions.empty()) out += "  receives:     " + join(d.subscriptions, ", ") + "*\n";
  auto table = [&](const std::vector<ConfigOption>& options) {
    std::size_t width = 4;
    for (const auto& o : options) width = std::max(width, o.name.size());
    std::string rows;
    for (const auto& o : options) {
      std::string line = "  " + o.name + std::string(width - o.name.size() + 2, ' ');
      line += std::string(option_type_name(o.type)) + std::string(8 - std::string(option_type_name(o.type)).size(), ' ');
      std::string flags;
      if (o.required) flags += "required ";
      if (o.secret) flags += "secret ";
      if (o.default_value && !o.required) flags += "default " + (o.secret ? std::string("***") : "'" + *o.default_value + "'") + " ";
      line += flags;
      if (!o.description.empty()) line += "- " + o.description;
      if (!o.choices.empty()) line += " (one of: " + join(o.choices, ", ") + ")";
      rows += line + "\n";
    }
    return rows;
  };
  out += "\n[connector." + d.name + "] options of the connector:\n";
  out += d.config.empty() ? "  (none)\n" : table(d.config);
  out += "\nhost options (every connector):\n" + table(host_options(d));
  return out;
}

}  // namespace salescore::plugins
