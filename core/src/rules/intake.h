// Records that come in from outside: a web shop's script, a site's form, a connector.
// An integration user writes the records of its own source, keyed by the id its system
// gave them (source, external_id); people's records carry no such key. A client or order
// it creates without an owner goes to a manager by the lead assignment rule, so somebody
// works it.
#pragma once

#include <string>

#include "rules/access.h"

namespace salescore::detail {

// The source key of a record `scope` creates or upserts. An integration user's record is
// of its own source: an empty source becomes its login (another source is then refused
// by the access rules). The system (the operator, imports) keys records as it is told.
// A person may not set either: kInvalidArgument naming the field they set.
Status key_by_source(const Scope& scope, std::string& source, const std::string& external_id);

// The owner of a client an integration user creates without one (or of an order whose
// client has none): the manager on duty `[leads] assignment` picks, as for a lead; 0 when
// nobody is on duty. A system of record's records (1C's counterparties) are master data,
// not intake: they keep no owner until a head hands them out, so 0 for it, as for anyone
// but an integration user.
Result<Id> intake_owner(EngineState& s, const Scope& scope);

}  // namespace salescore::detail
