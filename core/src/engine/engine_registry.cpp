#include "engine/engine_registry.h"

#include <mutex>
#include <unordered_map>

namespace salescore::detail {
namespace {
std::mutex registry_mutex;
std::unordered_map<const Engine*, EngineState*>& registry() {
  static auto* engines = new std::unordered_map<const Engine*, EngineState*>();  // never destroyed: outlives engines
  return *engines;
}
}  // namespace

void register_engine(const Engine* engine, EngineState* state) {
  std::lock_guard lock(registry_mutex);
  registry()[engine] = state;
}

void unregister_engine(const Engine* engine) {
  std::lock_guard lock(registry_mutex);
  registry().erase(engine);
}

EngineState* state_of(const Engine& engine) {
  std::lock_guard lock(registry_mutex);
  auto it = registry().find(&engine);
  return it == registry().end() ? nullptr : it->second;
}

}  // namespace salescore::detail
