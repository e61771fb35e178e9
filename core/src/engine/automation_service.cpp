#include "salescore/automations.h"

#include "engine/engine_state.h"
#include "store/automation_rows.h"

namespace salescore {

namespace {
Status need_name(const std::string& automation) {
  if (automation.empty()) return Status::invalid("an automation needs a name", {{"automation", "required"}});
  return Status::ok();
}
}  // namespace

Result<AutomationState> AutomationService::state(const std::string& automation) {
  SC_RETURN_IF_ERROR(need_name(automation));
  return read<AutomationState>(*s_, [&] { return store::load_automation_state(*s_->conn, automation); });
}

Status AutomationService::advance(const std::string& automation, std::int64_t seq) {
  SC_RETURN_IF_ERROR(need_name(automation));
  return write<bool>(*s_, [&]() -> Result<bool> {
           SC_RETURN_IF_ERROR(store::save_automation_offset(*s_->conn, automation, seq, s_->now()));
           return true;
         })
      .status();
}

Status AutomationService::record_failure(const std::string& automation, int failures, Instant retry_at,
                                         const std::string& error) {
  SC_RETURN_IF_ERROR(need_name(automation));
  return write<bool>(*s_, [&]() -> Result<bool> {
           SC_ASSIGN_OR_RETURN(AutomationState st, store::load_automation_state(*s_->conn, automation));
           // A first failure before any success still needs its row (and its offset).
           if (!st.known) SC_RETURN_IF_ERROR(store::save_automation_offset(*s_->conn, automation, 0, s_->now()));
           SC_RETURN_IF_ERROR(store::save_automation_failure(*s_->conn, automation, failures, retry_at, error, s_->now()));
           return true;
         })
      .status();
}

}  // namespace salescore
