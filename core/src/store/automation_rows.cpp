#include "store/automation_rows.h"

#include "store/row_helpers.h"

namespace salescore::store {

Result<AutomationState> load_automation_state(Connection& c, const std::string& automation) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         {"event_offset", "failures", "retry_at", "last_error"}, "automation_state",
                                         "automation = ?"))));
  StatementUse use(*s);
  s->bind_all(automation);
  AutomationState st;
  st.automation = automation;
  SC_ASSIGN_OR_RETURN(bool row, s->step());
  if (!row) return st;
  st.known = true;
  st.event_offset = s->column_int(0);
  st.failures = static_cast<int>(s->column_int(1));
  if (!s->column_is_null(2)) st.retry_at = Instant{s->column_int(2)};
  st.last_error = s->column_text(3);
  return st;
}

Status save_automation_offset(Connection& c, const std::string& automation, std::int64_t seq, Instant at) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().upsert(
                                         "automation_state",
                                         {"automation", "event_offset", "failures", "retry_at", "last_error", "updated_at"},
                                         {"automation"}))));
  StatementUse use(*s);
  s->bind_all(automation, seq, std::int64_t{0}, std::optional<std::int64_t>(), std::string(), at.ms);
  return s->run();
}

Status save_automation_failure(Connection& c, const std::string& automation, int failures, Instant retry_at,
                               const std::string& error, Instant at) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().update(
                                         "automation_state", {"failures", "retry_at", "last_error", "updated_at"},
                                         "automation = ?"))));
  StatementUse use(*s);
  s->bind_all(std::int64_t{failures}, retry_at.ms, error, at.ms, automation);
  return s->run();
}

}  // namespace salescore::store
