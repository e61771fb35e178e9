// Who a connector writes as. Each connector acts as its own user with role
// "integration" and its name as login, so the event log says which connector changed
// what, and core's access rules confine it to records whose source is its name.
#pragma once

#include <string>

#include "salescore/engine.h"

namespace salescore::plugins {

// The actor of connector `name`: its integration user, created (as the system) on
// first use. An existing user with that login keeps whatever role an admin gave it.
Result<Actor> connector_actor(Engine& engine, const std::string& name);

}  // namespace salescore::plugins
