#include "host/registry.h"

namespace salescore::plugins {

ConnectorRegistry ConnectorRegistry::load(const LoaderOptions& options, const sc_host_api* host_api) {
  ConnectorRegistry registry;
  LoadReport report = load_connector_libraries(options, host_api);
  for (auto& lib : report.loaded) {
    std::string file = lib->path();
    Status added = registry.add(std::move(lib));
    if (!added.is_ok()) registry.add_refused({file, added.message()});
  }
  for (auto& failure : report.refused) registry.add_refused(std::move(failure));
  return registry;
}

Status ConnectorRegistry::add(std::shared_ptr<ConnectorLibrary> library) {
  const std::string& name = library->descriptor().name;
  auto it = by_name_.find(name);
  if (it != by_name_.end())
    return Status::already_exists(library->path() + ": a connector named '" + name + "' is already loaded from " +
                                  it->second->path());
  by_name_.emplace(name, std::move(library));
  return Status::ok();
}

std::shared_ptr<ConnectorLibrary> ConnectorRegistry::find(const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<ConnectorLibrary>> ConnectorRegistry::connectors() const {
  std::vector<std::shared_ptr<ConnectorLibrary>> out;
  for (const auto& [name, lib] : by_name_) out.push_back(lib);
  return out;
}

}  // namespace salescore::plugins
