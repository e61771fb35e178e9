#include "rules/lead_assignment.h"

#include <algorithm>

#include "store/absence_rows.h"
#include "store/lead_rows.h"

namespace salescore::detail {

Result<std::vector<Id>> managers_on_duty(EngineState& s) {
  SC_ASSIGN_OR_RETURN(auto managers, store::active_managers(*s.conn));
  std::vector<Id> on_duty;
  for (Id m : managers) {
    SC_ASSIGN_OR_RETURN(auto deputy, store::deputy_of(*s.conn, m, s.now()));
    if (!deputy) on_duty.push_back(m);
  }
  return on_duty;
}

Result<Id> acting_for(EngineState& s, Id user_id) {
  if (user_id == 0) return Id{0};
  SC_ASSIGN_OR_RETURN(auto deputy, store::deputy_of(*s.conn, user_id, s.now()));
  return deputy ? *deputy : user_id;
}

namespace {

// Next manager after the last one served, wrapping around; the cursor is kept in the
// database so that restarts and several processes share one rotation.
Result<Id> round_robin(EngineState& s, const std::vector<Id>& candidates) {
  SC_ASSIGN_OR_RETURN(auto last, store::rule_state_get(*s.conn, "leads.round_robin.last"));
  Id last_id = last ? std::stoll(*last) : 0;
  auto next = std::upper_bound(candidates.begin(), candidates.end(), last_id);
  Id chosen = next == candidates.end() ? candidates.front() : *next;
  SC_RETURN_IF_ERROR(store::rule_state_set(*s.conn, "leads.round_robin.last", std::to_string(chosen)));
  return chosen;
}

Result<Id> least_loaded(EngineState& s, const std::vector<Id>& candidates) {
  Id best = 0;
  std::int64_t best_load = 0;
  for (Id m : candidates) {
    SC_ASSIGN_OR_RETURN(std::int64_t load, store::open_leads_of(*s.conn, m));
    if (best == 0 || load < best_load) {
      best = m;
      best_load = load;
    }
  }
  return best;
}

}  // namespace

Result<Id> pick_assignee(EngineState& s, Id owner_of_client, Id exclude) {
  const std::string& rule = s.config.leads.assignment;
  if (rule == "owner" && owner_of_client && owner_of_client != exclude) {
    // The client's own manager answers; while they are away, their deputy does.
    SC_ASSIGN_OR_RETURN(Id acting, acting_for(s, owner_of_client));
    if (acting != exclude) return acting;
  }
  SC_ASSIGN_OR_RETURN(auto on_duty, managers_on_duty(s));
  std::vector<Id> candidates;
  for (Id m : on_duty)
    if (m != exclude) candidates.push_back(m);
  if (candidates.empty()) candidates = on_duty;  // the only one on duty keeps it
  if (candidates.empty()) return Id{0};
  if (rule == "least_loaded") return least_loaded(s, candidates);
  return round_robin(s, candidates);
}

}  // namespace salescore::detail
