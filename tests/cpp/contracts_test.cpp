#include <gtest/gtest.h>

#include "approvals_fixture.h"

namespace salescore::testing {
namespace {

class ContractsTest : public DepartmentTest {};

TEST_F(ContractsTest, AContractWithinTheMatrixIsSignedAndMarksTheDeal) {
  Contract k = supply_contract("Д-2026/101", 500'000'00);
  k.valid_from = Instant{kStartMs};
  k.valid_to = Instant{kStartMs + 365 * kDay};
  auto added = engine->contracts().add(as(ivanov), k);
  ASSERT_TRUE(added.ok()) << added.status().to_string();
  EXPECT_EQ(added->record.status, ContractStatus::kDraft);
  EXPECT_EQ(added->record.owner_id, ivanov);
  EXPECT_EQ(added->record.amount.currency, "RUB");
  auto signed_k = engine->contracts().sign(as(ivanov), added->record.id);
  ASSERT_TRUE(signed_k.ok()) << signed_k.status().to_string();
  EXPECT_EQ(signed_k->status, ContractStatus::kSigned);
  EXPECT_EQ(signed_k->signed_at->ms, kStartMs);
  EXPECT_TRUE(deal_has("contract_signed"));
  EXPECT_EQ(events_of_type("contract.signed").size(), 1u);
  EXPECT_EQ(engine->contracts().sign(as(ivanov), added->record.id).status().code(), Code::kFailedPrecondition);
}

TEST_F(ContractsTest, AContractAboveTheAmountNeedsApprovalBeforeSigning) {
  Id id = engine->contracts().add(as(ivanov), supply_contract("Д-2026/102", 1'500'000'00))->record.id;
  auto early = engine->contracts().sign(as(ivanov), id);
  EXPECT_EQ(early.status().reason(), "approval_required");
  EXPECT_TRUE(early.status().fields().count("contract_amount"));

  EXPECT_TRUE(engine->contracts().request_approval(as(ivanov), id, "годовой объём").status().fields().count("risk_note"))
      << "a contract goes to approval with its risk assessment";
  ContractPatch risk;
  risk.risk_note = "новый клиент, без истории платежей";
  ASSERT_TRUE(engine->contracts().update(as(ivanov), id, risk).ok());
  auto asked = engine->contracts().request_approval(as(ivanov), id, "годовой объём");
  ASSERT_TRUE(asked.ok()) << asked.status().to_string();
  EXPECT_EQ(asked->subject, ApprovalSubject::kContract);
  EXPECT_EQ(asked->rules, std::vector<std::string>{"contract_amount"});
  EXPECT_EQ(engine->contracts().get(as(ivanov), id)->status, ContractStatus::kOnApproval);
  EXPECT_EQ(engine->contracts().sign(as(ivanov), id).status().reason(), "approval_required");
  EXPECT_EQ(engine->contracts().update(as(ivanov), id, risk).status().code(), Code::kFailedPrecondition);

  ASSERT_TRUE(engine->approvals().approve(as(head), asked->id, "с предоплатой 30%").ok());
  auto approved = engine->contracts().get(as(ivanov), id);
  EXPECT_EQ(approved->status, ContractStatus::kDraft);
  EXPECT_TRUE(approved->approved);
  auto signed_k = engine->contracts().sign(as(ivanov), id);
  ASSERT_TRUE(signed_k.ok()) << signed_k.status().to_string();
  EXPECT_TRUE(deal_has("contract_signed"));
}

TEST_F(ContractsTest, AChangeAfterApprovalNeedsANewOne) {
  Contract k = supply_contract("Д-2026/103", 1'500'000'00);
  k.risk_note = "ok";
  Id id = engine->contracts().add(as(ivanov), k)->record.id;
  Id approval = engine->contracts().request_approval(as(ivanov), id, "объём")->id;
  ASSERT_TRUE(engine->approvals().approve(as(head), approval).ok());
  ContractPatch more;
  more.amount = Money{2'500'000'00, ""};
  auto changed = engine->contracts().update(as(ivanov), id, more);
  ASSERT_TRUE(changed.ok()) << changed.status().to_string();
  EXPECT_FALSE(changed->record.approved);
  EXPECT_EQ(engine->contracts().sign(as(ivanov), id).status().reason(), "approval_required");
}

TEST_F(ContractsTest, ARejectedContractStaysUnsigned) {
  Contract k = supply_contract("Д-2026/104", 1'500'000'00);
  k.risk_note = "высокий";
  Id id = engine->contracts().add(as(ivanov), k)->record.id;
  Id approval = engine->contracts().request_approval(as(ivanov), id, "объём")->id;
  ASSERT_TRUE(engine->approvals().reject(as(head), approval, "нужна банковская гарантия").ok());
  auto rejected = engine->contracts().get(as(ivanov), id);
  EXPECT_EQ(rejected->status, ContractStatus::kDraft);
  EXPECT_FALSE(rejected->approved);
  EXPECT_EQ(engine->contracts().sign(as(ivanov), id).status().reason(), "approval_required");
  EXPECT_EQ(events_of_type("contract.rejected").size(), 1u);
}

TEST_F(ContractsTest, SignedContractsExpireWhenTheirValidityEnds) {
  Contract k = supply_contract("Д-2026/105", 100'000'00);
  k.valid_to = Instant{kStartMs + 30 * kDay};
  Id id = engine->contracts().add(as(ivanov), k)->record.id;
  ASSERT_TRUE(engine->contracts().sign(as(ivanov), id).ok());
  clock->set(Instant{kStartMs + 30 * kDay - 1});
  EXPECT_EQ(engine->run_due()->contracts_expired, 0);
  clock->set(Instant{kStartMs + 30 * kDay});
  EXPECT_EQ(engine->run_due()->contracts_expired, 1);
  EXPECT_EQ(engine->run_due()->contracts_expired, 0);
  EXPECT_EQ(engine->contracts().get(as(ivanov), id)->status, ContractStatus::kExpired);
  EXPECT_EQ(events_of_type("contract.expired").size(), 1u);
  auto tasks = open_tasks_of(ivanov);
  ASSERT_EQ(tasks.size(), 1u) << "the owner renews it or lets the client go knowingly";
  EXPECT_EQ(tasks.front().client_id, client);
}

TEST_F(ContractsTest, TerminatingAContractOnApprovalCancelsTheRequest) {
  Contract k = supply_contract("Д-2026/106", 1'500'000'00);
  k.risk_note = "средний";
  Id id = engine->contracts().add(as(ivanov), k)->record.id;
  auto asked = engine->contracts().request_approval(as(ivanov), id, "объём");
  ASSERT_TRUE(asked.ok());
  EXPECT_TRUE(engine->contracts().terminate(as(ivanov), id, "").status().fields().count("reason"));
  auto ended = engine->contracts().terminate(as(ivanov), id, "клиент передумал");
  ASSERT_TRUE(ended.ok()) << ended.status().to_string();
  EXPECT_EQ(ended->status, ContractStatus::kTerminated);
  EXPECT_EQ(ended->termination_reason, "клиент передумал");
  EXPECT_EQ(engine->approvals().get(actor, asked->id)->status, ApprovalStatus::kCancelled);
  EXPECT_EQ(engine->tasks().get(actor, asked->task_id)->status, TaskStatus::kCancelled);
  EXPECT_EQ(engine->approvals().approve(as(head), asked->id).status().code(), Code::kFailedPrecondition);
}

TEST_F(ContractsTest, BadContractsAreRefusedNamingEachField) {
  Contract k = supply_contract("", -5);
  k.valid_from = Instant{kStartMs + kDay};
  k.valid_to = Instant{kStartMs};
  k.deferral_days = -1;
  k.amount.currency = "рубли";
  auto r = engine->contracts().add(as(ivanov), k);
  ASSERT_FALSE(r.ok());
  for (const char* field : {"number", "amount", "valid_to", "deferral_days", "currency"})
    EXPECT_TRUE(r.status().fields().count(field)) << field << " in " << r.status().to_string();
  ASSERT_TRUE(engine->contracts().add(as(ivanov), supply_contract("Д-1", 1'00)).ok());
  auto twice = engine->contracts().add(as(ivanov), supply_contract("Д-1", 1'00));
  EXPECT_EQ(twice.status().code(), Code::kAlreadyExists);
  EXPECT_TRUE(twice.status().fields().count("number"));
  EXPECT_EQ(engine->contracts().sign(as(ivanov), 999).status().code(), Code::kNotFound);
}

TEST_F(ContractsTest, ContractsFollowTheAccessRules) {
  Id id = engine->contracts().add(as(ivanov), supply_contract("Д-2026/107", 1'00))->record.id;
  EXPECT_EQ(engine->contracts().get(as(petrova), id).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(engine->contracts().sign(as(petrova), id).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(*engine->contracts().count(as(petrova), ContractQuery{}), 0);
  EXPECT_EQ(*engine->contracts().count(as(head), ContractQuery{}), 1);
  EXPECT_EQ(engine->contracts().add(as(sokolov), supply_contract("Д-9", 1'00)).status().code(),
            Code::kPermissionDenied);
}

}  // namespace
}  // namespace salescore::testing
