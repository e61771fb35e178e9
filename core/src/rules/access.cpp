#include "rules/access.h"

#include <algorithm>

#include "model/json_text.h"
#include "rules/scope_cache.h"
#include "store/absence_rows.h"
#include "store/client_rows.h"
#include "store/user_rows.h"

namespace salescore::detail {

bool Scope::owns(Id owner) const {
  return everything || (owner != 0 && std::find(owners.begin(), owners.end(), owner) != owners.end());
}

bool Scope::covers_client(Id owner_id, Id assistant_id, const std::string& source) const {
  return covers_owned(owner_id, source) || (assistant_id != 0 && assistant_id == user_id);
}

bool Scope::covers_owned(Id owner_id, const std::string& source) const {
  if (everything || owns(owner_id)) return true;
  return is_integration() && !source.empty() && source == login;
}

std::string Scope::condition(const std::string& owner_col, const std::string& source_col,
                             const std::string& assistant_col) const {
  if (everything) return "";
  std::vector<std::string> any;
  if (!owners.empty()) {
    std::string in;
    for (Id id : owners) in += (in.empty() ? "" : ", ") + std::to_string(id);
    any.push_back(owner_col + " IN (" + in + ")");
  }
  if (!assistant_col.empty() && user_id) any.push_back(assistant_col + " = " + std::to_string(user_id));
  // Logins are restricted to [A-Za-z0-9._@-] on creation, so quoting is safe.
  if (is_integration() && !source_col.empty()) any.push_back(source_col + " = '" + login + "'");
  if (any.empty()) return "0 = 1";
  std::string out = "(";
  for (std::size_t i = 0; i < any.size(); ++i) out += (i ? " OR " : "") + any[i];
  return out + ")";
}

bool Scope::may_manage_catalog() const {
  return everything || role == Role::kHead || role == Role::kIntegration;
}

bool Scope::may_manage_people() const { return everything && !is_integration(); }
// A connector's own user must not replay what it was refused: that is for the people
// who see every record.
bool Scope::may_operate_connectors() const { return everything && !is_integration(); }

namespace {

Result<Scope> load_scope(EngineState& s, const Actor& actor) {
  Scope scope;
  scope.user_id = actor.user_id;
  if (actor.user_id == 0) {
    scope.everything = true;
    return scope;
  }
  SC_ASSIGN_OR_RETURN(auto user, store::load_user(*s.conn, actor.user_id));
  if (!user) return Status(Code::kUnauthenticated, "user " + std::to_string(actor.user_id) + " does not exist");
  if (!user->active) return Status::permission_denied("user " + user->login + " is deactivated");
  scope.role = user->role;
  scope.login = user->login;
  switch (user->role) {
    case Role::kDirector:
    case Role::kAdmin:
      scope.everything = true;
      return scope;
    case Role::kHead: {
      scope.owners.push_back(user->id);
      SC_ASSIGN_OR_RETURN(auto team, store::users_reporting_to(*s.conn, user->id));
      scope.owners.insert(scope.owners.end(), team.begin(), team.end());
      break;
    }
    case Role::kManager:
      scope.owners.push_back(user->id);
      break;
    case Role::kAssistant:
      if (user->manager_id) scope.owners.push_back(user->manager_id);
      break;
    case Role::kIntegration: {
      // A system of record (1C) matches counterparties by INN and posts order statuses
      // whoever's they are; it still may not manage people (may_manage_people).
      const auto& trusted = s.config.systems_of_record;
      if (std::find(trusted.begin(), trusted.end(), user->login) != trusted.end()) {
        scope.everything = true;
        return scope;
      }
      break;
    }
  }
  // A deputy acts with the rights of whoever they stand in for, only while it lasts.
  SC_ASSIGN_OR_RETURN(auto absent, store::absent_users_deputized_by(*s.conn, user->id, s.now()));
  for (Id id : absent)
    if (std::find(scope.owners.begin(), scope.owners.end(), id) == scope.owners.end()) scope.owners.push_back(id);
  return scope;
}

}  // namespace

Result<Scope> scope_of(EngineState& s, const Actor& actor) {
  if (actor.user_id == 0) return load_scope(s, actor);
  if (auto cached = cached_scope(s, actor.user_id)) return std::move(*cached);
  SC_ASSIGN_OR_RETURN(Scope scope, load_scope(s, actor));
  remember_scope(s, scope);
  return scope;
}

Status deny(EngineState& s, const Actor& actor, const std::string& action, const std::string& entity, Id id,
            const std::string& why) {
  std::string what = action + " " + entity + (id ? " " + std::to_string(id) : "");
  std::string payload = "{\"action\":" + json_string(action) + ",\"entity\":" + json_string(entity) +
                        ",\"entity_id\":" + std::to_string(id) + ",\"reason\":" + json_string(why) + "}";
  {
    std::lock_guard lock(s.audit_mutex);
    s.pending_audit.push_back(PendingAudit{actor.user_id, entity, id, payload});
  }
  return Status::permission_denied("user " + std::to_string(actor.user_id) + " may not " + what +
                                   (why.empty() ? "" : ": " + why));
}

Result<bool> covers_client_id(EngineState& s, const Scope& scope, Id client_id) {
  if (scope.everything) return true;
  SC_ASSIGN_OR_RETURN(auto client, store::load_client(*s.conn, client_id));
  return client && scope.covers_client(client->owner_id, client->assistant_id, client->source);
}

std::string activity_condition(const Scope& scope, const std::string& person_col, const std::string& source_col) {
  if (scope.everything) return "";
  std::string people = scope.condition(person_col, source_col);
  std::string self = person_col + " = " + std::to_string(scope.user_id);
  std::string clients = "client_id IN (SELECT id FROM clients WHERE " +
                        scope.condition("owner_id", "source", "assistant_id") + ")";
  return "(" + people + " OR " + self + " OR " + clients + ")";
}

Result<bool> covers_activity(EngineState& s, const Scope& scope, Id person_id, Id client_id,
                             const std::string& source) {
  if (scope.everything || (person_id && person_id == scope.user_id) || scope.covers_owned(person_id, source))
    return true;
  if (client_id == 0) return false;
  return covers_client_id(s, scope, client_id);
}

Result<bool> may_refer_to_client(EngineState& s, const Scope& scope, Id client_id, const std::string& source) {
  if (client_id == 0 || scope.everything) return true;
  // A connector records what it saw (a call, a letter, a web order) against whichever
  // client it concerns; the record is its own, even when the client is not.
  if (scope.is_integration() && !source.empty() && source == scope.login) return true;
  return covers_client_id(s, scope, client_id);
}

Result<bool> may_write_activity(EngineState& s, const Scope& scope, Id person_id, Id client_id,
                                const std::string& source) {
  if (scope.everything) return true;
  if (scope.is_integration() && !source.empty() && source == scope.login) return true;  // see may_refer_to_client
  bool person_ok = person_id == 0 || person_id == scope.user_id || scope.covers_owned(person_id, source);
  if (!person_ok) return false;
  return may_refer_to_client(s, scope, client_id, source);
}

}  // namespace salescore::detail
