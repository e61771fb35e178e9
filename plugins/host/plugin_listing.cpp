#include "host/plugin_listing.h"

#include <algorithm>
#include <set>

namespace salescore::plugins {
namespace {

void describe_library(PluginListing& p, const ConnectorDescriptor& d) {
  p.version = d.version;
  p.abi = std::to_string(d.abi_major) + "." + std::to_string(d.abi_minor);
  p.file = d.file;
}

// What the database says of instance `p.name`: the running server's state, last
// success, backlog, dead letters.
void read_state(PluginListing& p, Engine& engine) {
  if (auto st = engine.connectors().state(p.name); st.ok()) {
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
  if (auto pending = engine.connectors().pending(p.name); pending.ok()) p.backlog = *pending;
  if (auto letters = engine.connectors().count_dead_letters(p.name); letters.ok()) p.dead_letters = *letters;
}

}  // namespace

std::vector<PluginListing> list_plugins(const ConnectorRegistry& registry, const ConnectorFileConfig& config,
                                        Engine& engine) {
  std::vector<PluginListing> out;
  std::set<std::string> configured;  // libraries some section runs
  for (const auto& [instance, section] : config.connectors) {
    PluginListing p;
    p.name = instance;
    p.library = library_of(instance, section);
    auto lib = registry.find(p.library);
    if (!lib) {
      p.state = "not installed";
      p.reason = "[connector." + instance + "] runs '" + p.library + "', which is not installed";
      out.push_back(std::move(p));
      continue;
    }
    configured.insert(p.library);
    describe_library(p, lib->descriptor());
    if (!is_instance_name(instance)) {
      p.state = "bad config";
      p.reason = "the name of [connector." + instance + "] must be made of a-z, 0-9 and _";
    } else if (auto valid = validate_config(lib->descriptor(), section, instance); !valid.ok()) {
      p.state = "bad config";
      p.reason = valid.status().message();
    } else {
      p.state = valid->runtime().enabled ? "configured" : "disabled";
    }
    read_state(p, engine);
    out.push_back(std::move(p));
  }
  for (const auto& lib : registry.connectors()) {
    const ConnectorDescriptor& d = lib->descriptor();
    if (configured.count(d.name)) continue;
    PluginListing p;
    p.name = p.library = d.name;
    describe_library(p, d);
    p.state = "not configured";
    p.reason = "no [connector." + d.name + "] section";
    read_state(p, engine);
    out.push_back(std::move(p));
  }
  std::sort(out.begin(), out.end(), [](const PluginListing& a, const PluginListing& b) { return a.name < b.name; });
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
