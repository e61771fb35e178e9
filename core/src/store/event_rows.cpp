#include "store/event_rows.h"

#include "store/bulk_rows.h"
#include "store/row_helpers.h"

namespace salescore::store {

Status insert_event(Connection& c, const Event& e) {
  // The text built once: every write appends an event, and a catalog import a hundred
  // thousand of them (building it per call showed in bench/run onec's profile).
  // Dialect::insert writes portable `?` SQL, so one text serves every connection.
  static const std::string sql = c.dialect().insert("events", {"at", "actor_id", "type", "entity", "entity_id", "payload"});
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(sql)));
  StatementUse use(*s);
  s->bind_all(e.at.ms, null_if_zero(e.actor_id), e.type, e.entity, e.entity_id, e.payload);
  return s->run();
}

Status insert_events(Connection& c, const std::vector<Event>& events) {
  static const MultiRowInsert insert{"events", {"at", "actor_id", "type", "entity", "entity_id", "payload"}};
  return bulk_insert(c, insert, events.size(), [&](Statement& s, int first, std::size_t n) {
    const Event& e = events[n];
    s.bind_from(first, e.at.ms, null_if_zero(e.actor_id), Borrowed{e.type}, Borrowed{e.entity}, e.entity_id,
                Borrowed{e.payload});
  });
}

Result<std::vector<Event>> events_since(Connection& c, std::int64_t after, int limit) {
  SC_ASSIGN_OR_RETURN(
      Statement * s,
      c.prepare(c.dialect().placeholders(c.dialect().select(
          {"seq", "at", "actor_id", "type", "entity", "entity_id", "payload"}, "events", "seq > ?", "seq", true))));
  StatementUse use(*s);
  s->bind_all(after, static_cast<std::int64_t>(limit > 0 ? limit : -1));
  return map_rows<Event>(*s, [](Statement& r) {
    Event e;
    e.seq = r.column_int(0);
    e.at = Instant{r.column_int(1)};
    e.actor_id = r.column_int(2);
    e.type = r.column_text(3);
    e.entity = r.column_text(4);
    e.entity_id = r.column_int(5);
    e.payload = r.column_text(6);
    return e;
  });
}

Result<std::int64_t> last_event_seq(Connection& c) {
  return scalar_int(c, "SELECT COALESCE(MAX(seq), 0) FROM events", Filter());
}

}  // namespace salescore::store
