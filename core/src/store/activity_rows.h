// Rows of interactions (calls, e-mails, meetings...) and tasks.
#pragma once
#include <optional>
#include <vector>

#include "salescore/engine.h"
#include "store/sql.h"

namespace salescore::store {
Result<Id> insert_interaction(Connection& c, const Interaction& i);
Status update_interaction(Connection& c, const Interaction& i);
Result<std::optional<Interaction>> load_interaction(Connection& c, Id id);
Result<std::optional<Id>> interaction_id_by_source(Connection& c, const std::string& source,
                                                   const std::string& external_id);
// `visible`: an extra SQL condition from the access scope ("" for none).
Result<std::vector<Interaction>> find_interactions(Connection& c, const InteractionQuery& q,
                                                   const std::string& visible = "");

Result<Id> insert_task(Connection& c, const Task& t);
Status update_task(Connection& c, const Task& t);
Result<std::optional<Task>> load_task(Connection& c, Id id);
Result<std::vector<Task>> find_tasks(Connection& c, const TaskQuery& q, const std::string& visible = "");
Result<std::int64_t> count_tasks(Connection& c, const TaskQuery& q, const std::string& visible = "");
Result<std::int64_t> count_interactions(Connection& c, const InteractionQuery& q, const std::string& visible = "");
}  // namespace salescore::store
