#pragma once
#include <vector>

#include "salescore/model.h"
#include "store/sql.h"

namespace salescore::store {
Status insert_event(Connection& c, const Event& e);
// The events in their order, several rows per statement (insert_rows): a bulk write's
// events, gathered while it ran (engine/catalog_import.cpp).
Status insert_events(Connection& c, const std::vector<Event>& events);
Result<std::vector<Event>> events_since(Connection& c, std::int64_t after, int limit);
Result<std::int64_t> last_event_seq(Connection& c);
}  // namespace salescore::store
