#include "host/integration_user.h"

namespace salescore::plugins {

Result<Actor> connector_actor(Engine& engine, const std::string& name) {
  auto existing = engine.users().by_login(Actor::system(), name);
  if (existing.ok()) return Actor{existing->id, existing->role};
  if (!existing.status().is_not_found()) return existing.status();
  User user;
  user.login = name;
  user.name = "connector " + name;
  user.role = Role::kIntegration;
  SC_ASSIGN_OR_RETURN(User created, engine.users().add(Actor::system(), user));
  return Actor{created.id, created.role};
}

}  // namespace salescore::plugins
