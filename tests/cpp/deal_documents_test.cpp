// The documents a deal's stage gates ask for: those the engine derives from its records
// (a sent proposal, a signed contract, a granted discount) cannot be written by anyone,
// and those a person vouches for are attested through one logged operation.
#include <gtest/gtest.h>

#include <set>

#include "approvals_fixture.h"

namespace salescore::testing {
namespace {

class DealDocumentsTest : public DepartmentTest {
 protected:
  // What the default pipeline asks for before any document: an amount and a close date.
  void qualify() {
    DealPatch fields;
    fields.expected_amount = Money{500'000'00, ""};
    fields.expected_close = Instant{kStartMs + 30 * kDay};
    auto r = engine->deals().update(as(ivanov), deal, fields);
    ASSERT_TRUE(r.ok()) << r.status().to_string();
  }

  Status self_certify(std::vector<std::string> documents, const Actor& who) {
    DealPatch patch;
    patch.documents = std::move(documents);
    return engine->deals().update(who, deal, patch).status();
  }

  // The fields a move to `stage` lacks (empty when the move went through).
  std::set<std::string> missing_for(const std::string& stage) {
    auto r = engine->deals().advance(as(ivanov), deal, stage);
    std::set<std::string> missing;
    if (r.ok()) return missing;
    EXPECT_EQ(r.status().reason(), "stage_gate") << r.status().to_string();
    for (const auto& [field, problem] : r.status().fields()) missing.insert(field);
    return missing;
  }

  Id drafted_proposal() {
    auto p = engine->proposals().add(as(ivanov), tea_proposal());
    EXPECT_TRUE(p.ok()) << p.status().to_string();
    return p.ok() ? p->record.id : 0;
  }

  Id drafted_contract(const std::string& number) {
    auto k = engine->contracts().add(as(ivanov), supply_contract(number, 500'000'00));
    EXPECT_TRUE(k.ok()) << k.status().to_string();
    return k.ok() ? k->record.id : 0;
  }
};

TEST_F(DealDocumentsTest, AManagerCannotWriteEngineKnownDocumentsOntoTheirDeal) {
  qualify();
  Status refused = self_certify({"proposal_sent", "contract_signed"}, as(ivanov));
  ASSERT_FALSE(refused.is_ok()) << "no proposal was sent and no contract signed";
  EXPECT_EQ(refused.code(), Code::kInvalidArgument);
  ASSERT_TRUE(refused.fields().count("documents")) << refused.to_string();
  EXPECT_NE(refused.message().find("proposal_sent"), std::string::npos) << refused.message();
  EXPECT_NE(refused.message().find("contract_signed"), std::string::npos) << refused.message();
  EXPECT_FALSE(deal_has("proposal_sent"));
  EXPECT_EQ(missing_for("won"), (std::set<std::string>{"proposal_sent", "contract_signed"}));

  DealPatch with;
  with.documents = std::vector<std::string>{"proposal_sent", "contract_signed"};
  auto advanced = engine->deals().advance(as(ivanov), deal, "won", with);
  EXPECT_EQ(advanced.status().code(), Code::kInvalidArgument) << "nor in the same step as the move";
  EXPECT_EQ(engine->deals().get(actor, deal)->stage, "new");
}

TEST_F(DealDocumentsTest, NotEvenADirectorOrTheSystemWritesThem) {
  EXPECT_EQ(self_certify({"discount_approved"}, as(director)).code(), Code::kInvalidArgument);
  EXPECT_EQ(self_certify({"contract_signed"}, actor).code(), Code::kInvalidArgument);
  Deal opened;
  opened.client_id = client;
  opened.title = "Вторая поставка";
  opened.documents = {"proposal_sent"};
  auto added = engine->deals().add(actor, opened);
  ASSERT_FALSE(added.ok()) << "a deal is not opened with documents nothing backs";
  EXPECT_TRUE(added.status().fields().count("documents")) << added.status().to_string();
}

TEST_F(DealDocumentsTest, ACustomFieldNamedAfterADocumentDoesNotPassTheGate) {
  qualify();
  DealPatch custom;
  custom.custom = std::map<std::string, std::string>{{"proposal_sent", "да"}};
  auto r = engine->deals().update(as(ivanov), deal, custom);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().fields().count("custom.proposal_sent")) << r.status().to_string();
  EXPECT_EQ(missing_for("negotiation"), (std::set<std::string>{"proposal_sent"}));
}

TEST_F(DealDocumentsTest, EveryGateOfTheDefaultPipelinePassesOnlyWithItsRealRecords) {
  EXPECT_EQ(missing_for("qualified"), (std::set<std::string>{"expected_amount"}));
  DealPatch amount;
  amount.expected_amount = Money{500'000'00, ""};
  ASSERT_TRUE(engine->deals().update(as(ivanov), deal, amount).ok());
  EXPECT_TRUE(missing_for("qualified").empty());
  EXPECT_EQ(missing_for("proposal"), (std::set<std::string>{"expected_close"}));
  DealPatch close;
  close.expected_close = Instant{kStartMs + 30 * kDay};
  ASSERT_TRUE(engine->deals().update(as(ivanov), deal, close).ok());
  EXPECT_TRUE(missing_for("proposal").empty());

  // negotiation and contract: a proposal of this deal that went to the client.
  EXPECT_FALSE(self_certify({"proposal_sent"}, as(ivanov)).is_ok());
  Id proposal = drafted_proposal();
  EXPECT_EQ(missing_for("negotiation"), (std::set<std::string>{"proposal_sent"})) << "a draft was not sent";
  ASSERT_TRUE(engine->proposals().send(as(ivanov), proposal).ok());
  EXPECT_TRUE(missing_for("negotiation").empty());
  EXPECT_TRUE(missing_for("contract").empty());

  // won: a signed contract of this deal.
  EXPECT_FALSE(self_certify({"proposal_sent", "contract_signed"}, as(ivanov)).is_ok());
  Id contract = drafted_contract("Д-2026/201");
  EXPECT_EQ(missing_for("won"), (std::set<std::string>{"contract_signed"})) << "a draft is not signed";
  ASSERT_TRUE(engine->contracts().sign(as(ivanov), contract).ok());
  EXPECT_TRUE(missing_for("won").empty());
  EXPECT_EQ(engine->deals().get(actor, deal)->stage, "won");
}

TEST_F(DealDocumentsTest, AnotherDealsRecordsDoNotCount) {
  qualify();
  Deal other;
  other.client_id = client;
  other.title = "Другая сделка";
  Id other_deal = engine->deals().add(actor, other)->record.id;
  Proposal p = tea_proposal();
  p.deal_id = other_deal;
  Id proposal = engine->proposals().add(as(ivanov), p)->record.id;
  ASSERT_TRUE(engine->proposals().send(as(ivanov), proposal).ok());
  EXPECT_EQ(missing_for("negotiation"), (std::set<std::string>{"proposal_sent"}));
}

TEST_F(DealDocumentsTest, ATerminatedContractNoLongerCountsAsSigned) {
  qualify();
  ASSERT_TRUE(engine->proposals().send(as(ivanov), drafted_proposal()).ok());
  Id contract = drafted_contract("Д-2026/202");
  ASSERT_TRUE(engine->contracts().sign(as(ivanov), contract).ok());
  EXPECT_TRUE(deal_has("contract_signed"));
  ASSERT_TRUE(engine->contracts().terminate(as(ivanov), contract, "клиент отказался").ok());
  EXPECT_FALSE(deal_has("contract_signed")) << "the contract behind the document is gone";
  EXPECT_EQ(missing_for("won"), (std::set<std::string>{"contract_signed"}));
}

TEST_F(DealDocumentsTest, ADiscountIsApprovedOnlyByAGrant) {
  Config config;
  ASSERT_TRUE(config.set("pipeline.requires.contract", "proposal_sent, discount_approved").is_ok());
  reconfigure(config);
  qualify();
  ASSERT_TRUE(engine->proposals().send(as(ivanov), drafted_proposal()).ok());
  Status refused = self_certify({"proposal_sent", "discount_approved"}, as(ivanov));
  EXPECT_EQ(refused.code(), Code::kInvalidArgument);
  EXPECT_NE(refused.message().find("discount_approved"), std::string::npos) << refused.message();
  auto asked = engine->approvals().request_deal_discount(as(ivanov), deal, 15'00, "конкурент дал 15%");
  ASSERT_TRUE(asked.ok()) << asked.status().to_string();
  EXPECT_EQ(missing_for("contract"), (std::set<std::string>{"discount_approved"})) << "asked is not granted";
  ASSERT_TRUE(engine->approvals().approve(as(head), asked->id, "при предоплате").ok());
  EXPECT_TRUE(missing_for("contract").empty());
}

TEST_F(DealDocumentsTest, TheClientsReceiptOfAProposalIsADocumentToo) {
  Config config;
  ASSERT_TRUE(config.set("pipeline.requires.contract", "proposal_received").is_ok());
  reconfigure(config);
  qualify();
  Id proposal = drafted_proposal();
  ASSERT_TRUE(engine->proposals().send(as(ivanov), proposal).ok());
  EXPECT_EQ(missing_for("contract"), (std::set<std::string>{"proposal_received"}));
  EXPECT_FALSE(self_certify({"proposal_sent", "proposal_received"}, as(ivanov)).is_ok());
  ASSERT_TRUE(engine->proposals().mark_received(as(ivanov), proposal).ok());
  EXPECT_TRUE(deal_has("proposal_received"));
  EXPECT_TRUE(missing_for("contract").empty());
}

TEST_F(DealDocumentsTest, AnAttestableDocumentIsAttestedByWhoeverWorksTheDealAndLogged) {
  Config config;
  ASSERT_TRUE(config.set("pipeline.requires.contract", "proposal_sent, specification").is_ok());
  ASSERT_TRUE(config.set("pipeline.attestable.contract", "specification").is_ok());
  reconfigure(config);
  qualify();
  ASSERT_TRUE(engine->proposals().send(as(ivanov), drafted_proposal()).ok());
  EXPECT_EQ(missing_for("contract"), (std::set<std::string>{"specification"}));
  EXPECT_FALSE(self_certify({"proposal_sent", "specification"}, as(ivanov)).is_ok()) << "attested, not written";
  DealPatch custom;
  custom.custom = std::map<std::string, std::string>{{"specification", "да"}};
  EXPECT_TRUE(engine->deals().update(as(ivanov), deal, custom).status().fields().count("custom.specification"));

  EXPECT_EQ(engine->deals().attest_document(as(petrova), deal, "specification").status().code(),
            Code::kPermissionDenied);
  auto derived = engine->deals().attest_document(as(ivanov), deal, "contract_signed");
  EXPECT_TRUE(derived.status().fields().count("document")) << derived.status().to_string();
  EXPECT_NE(derived.status().message().find("contract_signed"), std::string::npos);
  EXPECT_TRUE(engine->deals().attest_document(as(ivanov), deal, "questionnaire").status().fields().count("document"));

  auto attested = engine->deals().attest_document(as(ivanov), deal, "specification", "скан, подписан клиентом");
  ASSERT_TRUE(attested.ok()) << attested.status().to_string();
  EXPECT_EQ(attested->outcome, WriteOutcome::kUpdated);
  EXPECT_EQ(attested->record.documents, (std::vector<std::string>{"proposal_sent", "specification"}));
  auto logged = events_of_type("deal.document_attested");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0].actor_id, ivanov);
  EXPECT_EQ(logged[0].entity_id, deal);
  EXPECT_NE(logged[0].payload.find("скан, подписан клиентом"), std::string::npos) << logged[0].payload;
  EXPECT_EQ(engine->deals().attest_document(as(ivanov), deal, "specification")->outcome, WriteOutcome::kUnchanged);
  EXPECT_EQ(events_of_type("deal.document_attested").size(), 1u) << "attesting again changes nothing";

  AttestationQuery of_deal;
  of_deal.deal_id = deal;
  auto kept = engine->deals().attestations(as(ivanov), of_deal);
  ASSERT_TRUE(kept.ok()) << kept.status().to_string();
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_EQ((*kept)[0].attested_by, ivanov);
  EXPECT_FALSE((*kept)[0].by_migration);
  EXPECT_TRUE(engine->deals().attestations(as(sokolov), of_deal)->empty()) << "another department's deal";
  EXPECT_TRUE(missing_for("contract").empty());
}

TEST(DealDocumentsConfig, AnEngineKnownDocumentIsNeverAttestable) {
  Config config;
  Status refused = config.set("pipeline.attestable.won", "specification, contract_signed");
  EXPECT_TRUE(refused.fields().count("pipeline.attestable.won")) << refused.to_string();
  EXPECT_NE(refused.message().find("contract_signed"), std::string::npos);
  EXPECT_TRUE(config.set("pipeline.attestable.contract", "specification, questionnaire").is_ok());
  EXPECT_TRUE(is_attestable_document(config.pipeline, "questionnaire"));
  EXPECT_FALSE(is_attestable_document(config.pipeline, "price_list"));
}

}  // namespace
}  // namespace salescore::testing
