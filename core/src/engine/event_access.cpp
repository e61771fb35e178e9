// Reading the event log on behalf of a user (the HTTP API's /api/v1/events).
#include "engine/engine_state.h"
#include "rules/access.h"
#include "store/event_rows.h"

namespace salescore {
using namespace detail;

Result<std::vector<Event>> EventService::since(const Actor& actor, std::int64_t after, int limit) {
  return read<std::vector<Event>>(*s_, [&]() -> Result<std::vector<Event>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    if (!scope.everything) return deny(*s_, actor, "read", "event log", 0, "it holds every record's content");
    return store::events_since(*s_->conn, after, limit);
  });
}

}  // namespace salescore
