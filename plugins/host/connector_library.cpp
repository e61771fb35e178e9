#include "host/connector_library.h"

#include <dlfcn.h>

#include <cstring>
#include <set>

#include "host/connector_config.h"
#include "host/host_api_table.h"
#include "host/status_codes.h"

namespace salescore::plugins {
namespace {

Status refuse(const std::string& path, const std::string& reason) {
  return Status::failed_precondition(path + ": " + reason);
}

bool is_identifier(const char* text) {
  if (text == nullptr || *text == '\0') return false;
  for (const char* p = text; *p; ++p)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) return false;
  return true;
}

std::string text_or_empty(const char* text) { return text ? text : ""; }

std::vector<std::string> split_choices(const char* choices) {
  std::vector<std::string> out;
  if (!choices) return out;
  std::string all = choices, item;
  for (char c : all) {
    if (c == '|') {
      out.push_back(item);
      item.clear();
    } else {
      item += c;
    }
  }
  out.push_back(item);
  return out;
}

// Reads the connector's config schema with the stride it was built with, so options
// grown in a later minor do not shift the array under an older host.
Result<std::vector<ConfigOption>> read_schema(const sc_connector_v1& t, const std::string& path) {
  std::vector<ConfigOption> out;
  if (t.config_count == 0) return out;
  if (t.config == nullptr) return refuse(path, "config_count is set but config is NULL");
  // The fields this host reads end at `choices`; an older, smaller option struct is refused.
  const std::size_t known = offsetof(sc_config_option, choices) + sizeof(const char*);
  if (t.config_option_size < known)
    return refuse(path, "config_option_size " + std::to_string(t.config_option_size) + " is smaller than this host's " +
                            std::to_string(known));
  std::set<std::string> seen;
  const auto* base = reinterpret_cast<const unsigned char*>(t.config);
  for (std::size_t i = 0; i < t.config_count; ++i) {
    const auto* o = reinterpret_cast<const sc_config_option*>(base + i * t.config_option_size);
    const std::string at = "config option " + std::to_string(i);
    if (!is_identifier(o->name)) return refuse(path, at + " has no valid name ([a-z0-9_]+)");
    ConfigOption opt;
    opt.name = o->name;
    if (!seen.insert(opt.name).second) return refuse(path, "config option '" + opt.name + "' is declared twice");
    if (is_host_option(opt.name))
      return refuse(path, "config option '" + opt.name + "' is reserved for the host (" + host_option_names() + ")");
    switch (o->type) {
      case SC_CONFIG_STRING: opt.type = OptionType::kString; break;
      case SC_CONFIG_INT: opt.type = OptionType::kInt; break;
      case SC_CONFIG_BOOL: opt.type = OptionType::kBool; break;
      default:
        return refuse(path, "config option '" + opt.name + "' has unknown type " + std::to_string(o->type));
    }
    if (o->default_value) opt.default_value = o->default_value;
    opt.required = o->required != 0;
    opt.secret = o->secret != 0;
    opt.description = text_or_empty(o->description);
    opt.choices = split_choices(o->choices);
    if (opt.default_value) {
      Status ok = check_option_value(opt, *opt.default_value);
      if (!ok.is_ok()) return refuse(path, "the default of config option '" + opt.name + "' is invalid: " + ok.message());
    }
    out.push_back(std::move(opt));
  }
  return out;
}

Status check_callbacks(const sc_connector_v1& t, const std::string& path) {
  if (!t.create || !t.destroy) return refuse(path, "the connector declares no create/destroy callbacks");
  struct Need {
    std::uint32_t cap;
    bool present;
    const char* what;
  };
  const Need needs[] = {{SC_CAP_POLL, t.poll != nullptr, "poll"},
                        {SC_CAP_SESSION, t.session_run != nullptr, "session_run"},
                        {SC_CAP_DELIVER, t.deliver != nullptr, "deliver"}};
  for (const Need& n : needs)
    if ((t.capabilities & n.cap) && !n.present)
      return refuse(path, std::string("capability ") + capability_names(n.cap) + " is declared but " + n.what +
                              " is NULL");
  const std::uint32_t known = SC_CAP_POLL | SC_CAP_ROUTES | SC_CAP_SESSION | SC_CAP_DELIVER;
  if (t.capabilities & ~known)
    return refuse(path, "unknown capability bits " + std::to_string(t.capabilities & ~known) +
                            " (built against a newer plugin_api.h?)");
  return Status::ok();
}

}  // namespace

const char* option_type_name(OptionType t) {
  switch (t) {
    case OptionType::kString: return "string";
    case OptionType::kInt: return "int";
    case OptionType::kBool: return "bool";
  }
  return "string";
}

std::string capability_names(std::uint32_t caps) {
  std::string out;
  auto add = [&](std::uint32_t bit, const char* name) {
    if (caps & bit) out += (out.empty() ? "" : ", ") + std::string(name);
  };
  add(SC_CAP_POLL, "poll");
  add(SC_CAP_ROUTES, "routes");
  add(SC_CAP_SESSION, "session");
  add(SC_CAP_DELIVER, "deliver");
  return out.empty() ? "none" : out;
}

Result<std::shared_ptr<ConnectorLibrary>> ConnectorLibrary::open(const std::string& path, const sc_host_api* host_api) {
  if (!host_api) host_api = host_api_table();
  // RTLD_LOCAL: two connectors may bundle different versions of the same library.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* err = dlerror();
    return refuse(path, std::string("cannot be loaded: ") + (err ? err : "unknown dlopen error"));
  }
  std::shared_ptr<ConnectorLibrary> lib(new ConnectorLibrary());
  lib->handle_ = handle;  // from here on the destructor closes it
  lib->descriptor_.file = path;

  dlerror();
  void* symbol = dlsym(handle, SC_ENTRY_POINT_NAME);
  if (!symbol) return refuse(path, "has no entry point " SC_ENTRY_POINT_NAME " (not a salescore connector?)");
  auto entry = reinterpret_cast<sc_connector_entry_fn>(symbol);

  sc_connector_v1 table;
  std::memset(&table, 0, sizeof table);
  table.struct_size = sizeof table;
  table.abi_major = SC_ABI_MAJOR;
  table.abi_minor = SC_ABI_MINOR;
  int rc;
  try {
    rc = entry(host_api, &table);
  } catch (const std::exception& e) {
    return refuse(path, std::string("the entry point threw: ") + e.what());
  } catch (...) {
    return refuse(path, "the entry point threw an exception");
  }
  const std::size_t header = offsetof(sc_connector_v1, abi_minor) + sizeof(table.abi_minor);
  if (table.struct_size < header || table.struct_size > sizeof table)
    return refuse(path, "reports an impossible table size " + std::to_string(table.struct_size));
  if (table.abi_major != SC_ABI_MAJOR)
    return refuse(path, "speaks plugin ABI " + std::to_string(table.abi_major) + "." +
                            std::to_string(table.abi_minor) + ", this salescore speaks " +
                            std::to_string(SC_ABI_MAJOR) + "." + std::to_string(SC_ABI_MINOR) +
                            ": rebuild it against this salescore's plugin_api.h");
  // sc_connector_export answers FAILED_PRECONDITION, before copying its table, to a host
  // of another ABI major: say so, as for a table that names its major.
  if (rc == SC_FAILED_PRECONDITION)
    return refuse(path, "the entry point refused to load (FAILED_PRECONDITION): a connector built with "
                        "sc_connector_export answers so when it was built against another plugin ABI major than "
                        "this salescore's " + std::to_string(SC_ABI_MAJOR) + "." + std::to_string(SC_ABI_MINOR) +
                        ": rebuild it against this salescore's plugin_api.h");
  if (rc != SC_OK)
    return refuse(path, "the entry point refused to load (" + abi_status_name(rc) + ")");
  // Fields past the size the connector reported were never written by it: keep them zero.
  if (table.struct_size < sizeof table)
    std::memset(reinterpret_cast<unsigned char*>(&table) + table.struct_size, 0, sizeof table - table.struct_size);
  if (!SC_HAS_FIELD(&table, sc_connector_v1, deliver))
    return refuse(path, "its table is shorter than ABI 1.0 requires (" + std::to_string(table.struct_size) + " bytes)");

  if (!is_identifier(table.name)) return refuse(path, "declares no valid connector name ([a-z0-9_]+)");
  if (table.version == nullptr || *table.version == '\0') return refuse(path, "declares no version");
  SC_RETURN_IF_ERROR(check_callbacks(table, path));
  SC_ASSIGN_OR_RETURN(auto schema, read_schema(table, path));

  ConnectorDescriptor& d = lib->descriptor_;
  d.name = table.name;
  d.version = table.version;
  d.description = text_or_empty(table.description);
  d.abi_major = table.abi_major;
  d.abi_minor = table.abi_minor;
  d.capabilities = table.capabilities;
  d.config = std::move(schema);
  if (table.subscriptions)
    for (const char* const* s = table.subscriptions; *s; ++s) d.subscriptions.emplace_back(*s);
  d.poll_interval_ms = table.poll_interval_ms;
  lib->table_ = table;
  return lib;
}

ConnectorLibrary::~ConnectorLibrary() {
  if (handle_) dlclose(handle_);
}

}  // namespace salescore::plugins
