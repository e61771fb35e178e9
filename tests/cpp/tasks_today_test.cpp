#include <gtest/gtest.h>

#include "model/time_zone.h"
#include "sales_fixture.h"

namespace salescore::testing {
namespace {

// kStartMs is 2026-11-02 09:00 UTC, 12:00 in Moscow: the Moscow day runs from
// 2026-11-01 21:00 UTC to 2026-11-02 21:00 UTC.
constexpr std::int64_t kMoscowMidnightAhead = 12 * kHour;

class TasksTodayTest : public SalesTest {
 protected:
  Id task_for(Id user, const std::string& title, std::optional<std::int64_t> due_offset, Id client = 0) {
    Task t;
    t.title = title;
    t.assignee_id = user;
    t.client_id = client;
    if (due_offset) t.due_at = at(*due_offset);
    auto r = engine->tasks().add(actor, t);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->id : 0;
  }

  std::vector<TodayItem> today_of(Id user, const Actor& who) {
    auto r = engine->tasks().today(who, user);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? *r : std::vector<TodayItem>{};
  }

  static std::vector<std::string> titles(const std::vector<TodayItem>& items) {
    std::vector<std::string> out;
    for (const auto& i : items) out.push_back(i.task.title);
    return out;
  }
};

TEST_F(TasksTodayTest, OverdueFirstThenDueTodayThenReminders) {
  // An installment reminder due in two days, given by the timer at mid-term.
  Order o = order_for(anna_client, 100000);
  ASSERT_TRUE(engine->payments().set_schedule(actor, o.id, {{at(4 * kDay), Money{100000, ""}}}).ok());
  clock->set(at(2 * kDay));  // 2026-11-04 12:00 Moscow
  ASSERT_TRUE(engine->run_due().ok());
  const std::int64_t now = 2 * kDay;
  task_for(anna, "call back about the price", now - kDay, anna_client);
  task_for(anna, "send the contract", now - kHour, anna_client);
  task_for(anna, "late call", now + kMoscowMidnightAhead - 1);
  task_for(anna, "tomorrow's visit", now + kMoscowMidnightAhead);
  task_for(anna, "someday", std::nullopt);
  Id done = task_for(anna, "done already", now + kHour);
  TaskPatch finish;
  finish.status = TaskStatus::kDone;
  ASSERT_TRUE(engine->tasks().update(actor, done, finish).ok());
  Lead lead;
  lead.contact_name = "Пётр";
  lead.assignee_id = anna;
  ASSERT_TRUE(engine->leads().add(actor, lead).ok());

  auto day = today_of(anna, as(anna));
  ASSERT_EQ(day.size(), 5u) << ::testing::PrintToString(titles(day));
  EXPECT_EQ(day[0].task.title, "call back about the price");
  EXPECT_EQ(day[0].section, TodaySection::kOverdue);
  EXPECT_EQ(day[0].client_name, "ООО Ромашка");
  EXPECT_EQ(day[0].reason, "manual");
  EXPECT_EQ(day[1].task.title, "send the contract");
  EXPECT_EQ(day[1].section, TodaySection::kOverdue) << "due an hour ago";
  EXPECT_EQ(day[2].section, TodaySection::kDueToday);
  EXPECT_EQ(day[2].reason, "lead.answer");
  EXPECT_EQ(day[3].task.title, "late call");
  EXPECT_EQ(day[3].section, TodaySection::kDueToday);
  EXPECT_EQ(day[4].section, TodaySection::kReminder);
  EXPECT_EQ(day[4].reason, "installment.reminder");
  EXPECT_EQ(day[4].client_name, "ООО Ромашка");
  EXPECT_STREQ(today_section_name(day[4].section), "reminder");
}

TEST_F(TasksTodayTest, TheDayIsCutInTheCompanyTimeZone) {
  task_for(anna, "evening in Moscow, still today in London", kMoscowMidnightAhead);
  EXPECT_TRUE(today_of(anna, as(anna)).empty()) << "00:00 in Moscow is tomorrow";
  Config utc;
  ASSERT_TRUE(utc.set("company.timezone", "UTC").is_ok());
  open_department(utc);
  task_for(anna, "evening in Moscow, still today in London", kMoscowMidnightAhead);
  EXPECT_EQ(today_of(anna, as(anna)).size(), 1u);
}

TEST_F(TasksTodayTest, AnUnknownTimeZoneIsRefusedAtConfiguration) {
  Config config;
  Status bad = config.set("company.timezone", "Europe/Atlantis");
  EXPECT_TRUE(bad.fields().count("company.timezone")) << bad.to_string();
  EXPECT_TRUE(config.set("company.timezone", "UTC+05:30").is_ok());
  EXPECT_TRUE(config.set("company.timezone", "Asia/Vladivostok").is_ok());
  EXPECT_FALSE(config.set("company.timezone", "UTC+3:5").is_ok());
}

TEST_F(TasksTodayTest, LocalDaysFollowDaylightSavingWhereTheZoneHasIt) {
  auto sofia = detail::find_time_zone("Europe/Sofia");
  ASSERT_TRUE(sofia.ok());
  auto instant = [](const char* iso) { return *parse_iso8601(iso); };
  EXPECT_EQ(detail::utc_offset_ms(*sofia, instant("2026-01-15T12:00:00Z")), 2 * kHour);
  EXPECT_EQ(detail::utc_offset_ms(*sofia, instant("2026-07-15T12:00:00Z")), 3 * kHour);
  auto spring = detail::local_day(*sofia, instant("2026-03-29T12:00:00Z"));
  EXPECT_EQ(spring.start, instant("2026-03-28T22:00:00Z"));
  EXPECT_EQ(spring.end, instant("2026-03-29T21:00:00Z")) << "the day clocks go forward has 23 hours";
  auto moscow = detail::local_day(*detail::find_time_zone("Europe/Moscow"), instant("2026-07-15T22:30:00Z"));
  EXPECT_EQ(moscow.start, instant("2026-07-15T21:00:00Z"));
}

TEST_F(TasksTodayTest, ADayIsSeenByItsOwnerTheirTeamAndTheirHead) {
  task_for(anna, "call", kHour);
  EXPECT_EQ(today_of(anna, as(orlova)).size(), 1u) << "her head";
  EXPECT_EQ(today_of(anna, as(sveta)).size(), 1u) << "her assistant";
  EXPECT_EQ(today_of(anna, as(director)).size(), 1u);
  EXPECT_EQ(engine->tasks().today(as(boris), anna).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(engine->tasks().today(as(kozlov), anna).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(engine->tasks().today(actor, 4242).status().code(), Code::kNotFound);
  EXPECT_TRUE(today_of(boris, as(boris)).empty());
  Absence leave;
  leave.user_id = anna;
  leave.deputy_id = boris;
  leave.starts_at = at(0);
  leave.ends_at = at(7 * kDay);
  ASSERT_TRUE(engine->absences().add(actor, leave).ok());
  EXPECT_EQ(today_of(anna, as(boris)).size(), 1u) << "her deputy while she is away";
}

}  // namespace
}  // namespace salescore::testing
