// The scopes resolved inside the open write transaction, so a batch of a connector's
// records (a page of 100 shop orders, each a client and an order record calling several
// services) loads its integration user, team and deputies once instead of at every call.
//
// Lives only while one outermost write transaction is open on this thread: in_write_tx
// forgets it when that transaction begins and when it ends, and every write to users or
// absences forgets it at once, so no call ever acts on a user's old role, team or active
// flag. Reads outside a write transaction never use it. A separate header (not a member
// of EngineState) so that adding it recompiles only the files that use it.
#pragma once

#include <optional>

#include "rules/access.h"

namespace salescore::detail {

// The scope cached for this actor in the write transaction open on this thread, if any.
std::optional<Scope> cached_scope(const EngineState& s, Id user_id);
void remember_scope(const EngineState& s, const Scope& scope);
// Drops every cached scope (of every engine) of this thread.
void forget_scopes();

}  // namespace salescore::detail
