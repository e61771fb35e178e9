#include <gtest/gtest.h>

#include "sales_fixture.h"

namespace salescore::testing {
namespace {

class ClaimsTest : public SalesTest {
 protected:
  Claim claim_on(const Order& o, ClaimKind kind, const std::string& description) {
    Claim c;
    c.order_id = o.id;
    c.kind = kind;
    c.description = description;
    return c;
  }

  Claim registered(const Order& o, const std::string& cause = "", ClaimKind kind = ClaimKind::kQuality) {
    auto r = engine->claims().add(actor, claim_on(o, kind, "мешки порваны"));
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    if (!r.ok() || cause.empty()) return r.ok() ? *r : Claim{};
    ClaimPatch p;
    p.cause = cause;
    auto u = engine->claims().update(actor, r->id, p);
    EXPECT_TRUE(u.ok()) << u.status().to_string();
    return u.ok() ? u->record : Claim{};
  }

  std::vector<Task> claim_tasks(Id user) {
    std::vector<Task> out;
    for (auto& t : open_tasks_of(user))
      if (t.title.rfind("Разобрать рекламацию", 0) == 0) out.push_back(t);  // [company] language = ru
    return out;
  }
};

TEST_F(ClaimsTest, ARegisteredClaimGivesTheClientsManagerATask) {
  Order o = order_for(anna_client, 100000);
  auto c = engine->claims().add(as(sveta), claim_on(o, ClaimKind::kQuantity, "  недовложение 2 мешка "));
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->client_id, anna_client) << "taken from the order";
  EXPECT_EQ(c->owner_id, anna);
  EXPECT_EQ(c->registered_by, sveta) << "the assistant records claims for her manager";
  EXPECT_EQ(c->status, ClaimStatus::kOpen);
  EXPECT_EQ(c->description, "недовложение 2 мешка");
  auto tasks = claim_tasks(anna);
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].client_id, anna_client);
  EXPECT_EQ(tasks[0].order_id, o.id);
  EXPECT_EQ(tasks[0].due_at, at(kDay));
  EXPECT_EQ(events_of("claim.created").size(), 1u);
}

TEST_F(ClaimsTest, BadClaimsAreRefusedNamingEachField) {
  Order o = order_for(anna_client, 100000);
  Claim nothing;
  nothing.status = ClaimStatus::kResolved;
  auto r = engine->claims().add(actor, nothing);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().fields().count("description"));
  EXPECT_TRUE(r.status().fields().count("order_id")) << "a claim is against an order or a contract";
  EXPECT_TRUE(r.status().fields().count("status")) << "registered open";
  Claim unknown = claim_on(o, ClaimKind::kOther, "x");
  unknown.order_id = 98765;
  EXPECT_TRUE(engine->claims().add(actor, unknown).status().fields().count("order_id"));
  Claim mismatch = claim_on(o, ClaimKind::kOther, "x");
  mismatch.client_id = boris_client;
  EXPECT_TRUE(engine->claims().add(actor, mismatch).status().fields().count("client_id"));
  Claim contract_only;
  contract_only.contract_id = 5;
  contract_only.description = "акт не подписан";
  EXPECT_TRUE(engine->claims().add(actor, contract_only).status().fields().count("client_id"));
}

TEST_F(ClaimsTest, AClaimAgainstAContractKeepsItsIdUnchecked) {
  Claim c;
  c.contract_id = 777;
  c.client_id = boris_client;
  c.kind = ClaimKind::kDocuments;
  c.description = "нет счёта-фактуры";
  auto r = engine->claims().add(actor, c);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(engine->claims().get(actor, r->id)->contract_id, 777);
  EXPECT_EQ(r->owner_id, boris);
}

TEST_F(ClaimsTest, ResolvingNeedsTheCauseAndTheMeasuresAndStampsTheDate) {
  Order o = order_for(anna_client, 100000);
  Claim c = registered(o);
  ClaimPatch investigate;
  investigate.status = ClaimStatus::kInvestigating;
  ASSERT_TRUE(engine->claims().update(as(anna), c.id, investigate).ok());
  ClaimPatch resolve;
  resolve.status = ClaimStatus::kResolved;
  auto refused = engine->claims().update(as(anna), c.id, resolve);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.status().fields().count("cause"));
  EXPECT_TRUE(refused.status().fields().count("measures"));
  clock->set(at(3 * kDay));
  resolve.cause = "брак упаковки";
  resolve.measures = "заменили 2 мешка, сменили поставщика тары";
  auto resolved = engine->claims().update(as(anna), c.id, resolve);
  ASSERT_TRUE(resolved.ok()) << resolved.status().to_string();
  EXPECT_EQ(resolved->record.status, ClaimStatus::kResolved);
  EXPECT_EQ(resolved->record.resolved_at, at(3 * kDay));
  EXPECT_TRUE(claim_tasks(anna).empty()) << "resolving completes the manager's task";
  auto moves = events_of("claim.status_changed");
  ASSERT_EQ(moves.size(), 2u);
  EXPECT_EQ(moves[1].payload, "{\"from\":\"investigating\",\"to\":\"resolved\"}");
}

TEST_F(ClaimsTest, RejectingNeedsACauseAndOnlyAHeadReopens) {
  Order o = order_for(anna_client, 100000);
  Claim c = registered(o);
  ClaimPatch reject;
  reject.status = ClaimStatus::kRejected;
  EXPECT_TRUE(engine->claims().update(as(anna), c.id, reject).status().fields().count("cause"));
  reject.cause = "повреждено при разгрузке клиентом";
  auto rejected = engine->claims().update(as(anna), c.id, reject);
  ASSERT_TRUE(rejected.ok()) << rejected.status().to_string();
  EXPECT_TRUE(rejected->record.resolved_at.has_value());
  ClaimPatch reopen;
  reopen.status = ClaimStatus::kInvestigating;
  EXPECT_EQ(engine->claims().update(as(anna), c.id, reopen).status().code(), Code::kPermissionDenied);
  auto reopened = engine->claims().update(as(orlova), c.id, reopen);
  ASSERT_TRUE(reopened.ok()) << reopened.status().to_string();
  EXPECT_FALSE(reopened->record.resolved_at.has_value());
}

TEST_F(ClaimsTest, RecurringCausesAreCountedOverAPeriod) {
  Order o = order_for(anna_client, 100000);
  registered(o, "Брак упаковки");
  clock->set(at(kDay));
  registered(o, "брак  упаковки ");
  registered(o, "ошибка в накладной", ClaimKind::kDocuments);
  registered(o);  // no cause found yet: not counted
  clock->set(at(10 * kDay));
  registered(o, "БРАК УПАКОВКИ");  // outside the period below
  ClaimCauseQuery period;
  period.from = at(0);
  period.to = at(5 * kDay);
  auto counts = engine->claims().count_by_cause(actor, period);
  ASSERT_TRUE(counts.ok()) << counts.status().to_string();
  EXPECT_EQ(*counts, (std::vector<CauseCount>{{"Брак упаковки", 2}, {"ошибка в накладной", 1}}));
  period.kind = ClaimKind::kDocuments;
  EXPECT_EQ(engine->claims().count_by_cause(actor, period)->size(), 1u);
  EXPECT_EQ(engine->claims().count_by_cause(actor, {})->front().count, 3) << "all time";
}

TEST_F(ClaimsTest, ClaimsFollowTheClientsAccess) {
  Order mine = order_for(anna_client, 100000);
  Order theirs = order_for(sokolov_client, 100000);
  Claim a = registered(mine, "брак");
  registered(theirs, "брак");
  EXPECT_EQ(engine->claims().get(as(boris), a.id).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(engine->claims().add(as(boris), claim_on(mine, ClaimKind::kOther, "x")).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(engine->claims().find(as(anna), {})->size(), 1u);
  EXPECT_EQ(engine->claims().find(as(orlova), {})->size(), 1u);
  EXPECT_EQ(engine->claims().find(as(director), {})->size(), 2u);
  EXPECT_EQ(engine->claims().count_by_cause(as(anna), {})->front().count, 1);
  ClaimQuery open;
  open.status = ClaimStatus::kOpen;
  open.client_id = anna_client;
  EXPECT_EQ(engine->claims().find(actor, open)->size(), 1u);
}

}  // namespace
}  // namespace salescore::testing
