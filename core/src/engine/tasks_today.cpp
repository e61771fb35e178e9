// TaskService::today: a user's day in the company time zone.
#include "engine/record_writes.h"
#include "model/enum_names.h"
#include "model/time_zone.h"
#include "rules/access.h"
#include "store/activity_rows.h"
#include "store/task_reason_rows.h"
#include "store/user_rows.h"

namespace salescore {
using namespace detail;

namespace {
constexpr std::array<std::pair<TodaySection, const char*>, 3> kSections{{{TodaySection::kOverdue, "overdue"},
                                                                        {TodaySection::kDueToday, "due_today"},
                                                                        {TodaySection::kReminder, "reminder"}}};
// Reminder tasks are listed ahead of their due day; the rest only once due.
constexpr const char* kReminderReason = "installment.reminder";
}  // namespace

const char* today_section_name(TodaySection s) { return name_of(kSections, s); }

Result<std::vector<TodayItem>> TaskService::today(const Actor& actor, Id user_id) {
  return read<std::vector<TodayItem>>(*s_, [&]() -> Result<std::vector<TodayItem>> {
    SC_ASSIGN_OR_RETURN(auto user, store::load_user(*s_->conn, user_id));
    if (!user) return not_found("user", user_id);
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    if (actor.user_id != user_id && !scope.owns(user_id))
      return deny(*s_, actor, "read the tasks of", "user", user_id);
    SC_ASSIGN_OR_RETURN(TimeZone zone, find_time_zone(s_->config.timezone));
    const Instant now = s_->now();
    const LocalDay day = local_day(zone, now);
    SC_ASSIGN_OR_RETURN(auto rows, store::open_tasks_for_day(*s_->conn, user_id, day.end, kReminderReason));
    std::vector<TodayItem> sections[3];
    for (auto& row : rows) {
      SC_ASSIGN_OR_RETURN(auto task, store::load_task(*s_->conn, row.task_id));
      if (!task) continue;
      TodayItem item;
      if (task->due_at && *task->due_at < now) item.section = TodaySection::kOverdue;
      else if (task->due_at && *task->due_at < day.end) item.section = TodaySection::kDueToday;
      else item.section = TodaySection::kReminder;
      item.task = std::move(*task);
      item.client_name = std::move(row.client_name);
      item.reason = std::move(row.reason);
      sections[static_cast<int>(item.section)].push_back(std::move(item));
    }
    std::vector<TodayItem> out;
    for (auto& part : sections)
      for (auto& item : part) out.push_back(std::move(item));
    return out;
  });
}

}  // namespace salescore
