#include "host/plugin_listing.h"

namespace salescore::plugins {

std::vector<PluginListing> list_plugins(const ConnectorRegistry& registry, const ConnectorFileConfig& config,
                                        Engine& engine) {
  std::vector<PluginListing> out;
  for (const auto& lib : registry.connectors()) {
    const ConnectorDescriptor& d = lib->descriptor();
    PluginListing p;
    p.name = d.name;
    p.version = d.version;
    p.abi = std::to_string(d.abi_major) + "." + std::to_string(d.abi_minor);
    p.file = d.file;
    auto section = config.connectors.find(d.name);
    if (section == config.connectors.end()) {
      p.state = "not configured";
      p.reason = "no [connector." + d.name + "] section";
    } else if (auto valid = validate_config(d, section->second); !valid.ok()) {
      p.state = "bad config";
      p.reason = valid.status().message();
    } else {
      p.state = valid->runtime().enabled ? "configured" : "disabled";
    }
    if (auto st = engine.connectors().state(d.name); st.ok()) {
      p.last_success = st->last_success_at;
      p.last_error = st->last_error;
      // What the running server last said, when the config lets it run at all.
      if (p.state == "configured" && !st->runtime_state.empty()) {
        p.state = st->runtime_state;
        p.reason = (st->runtime_reason.empty() ? std::string() : st->runtime_reason + "; ") + "as `salescore serve` " +
                   "said at " + (st->runtime_at ? format_iso8601(*st->runtime_at) : std::string("?"));
      }
      if (!st->operator_request.empty())
        p.reason += (p.reason.empty() ? "" : "; ") + st->operator_request + " asked, not carried out yet";
    }
    if (auto pending = engine.connectors().pending(d.name); pending.ok()) p.backlog = *pending;
    if (auto letters = engine.connectors().count_dead_letters(d.name); letters.ok()) p.dead_letters = *letters;
    out.push_back(std::move(p));
  }
  for (const auto& refused : registry.refused()) {
    PluginListing p;
    p.name = refused.file.substr(refused.file.find_last_of('/') + 1);
    p.file = refused.file;
    p.state = "refused";
    p.reason = refused.reason;
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace salescore::plugins
