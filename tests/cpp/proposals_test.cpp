#include <gtest/gtest.h>

#include "approvals_fixture.h"

namespace salescore::testing {
namespace {

class ProposalsTest : public DepartmentTest {};

TEST_F(ProposalsTest, AStandardProposalWithinTheMatrixGoesStraightToTheClient) {
  auto added = engine->proposals().add(as(ivanov), tea_proposal(5'00));
  ASSERT_TRUE(added.ok()) << added.status().to_string();
  const Proposal& p = added->record;
  EXPECT_EQ(p.status, ProposalStatus::kDraft);
  EXPECT_EQ(p.owner_id, ivanov) << "the client's owner owns the proposal";
  EXPECT_EQ(p.lines[0].amount_minor, 950'00) << "10 x 100.00 less 5%";
  EXPECT_EQ(p.total_minor, 950'00);
  EXPECT_EQ(p.currency, "RUB");

  clock->advance_ms(kHour);
  auto sent = engine->proposals().send(as(ivanov), p.id);
  ASSERT_TRUE(sent.ok()) << sent.status().to_string();
  EXPECT_EQ(sent->status, ProposalStatus::kSent);
  EXPECT_EQ(sent->sent_at->ms, kStartMs + kHour);
  EXPECT_TRUE(deal_has("proposal_sent")) << "the pipeline gate reads the deal's documents";
  auto check = engine->tasks().get(actor, sent->receipt_task_id);
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check->assignee_id, ivanov);
  EXPECT_EQ(check->due_at->ms, kStartMs + kHour + 24 * kHour) << "[approvals] receipt_check_hours";

  clock->advance_ms(3 * kHour);
  auto received = engine->proposals().mark_received(as(ivanov), p.id);
  ASSERT_TRUE(received.ok()) << received.status().to_string();
  EXPECT_EQ(received->status, ProposalStatus::kReceived);
  EXPECT_EQ(received->received_at->ms, kStartMs + 4 * kHour);
  EXPECT_EQ(engine->tasks().get(actor, sent->receipt_task_id)->status, TaskStatus::kDone);

  auto accepted = engine->proposals().accept(as(ivanov), p.id);
  ASSERT_TRUE(accepted.ok()) << accepted.status().to_string();
  EXPECT_EQ(accepted->status, ProposalStatus::kAccepted);
  EXPECT_EQ(accepted->answered_at->ms, kStartMs + 4 * kHour);
  auto tasks = open_tasks_of(ivanov);
  ASSERT_EQ(tasks.size(), 1u) << "the owner prepares the contract or order";
  EXPECT_NE(tasks.front().title.find("принял"), std::string::npos) << tasks.front().title;  // [company] language
  for (const char* type : {"proposal.created", "proposal.sent", "proposal.received", "proposal.accepted"})
    EXPECT_EQ(events_of_type(type).size(), 1u) << type;
}

TEST_F(ProposalsTest, AnIndividualProposalSentWithoutApprovalIsRefused) {
  Proposal p = tea_proposal();
  p.kind = ProposalKind::kIndividual;
  Id id = engine->proposals().add(as(ivanov), p)->record.id;
  auto sent = engine->proposals().send(as(ivanov), id);
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(sent.status().reason(), "approval_required");
  EXPECT_TRUE(sent.status().fields().count("individual_proposal"));
  EXPECT_EQ(engine->proposals().get(as(ivanov), id)->status, ProposalStatus::kDraft);
  EXPECT_FALSE(deal_has("proposal_sent")) << "a refused send changes nothing";
}

TEST_F(ProposalsTest, TheHeadApprovesAnIndividualProposalAndThenItIsSent) {
  Proposal p = tea_proposal();
  p.kind = ProposalKind::kIndividual;
  p.terms.special_terms = "бесплатная доставка в магазины сети";
  Id id = engine->proposals().add(as(ivanov), p)->record.id;
  auto asked = engine->proposals().request_approval(as(ivanov), id, "клиент сравнивает с конкурентом");
  ASSERT_TRUE(asked.ok()) << asked.status().to_string();
  EXPECT_EQ(asked->status, ApprovalStatus::kPending);
  EXPECT_EQ(asked->approver_id, head);
  EXPECT_EQ(asked->approver_role, Role::kHead);
  EXPECT_EQ(asked->rules, (std::vector<std::string>{"individual_proposal", "special_terms"}));
  EXPECT_EQ(asked->due_at->ms, kStartMs + 24 * kHour);
  auto head_tasks = open_tasks_of(head);
  ASSERT_EQ(head_tasks.size(), 1u);
  EXPECT_EQ(head_tasks.front().id, asked->task_id);
  EXPECT_EQ(head_tasks.front().due_at->ms, kStartMs + 24 * kHour);

  auto waiting = engine->proposals().get(as(ivanov), id);
  EXPECT_EQ(waiting->status, ProposalStatus::kApprovalRequested);
  EXPECT_EQ(waiting->approval_id, asked->id);
  EXPECT_EQ(engine->proposals().send(as(ivanov), id).status().reason(), "approval_required");
  ProposalPatch notes;
  notes.notes = "пока ждём";
  EXPECT_EQ(engine->proposals().update(as(ivanov), id, notes).status().code(), Code::kFailedPrecondition)
      << "the head decides on what was asked, not on a moving target";

  clock->advance_ms(2 * kHour);
  auto approved = engine->approvals().approve(as(head), asked->id, "согласовано, но не ниже 90 дней");
  ASSERT_TRUE(approved.ok()) << approved.status().to_string();
  EXPECT_EQ(approved->decided_by, head);
  EXPECT_EQ(approved->decided_at->ms, kStartMs + 2 * kHour);
  EXPECT_FALSE(approved->due_at.has_value());
  EXPECT_EQ(engine->tasks().get(actor, asked->task_id)->status, TaskStatus::kDone);
  EXPECT_EQ(engine->proposals().get(as(ivanov), id)->status, ProposalStatus::kApproved);
  auto told = open_tasks_of(ivanov);
  ASSERT_EQ(told.size(), 1u) << "the requester is told";
  EXPECT_NE(told.front().title.find("согласовано, orlova"), std::string::npos) << told.front().title;
  EXPECT_EQ(events_of_type("proposal.approved").size(), 1u);

  auto sent = engine->proposals().send(as(ivanov), id);
  ASSERT_TRUE(sent.ok()) << sent.status().to_string();
  EXPECT_EQ(sent->status, ProposalStatus::kSent);
}

TEST_F(ProposalsTest, ARejectedProposalIsReworkedAndAskedAgain) {
  Proposal p = tea_proposal(15'00);
  Id id = engine->proposals().add(as(ivanov), p)->record.id;
  Id first = engine->proposals().request_approval(as(ivanov), id, "крупный заказ")->id;
  auto bare = engine->approvals().reject(as(head), first, " ");
  ASSERT_FALSE(bare.ok());
  EXPECT_TRUE(bare.status().fields().count("comment")) << "a refusal says what to rework";
  ASSERT_TRUE(engine->approvals().reject(as(head), first, "не больше 12%").ok());
  EXPECT_EQ(engine->proposals().get(as(ivanov), id)->status, ProposalStatus::kRejected);
  EXPECT_EQ(engine->proposals().send(as(ivanov), id).status().reason(), "approval_required");

  ProposalPatch rework;
  rework.lines = tea_proposal(12'00).lines;
  auto reworked = engine->proposals().update(as(ivanov), id, rework);
  ASSERT_TRUE(reworked.ok()) << reworked.status().to_string();
  EXPECT_EQ(reworked->record.status, ProposalStatus::kDraft);
  EXPECT_EQ(reworked->record.total_minor, 880'00);
  auto second = engine->proposals().request_approval(as(ivanov), id, "снизили до 12%");
  ASSERT_TRUE(second.ok()) << second.status().to_string();
  EXPECT_NE(second->id, first);
  EXPECT_EQ(second->summary, "discount 12.00% above 10.00%");
}

TEST_F(ProposalsTest, GenerousTermsNeedApprovalEvenOnAStandardProposal) {
  Proposal deferred = tea_proposal();
  deferred.terms.deferral_days = 45;
  Id id = engine->proposals().add(as(ivanov), deferred)->record.id;
  auto sent = engine->proposals().send(as(ivanov), id);
  EXPECT_EQ(sent.status().reason(), "approval_required");
  EXPECT_EQ(sent.status().fields().count("deferral"), 1u);

  // The head's own authority covers what she would approve for her managers...
  Id discounted = engine->proposals().add(as(head), tea_proposal(15'00))->record.id;
  EXPECT_TRUE(engine->proposals().send(as(head), discounted).ok());
  EXPECT_EQ(engine->proposals().request_approval(as(head), id, "x").status().code(), Code::kFailedPrecondition)
      << "nothing to ask for within one's own authority";
  // ...but not a discount above the director's threshold.
  Id deep = engine->proposals().add(as(head), tea_proposal(30'00))->record.id;
  EXPECT_EQ(engine->proposals().send(as(head), deep).status().reason(), "approval_required");
  auto asked = engine->proposals().request_approval(as(head), deep, "вывод на полку сети");
  ASSERT_TRUE(asked.ok()) << asked.status().to_string();
  EXPECT_EQ(asked->approver_role, Role::kDirector);
  EXPECT_EQ(asked->approver_id, director);
}

TEST_F(ProposalsTest, BadProposalsAreRefusedNamingEachField) {
  Proposal p;
  p.client_id = client;
  p.deal_id = deal;
  EXPECT_TRUE(engine->proposals().add(as(ivanov), p).status().fields().count("lines"));

  Proposal bad = tea_proposal();
  bad.lines.push_back({"", 0, "", Quantity{0}, -1, 120'00, 0});
  bad.terms.deferral_days = -3;
  bad.terms.valid_until = Instant{kStartMs - kDay};
  bad.currency = "rubles";
  auto r = engine->proposals().add(as(ivanov), bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  for (const char* field : {"lines[1].sku", "lines[1].quantity", "lines[1].price", "lines[1].discount_percent",
                            "terms.deferral_days", "terms.valid_until", "currency"})
    EXPECT_TRUE(r.status().fields().count(field)) << field << " in " << r.status().to_string();

  Client other = client_named("ИП Другой");
  other.owner_id = ivanov;
  Proposal elsewhere = tea_proposal();
  elsewhere.client_id = engine->clients().add(actor, other)->record.id;
  EXPECT_TRUE(engine->proposals().add(as(ivanov), elsewhere).status().fields().count("deal_id"))
      << "the deal must be with the same client";
  Proposal nobody = tea_proposal();
  nobody.client_id = 999;
  nobody.deal_id = 0;
  EXPECT_TRUE(engine->proposals().add(actor, nobody).status().fields().count("client_id"));
}

TEST_F(ProposalsTest, ReceiptAndAnswersFollowSending) {
  Id id = engine->proposals().add(as(ivanov), tea_proposal())->record.id;
  EXPECT_EQ(engine->proposals().accept(as(ivanov), id).status().code(), Code::kFailedPrecondition)
      << "a draft gets no answer";
  EXPECT_EQ(engine->proposals().mark_received(as(ivanov), id).status().code(), Code::kFailedPrecondition);
  clock->advance_ms(kHour);
  ASSERT_TRUE(engine->proposals().send(as(ivanov), id).ok());
  EXPECT_TRUE(engine->proposals()
                  .mark_received(as(ivanov), id, Instant{kStartMs})
                  .status()
                  .fields()
                  .count("received_at"))
      << "received before it was sent";
  EXPECT_TRUE(engine->proposals().decline(as(ivanov), id, "").status().fields().count("reason"));
  auto declined = engine->proposals().decline(as(ivanov), id, "дорого");
  ASSERT_TRUE(declined.ok()) << declined.status().to_string();
  EXPECT_EQ(declined->status, ProposalStatus::kDeclined);
  EXPECT_TRUE(declined->received_at.has_value()) << "an answer implies receipt";
  EXPECT_EQ(engine->tasks().get(actor, declined->receipt_task_id)->status, TaskStatus::kDone);
  EXPECT_EQ(engine->proposals().send(as(ivanov), id).status().code(), Code::kFailedPrecondition);
}

TEST_F(ProposalsTest, AnExpiredProposalIsNotSent) {
  Proposal p = tea_proposal();
  p.terms.valid_until = Instant{kStartMs + kDay};
  Id id = engine->proposals().add(as(ivanov), p)->record.id;
  clock->set(Instant{kStartMs + kDay});
  auto sent = engine->proposals().send(as(ivanov), id);
  ASSERT_FALSE(sent.ok());
  EXPECT_TRUE(sent.status().fields().count("terms.valid_until"));
}

TEST_F(ProposalsTest, ProposalsFollowTheAccessRules) {
  Id id = engine->proposals().add(as(ivanov), tea_proposal())->record.id;
  EXPECT_EQ(engine->proposals().get(as(petrova), id).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(engine->proposals().send(as(petrova), id).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(*engine->proposals().count(as(petrova), ProposalQuery{}), 0);
  EXPECT_EQ(engine->proposals().add(as(petrova), tea_proposal()).status().code(), Code::kPermissionDenied)
      << "a colleague's client is not yours to offer to";
  EXPECT_EQ(engine->proposals().find(as(head), ProposalQuery{})->size(), 1u);
  EXPECT_EQ(engine->proposals().find(as(other_head), ProposalQuery{})->size(), 0u);
  auto by_assistant = engine->proposals().add(as(smirnova), tea_proposal());
  ASSERT_TRUE(by_assistant.ok()) << by_assistant.status().to_string();
  EXPECT_EQ(by_assistant->record.owner_id, ivanov);
}

}  // namespace
}  // namespace salescore::testing
