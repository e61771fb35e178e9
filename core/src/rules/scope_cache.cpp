#include "rules/scope_cache.h"

#include <map>
#include <utility>

namespace salescore::detail {

namespace {

// Per thread: a write transaction is held by one thread (EngineState::mutex), and the
// cache is forgotten when it ends, so no entry outlives the transaction or its engine.
thread_local std::map<std::pair<const EngineState*, Id>, Scope> scopes;

bool in_write(const EngineState& s) { return s.tx_depth > 0 && s.conn.writing_here(); }

}  // namespace

std::optional<Scope> cached_scope(const EngineState& s, Id user_id) {
  if (!in_write(s)) return std::nullopt;
  auto it = scopes.find({&s, user_id});
  if (it == scopes.end()) return std::nullopt;
  return it->second;
}

void remember_scope(const EngineState& s, const Scope& scope) {
  if (in_write(s)) scopes[{&s, scope.user_id}] = scope;
}

void forget_scopes() { scopes.clear(); }

}  // namespace salescore::detail
