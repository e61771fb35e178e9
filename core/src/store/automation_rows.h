// automation_state rows (migration 11).
#pragma once

#include <string>

#include "salescore/automations.h"
#include "store/sql.h"

namespace salescore::store {

Result<AutomationState> load_automation_state(Connection& c, const std::string& automation);
Status save_automation_offset(Connection& c, const std::string& automation, std::int64_t seq, Instant at);
Status save_automation_failure(Connection& c, const std::string& automation, int failures, Instant retry_at,
                               const std::string& error, Instant at);

}  // namespace salescore::store
