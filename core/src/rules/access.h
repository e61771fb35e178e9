// Who sees and changes what. Resolved in core for every call, so REST, Python, the CLI
// and connectors all get the same answer.
//
//   system (user 0), director, admin   everything
//   head                               their own records and those of everyone whose head they are
//   manager                            their own records (owner_id = them)
//   assistant                          their manager's records, and clients they are the assistant of
//   integration                        records whose source is their login (the connector's name)
//   deputy of an absent user           also the absent user's records, while the absence lasts
//
// The role is read from the users table, never taken from the caller.
#pragma once

#include <string>
#include <vector>

#include "engine/engine_state.h"

namespace salescore::detail {

struct Scope {
  Id user_id = 0;
  Role role = Role::kAdmin;
  std::string login;
  bool everything = false;
  std::vector<Id> owners;  // owners whose records this actor may act on

  bool owns(Id owner) const;
  bool is_integration() const { return role == Role::kIntegration; }
  // May see and change this client? (owner, assistant, or integration source)
  bool covers_client(Id owner_id, Id assistant_id, const std::string& source) const;
  // May see and change a record owned by `owner_id` from `source`?
  bool covers_owned(Id owner_id, const std::string& source) const;
  // SQL condition restricting a list to this scope, over the given columns; empty when
  // the scope covers everything. Ids are integers and the login is validated on
  // creation, so they are written into the text (statements are cached per scope).
  std::string condition(const std::string& owner_col, const std::string& source_col,
                        const std::string& assistant_col = "") const;
  // May this actor change the catalog (products, prices)?
  bool may_manage_catalog() const;
  // May this actor manage users and other people's absences?
  bool may_manage_people() const;
  // May this actor run the connectors (their dead letters and replays)?
  bool may_operate_connectors() const;
};

Result<Scope> scope_of(EngineState& s, const Actor& actor);

// Is client `client_id` within the scope? (false when it does not exist)
Result<bool> covers_client_id(EngineState& s, const Scope& scope, Id client_id);

// May a record of this actor's (an order, a deal, a task) refer to client `client_id`?
// The same answer as reading the client, so no record is a side door to a colleague's
// client; except that an integration's own records (source = its login) may refer to any
// client, as its calls and orders do. True for no client (0).
Result<bool> may_refer_to_client(EngineState& s, const Scope& scope, Id client_id, const std::string& source);

// Activity (interactions, tasks) is visible to the people it belongs to and to whoever
// sees its client. `person_col` is the user column (user_id, assignee_id).
std::string activity_condition(const Scope& scope, const std::string& person_col, const std::string& source_col);
Result<bool> covers_activity(EngineState& s, const Scope& scope, Id person_id, Id client_id, const std::string& source);
// Writing activity needs both: the person is the actor or in their scope, and the
// client (if any) is one of theirs. A manager cannot log a call on a colleague's client.
Result<bool> may_write_activity(EngineState& s, const Scope& scope, Id person_id, Id client_id,
                                const std::string& source);

// A refusal: records "access.denied" in the event log (audit, kept even though the
// operation fails) and returns kPermissionDenied naming who was refused what.
Status deny(EngineState& s, const Actor& actor, const std::string& action, const std::string& entity, Id id,
            const std::string& why = "");

}  // namespace salescore::detail
