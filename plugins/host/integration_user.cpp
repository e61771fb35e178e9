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
  auto created = engine.users().add(Actor::system(), user);
  if (created.ok()) return Actor{created->id, created->role};
  if (created.status().code() != Code::kAlreadyExists) return created.status();
  // Another process on the same database, starting at the same time, made it first.
  SC_ASSIGN_OR_RETURN(User made, engine.users().by_login(Actor::system(), name));
  return Actor{made.id, made.role};
}

}  // namespace salescore::plugins
