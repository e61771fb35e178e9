// The connectors this process knows: every library the loader accepted, by name, and
// every one it refused with the reason. What `salescore plugins list` reads first.
//
// Thread-safety: filled once at start-up, then only read.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "host/loader.h"

namespace salescore::plugins {

class ConnectorRegistry {
 public:
  // Loads the directories of `options` and registers what loaded. Two libraries with
  // the same connector name: the first found wins, the second is refused naming both
  // files (configured directories come first, so they can override a built-in one).
  static ConnectorRegistry load(const LoaderOptions& options, const sc_host_api* host_api = nullptr);

  // Registers one library; kAlreadyExists when its name is taken.
  Status add(std::shared_ptr<ConnectorLibrary> library);
  void add_refused(LoadFailure failure) { refused_.push_back(std::move(failure)); }

  // nullptr when no connector has that name.
  std::shared_ptr<ConnectorLibrary> find(const std::string& name) const;
  // By name.
  std::vector<std::shared_ptr<ConnectorLibrary>> connectors() const;
  const std::vector<LoadFailure>& refused() const { return refused_; }

 private:
  std::map<std::string, std::shared_ptr<ConnectorLibrary>> by_name_;
  std::vector<LoadFailure> refused_;
};

}  // namespace salescore::plugins
