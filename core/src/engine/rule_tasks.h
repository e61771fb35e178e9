// Tasks the sales rules give people (installment reminders, claims, segment contacts),
// with their reason recorded in task_reasons: the day's list says why each task is
// there, and a rule closes its tasks itself when their reason goes away (a paid
// installment, a resolved claim, a client that moved on).
#pragma once

#include <string>

#include "engine/engine_state.h"

namespace salescore::detail {

inline constexpr std::int64_t kDayMs = 86'400'000;

// Inserts `task` (open, created now) and records why; logs "task.created".
Result<Task> give_rule_task(EngineState& s, const Actor& actor, Task task, const std::string& reason,
                            const std::string& entity, Id entity_id);

// Completes (kDone) or withdraws (kCancelled) the open tasks given for the record whose
// reason starts with `reason_prefix`.
Status close_rule_tasks(EngineState& s, const Actor& actor, const std::string& entity, Id entity_id,
                        const std::string& reason_prefix, TaskStatus how);

// "2026-11-20": the calendar date of `t` in the company time zone, for task titles.
std::string local_date(const EngineState& s, Instant t);

}  // namespace salescore::detail
