#pragma once
#include <vector>

#include "salescore/model.h"
#include "store/sql.h"

namespace salescore::store {
Status insert_event(Connection& c, const Event& e);
Result<std::vector<Event>> events_since(Connection& c, std::int64_t after, int limit);
Result<std::int64_t> last_event_seq(Connection& c);
}  // namespace salescore::store
