// Which state an Engine runs on, for services declared outside engine.h (fulfilment.h):
// the Engine registers itself when made and leaves when destroyed, so such a service
// can be handed out by a free function without a member in the header every file
// includes (changing it recompiles the whole project).
#pragma once

#include "salescore/engine.h"

namespace salescore::detail {

void register_engine(const Engine* engine, EngineState* state);
void unregister_engine(const Engine* engine);
// The state of a live engine (never null for one made by Engine::open).
EngineState* state_of(const Engine& engine);

}  // namespace salescore::detail
