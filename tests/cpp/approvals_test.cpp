#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "approvals_fixture.h"

namespace salescore::testing {
namespace {

class ApprovalsTest : public DepartmentTest {
 protected:
  // Ivanov asks for an individual proposal to be approved.
  Approval pending_proposal_approval() {
    Proposal p = tea_proposal();
    p.kind = ProposalKind::kIndividual;
    Id id = engine->proposals().add(as(ivanov), p)->record.id;
    auto a = engine->proposals().request_approval(as(ivanov), id, "сеть просит особые цены");
    EXPECT_TRUE(a.ok()) << a.status().to_string();
    return a.ok() ? *a : Approval{};
  }
};

TEST_F(ApprovalsTest, ADecisionBySomeoneWithoutTheAuthorityIsRefusedAndAudited) {
  Approval a = pending_proposal_approval();
  for (Id outsider : {petrova, smirnova, other_head, ivanov}) {
    auto r = engine->approvals().approve(as(outsider), a.id, "ок");
    ASSERT_FALSE(r.ok()) << "user " << outsider;
    EXPECT_EQ(r.status().code(), Code::kPermissionDenied) << "user " << outsider;
  }
  auto last = engine->events().since(event_count() - 1);
  ASSERT_EQ(last->size(), 1u);
  EXPECT_EQ(last->front().type, "access.denied");
  EXPECT_EQ(last->front().actor_id, ivanov) << "nobody decides their own request";
  EXPECT_EQ(engine->approvals().get(actor, a.id)->status, ApprovalStatus::kPending);
  EXPECT_EQ(events_of_type("approval.approved").size(), 0u);

  auto decided = engine->approvals().approve(as(head), a.id);
  ASSERT_TRUE(decided.ok()) << decided.status().to_string();
  EXPECT_EQ(decided->status, ApprovalStatus::kApproved);
  EXPECT_EQ(engine->approvals().approve(as(director), a.id).status().code(), Code::kFailedPrecondition)
      << "a request is decided once";
}

TEST_F(ApprovalsTest, AnUnansweredRequestEscalatesAtExactlyTwentyFourHours) {
  Approval a = pending_proposal_approval();
  clock->set(Instant{kStartMs + 24 * kHour - 1});
  EXPECT_EQ(engine->run_due()->approvals_escalated, 0) << "one millisecond before, nothing happens";
  clock->set(Instant{kStartMs + 24 * kHour});
  auto report = engine->run_due();
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  EXPECT_EQ(report->approvals_escalated, 1);
  EXPECT_EQ(engine->run_due()->approvals_escalated, 0) << "running the timers again changes nothing";

  auto escalated = engine->approvals().get(actor, a.id);
  EXPECT_EQ(escalated->approver_id, director) << "the head's own head";
  EXPECT_EQ(escalated->approver_role, Role::kDirector);
  EXPECT_EQ(escalated->escalations, 1);
  EXPECT_EQ(engine->tasks().get(actor, a.task_id)->status, TaskStatus::kCancelled);
  auto director_tasks = open_tasks_of(director);
  ASSERT_EQ(director_tasks.size(), 1u);
  EXPECT_EQ(director_tasks.front().id, escalated->task_id);
  auto events = events_of_type("approval.escalated");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events.front().entity_id, a.id);

  EXPECT_EQ(engine->approvals().approve(as(head), a.id).status().code(), Code::kPermissionDenied)
      << "once escalated to the director, it is the director's";
  EXPECT_TRUE(engine->approvals().approve(as(director), a.id, "согласовано").ok());

  // At the top there is nobody to escalate to: said once, then the timer stops.
  Approval b = pending_proposal_approval();
  clock->advance_ms(24 * kHour);
  EXPECT_EQ(engine->run_due()->approvals_escalated, 1);
  clock->advance_ms(24 * kHour);
  EXPECT_EQ(engine->run_due()->approvals_escalated, 0);
  EXPECT_EQ(events_of_type("approval.overdue").size(), 1u);
  EXPECT_FALSE(engine->approvals().get(actor, b.id)->due_at.has_value());
}

TEST_F(ApprovalsTest, TheEscalationDelayIsConfigurable) {
  Config config;
  ASSERT_TRUE(config.set("approvals.escalate_after_hours", "4").is_ok());
  reconfigure(config);
  Approval a = pending_proposal_approval();
  EXPECT_EQ(a.due_at->ms, kStartMs + 4 * kHour);
  clock->set(*a.due_at);
  EXPECT_EQ(engine->run_due()->approvals_escalated, 1);
}

TEST_F(ApprovalsTest, ADealDiscountAboveTheThresholdNeedsTheHeadAndThenMarksTheDeal) {
  auto big = engine->approvals().request_deal_discount(as(ivanov), deal, 15'00, "конкурент дал 15%");
  ASSERT_TRUE(big.ok()) << big.status().to_string();
  EXPECT_EQ(big->status, ApprovalStatus::kPending);
  EXPECT_EQ(big->subject, ApprovalSubject::kDealDiscount);
  EXPECT_EQ(big->discount_bp, 15'00);
  EXPECT_EQ(big->reason, "конкурент дал 15%");
  EXPECT_FALSE(deal_has("discount_approved"));
  auto decided = engine->approvals().approve(as(head), big->id, "при предоплате");
  ASSERT_TRUE(decided.ok()) << decided.status().to_string();
  EXPECT_EQ(decided->comment, "при предоплате");
  EXPECT_TRUE(deal_has("discount_approved"));
  auto told = open_tasks_of(ivanov);
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told.front().deal_id, deal);
  EXPECT_NE(told.front().title.find("при предоплате"), std::string::npos);

  Deal other;
  other.client_id = client;
  other.title = "Вторая поставка";
  const Id second = engine->deals().add(actor, other)->record.id;
  auto small = engine->approvals().request_deal_discount(as(ivanov), second, 5'00, "постоянный клиент");
  ASSERT_TRUE(small.ok()) << small.status().to_string();
  EXPECT_EQ(small->status, ApprovalStatus::kApproved) << "within the manager's authority: granted at once";
  EXPECT_EQ(small->decided_by, ivanov);
  EXPECT_EQ(engine->deals().get(actor, second)->documents, std::vector<std::string>{"discount_approved"});
}

TEST_F(ApprovalsTest, ADiscountAboveTheSecondThresholdGoesToTheDirector) {
  auto a = engine->approvals().request_deal_discount(as(ivanov), deal, 30'00, "вход в сеть");
  ASSERT_TRUE(a.ok()) << a.status().to_string();
  EXPECT_EQ(a->approver_role, Role::kDirector);
  EXPECT_EQ(a->approver_id, director);
  EXPECT_EQ(a->summary, "discount 30.00% above 25.00%");
  EXPECT_EQ(engine->approvals().approve(as(head), a->id).status().code(), Code::kPermissionDenied);
  EXPECT_TRUE(engine->approvals().approve(as(director), a->id).ok());
}

TEST_F(ApprovalsTest, VisitsToVipClientsNeedApproval) {
  Instant tomorrow{kStartMs + kDay};
  auto vip = engine->approvals().request_visit(as(ivanov), vip_client, tomorrow, "переговоры о полке");
  ASSERT_TRUE(vip.ok()) << vip.status().to_string();
  EXPECT_EQ(vip->status, ApprovalStatus::kPending);
  EXPECT_EQ(vip->rules, std::vector<std::string>{"vip_visit"});
  EXPECT_EQ(vip->visit_at, tomorrow);
  auto regular = engine->approvals().request_visit(as(ivanov), client, tomorrow, "сверка");
  ASSERT_TRUE(regular.ok());
  EXPECT_EQ(regular->status, ApprovalStatus::kApproved);
  EXPECT_EQ(engine->approvals().request_visit(as(petrova), vip_client, tomorrow, "x").status().code(),
            Code::kPermissionDenied);
}

TEST_F(ApprovalsTest, WhenADeputysRequestIsDecidedTheAbsentManagersHeadIsNotified) {
  Absence leave;
  leave.user_id = ivanov;
  leave.deputy_id = petrova;
  leave.starts_at = clock->now();
  leave.ends_at = Instant{kStartMs + 14 * kDay};
  ASSERT_TRUE(engine->absences().add(actor, leave).ok());
  auto a = engine->approvals().request_deal_discount(as(petrova), deal, 15'00, "клиент торопит");
  ASSERT_TRUE(a.ok()) << a.status().to_string();
  EXPECT_EQ(a->on_behalf_of_id, ivanov);
  EXPECT_EQ(a->approver_id, head);
  ASSERT_TRUE(engine->approvals().approve(as(head), a->id).ok());
  auto notices = events_of_type("approval.control_notice");
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_NE(notices.front().payload.find("\"head_id\":" + std::to_string(head)), std::string::npos);
  EXPECT_NE(notices.front().payload.find("\"deputy_id\":" + std::to_string(petrova)), std::string::npos);
  EXPECT_EQ(open_tasks_of(petrova).size(), 1u) << "the deputy who asked is told";

  auto own = engine->approvals().request_deal_discount(as(ivanov), deal, 15'00, "x");
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(own->on_behalf_of_id, 0) << "the absent manager asking himself is no deputy";
}

TEST_F(ApprovalsTest, EachPersonSeesTheRequestsThatConcernThem) {
  Approval a = pending_proposal_approval();
  ApprovalQuery inbox;
  inbox.approver_id = head;
  inbox.status = ApprovalStatus::kPending;
  auto mine = engine->approvals().find(as(head), inbox);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().id, a.id);
  EXPECT_EQ(engine->approvals().find(as(petrova), ApprovalQuery{})->size(), 0u);
  EXPECT_EQ(engine->approvals().find(as(ivanov), ApprovalQuery{})->size(), 1u);
  EXPECT_EQ(engine->approvals().get(as(sokolov), a.id).status().code(), Code::kPermissionDenied);
}

TEST_F(ApprovalsTest, BadRequestsAreRefusedNamingEachField) {
  auto r = engine->approvals().request_deal_discount(as(ivanov), deal, 0, "");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().fields().count("discount_percent"));
  EXPECT_TRUE(r.status().fields().count("reason"));
  auto no_date = engine->approvals().request_visit(as(ivanov), vip_client, Instant{}, "x");
  EXPECT_TRUE(no_date.status().fields().count("visit_at"));
  EXPECT_EQ(engine->approvals().request_deal_discount(as(ivanov), 999, 5'00, "x").status().code(), Code::kNotFound);
  Id id = engine->proposals().add(as(ivanov), tea_proposal(15'00))->record.id;
  EXPECT_TRUE(engine->proposals().request_approval(as(ivanov), id, "").status().fields().count("reason"));
}

TEST_F(ApprovalsTest, TheMatrixComesFromTheConfiguration) {
  Config config;
  ASSERT_TRUE(config.set("approvals.discount_percent", "20").is_ok());
  ASSERT_TRUE(config.set("approvals.role.vip_visit", "director").is_ok());
  reconfigure(config);
  EXPECT_EQ(engine->approvals().request_deal_discount(as(ivanov), deal, 15'00, "x")->status, ApprovalStatus::kApproved);
  auto visit = engine->approvals().request_visit(as(ivanov), vip_client, Instant{kStartMs + kDay}, "x");
  EXPECT_EQ(visit->approver_role, Role::kDirector);

  Config bad;
  EXPECT_TRUE(bad.set("approvals.discount_percent", "много").fields().count("approvals.discount_percent"));
  EXPECT_FALSE(bad.set("approvals.discount_percent", "120").is_ok());
  EXPECT_FALSE(bad.set("approvals.role.vip_visit", "manager").is_ok());
  EXPECT_FALSE(bad.set("approvals.role.lunch", "head").is_ok());
  EXPECT_FALSE(bad.set("approvals.escalate_after_hours", "0").is_ok());
  EXPECT_FALSE(bad.set("approvals.everything", "1").is_ok()) << "a typo is not silently ignored";
  ASSERT_TRUE(bad.set("approvals.contract_amount", "2 000 000,00").is_ok());
  EXPECT_EQ(bad.approvals.contract_amount_minor, 2'000'000'00);
}

TEST_F(ApprovalsTest, TheApprovalsSectionIsReadFromTheConfigFile) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("salescore-approvals-" + std::to_string(::getpid()) + ".ini")).string();
  std::ofstream(path) << "[approvals]\ndiscount_percent = 12.5\nrole.vip_visit = director\n"
                         "escalate_after_hours = 8\ndirector_contract_amount = 0\n";
  auto config = Config::load(path);
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  EXPECT_EQ(config->approvals.discount_bp, 12'50);
  EXPECT_EQ(config->approvals.roles.at("vip_visit"), "director");
  EXPECT_EQ(config->approvals.escalate_after_hours, 8);
  EXPECT_EQ(config->approvals.director_contract_amount_minor, 0);
  std::ofstream(path) << "[approvals]\ndiscont_percent = 5\n";
  auto typo = Config::load(path);
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("discont_percent"), std::string::npos);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace salescore::testing
