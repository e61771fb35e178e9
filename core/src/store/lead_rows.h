// Rows of leads, their SLA breaches, and the rules' small key-value state.
#pragma once
#include <optional>
#include <vector>

#include "salescore/engine.h"
#include "store/sql.h"

namespace salescore::store {
Result<Id> insert_lead(Connection& c, const Lead& l);
Status update_lead(Connection& c, const Lead& l);
Result<std::optional<Lead>> load_lead(Connection& c, Id id);
Result<std::optional<Id>> lead_id_by_source(Connection& c, const std::string& source, const std::string& external_id);
// Concrete requests first, then the oldest. `visible` is the access condition.
Result<std::vector<Lead>> lead_queue(Connection& c, const LeadQuery& q, const std::string& visible);
// The same leads in id order (keyset pages), and how many there are.
Result<std::vector<Lead>> find_leads(Connection& c, const LeadQuery& q, const std::string& visible);
Result<std::int64_t> count_leads(Connection& c, const LeadQuery& q, const std::string& visible);
// New leads with no first action whose SLA ended at or before `now`.
Result<std::vector<Lead>> leads_past_sla(Connection& c, Instant now);
Status insert_lead_breach(Connection& c, Id lead_id, Id user_id, Instant due_at, Instant breached_at);
// Open (new or in progress) leads per assignee, for least-loaded assignment.
Result<std::int64_t> open_leads_of(Connection& c, Id user_id);
// Active managers, in id order.
Result<std::vector<Id>> active_managers(Connection& c);

Result<std::optional<std::string>> rule_state_get(Connection& c, const std::string& key);
Status rule_state_set(Connection& c, const std::string& key, const std::string& value);
}  // namespace salescore::store
