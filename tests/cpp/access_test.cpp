#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <tuple>

#include "engine_fixture.h"
#include "salescore/routes.h"

namespace salescore::testing {
namespace {

// A department: head Orlova; managers Ivanov and Petrova; Ivanov's assistant Smirnova;
// a second head Kozlov with his own manager Sokolov; the 1C integration user.
class AccessTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    head = add_user("orlova", Role::kHead);
    other_head = add_user("kozlov", Role::kHead);
    ivanov = add_user("ivanov", Role::kManager, 0, head);
    petrova = add_user("petrova", Role::kManager, 0, head);
    sokolov = add_user("sokolov", Role::kManager, 0, other_head);
    smirnova = add_user("smirnova", Role::kAssistant, ivanov, head);
    shop = add_user("webshop", Role::kIntegration);
    onec = add_user("onec", Role::kIntegration);  // a system of record by default ([access])
    ivanov_client = client_of(ivanov, "ООО Ромашка");
    petrova_client = client_of(petrova, "АО Василёк");
    sokolov_client = client_of(sokolov, "ИП Соколов");
  }

  Id add_user(const std::string& login, Role role, Id manager = 0, Id head_id = 0) {
    User u;
    u.login = login;
    u.name = login;
    u.role = role;
    u.manager_id = manager;
    u.head_id = head_id;
    auto r = engine->users().add(actor, u);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->id : 0;
  }

  Id client_of(Id owner, const std::string& name) {
    Client c = client_named(name);
    c.owner_id = owner;
    auto r = engine->clients().add(actor, c);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->record.id : 0;
  }

  static Actor as(Id user) { return Actor{user, Role::kManager}; }

  std::vector<Id> visible_clients(Id user) {
    auto found = engine->clients().find(as(user), ClientQuery{});
    EXPECT_TRUE(found.ok()) << found.status().to_string();
    std::vector<Id> ids;
    if (found.ok())
      for (const auto& c : *found) ids.push_back(c.id);
    return ids;
  }

  Id head = 0, other_head = 0, ivanov = 0, petrova = 0, sokolov = 0, smirnova = 0, shop = 0, onec = 0;
  Id ivanov_client = 0, petrova_client = 0, sokolov_client = 0;
};

TEST_F(AccessTest, AManagerSeesOnlyTheirOwnClients) {
  EXPECT_EQ(visible_clients(ivanov), std::vector<Id>{ivanov_client});
  EXPECT_EQ(*engine->clients().count(as(ivanov), ClientQuery{}), 1);
  EXPECT_TRUE(engine->clients().get(as(ivanov), ivanov_client).ok());
  auto foreign = engine->clients().get(as(ivanov), petrova_client);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.status().code(), Code::kPermissionDenied);
}

TEST_F(AccessTest, ADeniedAccessIsAudited) {
  auto before = event_count();
  ASSERT_FALSE(engine->clients().get(as(ivanov), petrova_client).ok());
  auto events = engine->events().since(before);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().type, "access.denied");
  EXPECT_EQ(events->front().actor_id, ivanov);
  EXPECT_EQ(events->front().entity_id, petrova_client);
}

TEST_F(AccessTest, ADeniedChangeChangesNothingAndIsStillAudited) {
  ClientPatch patch;
  patch.notes = "перехват клиента";
  auto r = engine->clients().update(as(ivanov), petrova_client, patch);
  ASSERT_EQ(r.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(engine->clients().get(actor, petrova_client)->notes, "");
  auto last = engine->events().since(event_count() - 1);
  EXPECT_EQ(last->front().type, "access.denied");
}

TEST_F(AccessTest, AnAssistantWorksTheirManagersClientsButCannotHandThemOver) {
  EXPECT_EQ(visible_clients(smirnova), std::vector<Id>{ivanov_client});
  ClientPatch notes;
  notes.notes = "договор на подписи";
  EXPECT_TRUE(engine->clients().update(as(smirnova), ivanov_client, notes).ok());
  ClientPatch owner;
  owner.owner_id = petrova;
  EXPECT_EQ(engine->clients().update(as(smirnova), ivanov_client, owner).status().code(), Code::kPermissionDenied);
  // A client the assistant types in belongs to their manager.
  auto added = engine->clients().add(as(smirnova), client_named("ООО Новый"));
  ASSERT_TRUE(added.ok()) << added.status().to_string();
  EXPECT_EQ(added->record.owner_id, ivanov);
  EXPECT_EQ(added->record.assistant_id, smirnova);
}

TEST_F(AccessTest, AHeadSeesTheWholeDepartmentAndNothingElse) {
  auto seen = visible_clients(head);
  EXPECT_EQ(seen, (std::vector<Id>{ivanov_client, petrova_client}));
  EXPECT_EQ(engine->clients().get(as(head), sokolov_client).status().code(), Code::kPermissionDenied);
  ClientPatch handover;
  handover.owner_id = petrova;
  EXPECT_TRUE(engine->clients().update(as(head), ivanov_client, handover).ok());
  handover.owner_id = sokolov;
  EXPECT_EQ(engine->clients().update(as(head), ivanov_client, handover).status().code(), Code::kPermissionDenied);
}

TEST_F(AccessTest, AManagerCannotCreateAClientForSomeoneElse) {
  Client c = client_named("ООО Чужой");
  c.owner_id = petrova;
  EXPECT_EQ(engine->clients().add(as(ivanov), c).status().code(), Code::kPermissionDenied);
  c.owner_id = 0;
  auto mine = engine->clients().add(as(ivanov), c);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->record.owner_id, ivanov);
}

TEST_F(AccessTest, AnIntegrationUserSeesWhatItsConnectorOwns) {
  Client from_shop = client_named("ООО Из магазина");
  from_shop.source = "webshop";
  from_shop.external_id = "c-1";
  ASSERT_TRUE(engine->clients().upsert(as(shop), from_shop).ok());
  auto seen = visible_clients(shop);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(engine->clients().get(as(shop), ivanov_client).status().code(), Code::kPermissionDenied);
}

TEST_F(AccessTest, ASystemOfRecordSeesEveryClientButManagesNoPeople) {
  // 1C matches counterparties by INN whoever owns them and posts every order's status.
  EXPECT_EQ(visible_clients(onec).size(), 3u);
  EXPECT_TRUE(engine->clients().get(as(onec), ivanov_client).ok());
  User u;
  u.login = "intruder";
  u.name = "Intruder";
  u.role = Role::kAdmin;
  EXPECT_EQ(engine->users().add(as(onec), u).status().code(), Code::kPermissionDenied);
}

TEST_F(AccessTest, TheCatalogIsKeptByHeadsAdminsAndConnectors) {
  Product p;
  p.sku = "TEA-1";
  p.name = "Чай";
  EXPECT_EQ(engine->products().add(as(ivanov), p).status().code(), Code::kPermissionDenied);
  EXPECT_TRUE(engine->products().add(as(head), p).ok());
  EXPECT_TRUE(engine->products().by_sku(as(ivanov), "TEA-1").ok()) << "everyone reads the catalog";
}

TEST_F(AccessTest, OnlyAdminsAndDirectorsAddUsers) {
  User u;
  u.login = "newbie";
  u.name = "Новичок";
  EXPECT_EQ(engine->users().add(as(head), u).status().code(), Code::kPermissionDenied);
  Id director = add_user("director", Role::kDirector);
  EXPECT_TRUE(engine->users().add(as(director), u).ok());
}

TEST_F(AccessTest, TasksAndCallsFollowTheirPeopleAndClients) {
  Task t;
  t.title = "Позвонить";
  t.client_id = petrova_client;
  EXPECT_EQ(engine->tasks().add(as(ivanov), t).status().code(), Code::kPermissionDenied);
  t.client_id = ivanov_client;
  auto task = engine->tasks().add(as(ivanov), t);
  ASSERT_TRUE(task.ok()) << task.status().to_string();
  EXPECT_EQ(task->assignee_id, ivanov);
  EXPECT_EQ(engine->tasks().get(as(petrova), task->id).status().code(), Code::kPermissionDenied);
  EXPECT_TRUE(engine->tasks().get(as(smirnova), task->id).ok());
  EXPECT_EQ(engine->tasks().find(as(petrova), TaskQuery{})->size(), 0u);
  EXPECT_EQ(engine->tasks().find(as(head), TaskQuery{})->size(), 1u);

  Interaction call;
  call.kind = InteractionKind::kCall;
  call.client_id = ivanov_client;
  auto logged = engine->interactions().add(as(ivanov), call);
  ASSERT_TRUE(logged.ok());
  EXPECT_EQ(logged->record.user_id, ivanov);
  EXPECT_EQ(engine->interactions().find(as(petrova), InteractionQuery{})->size(), 0u);
  EXPECT_EQ(engine->interactions().find(as(smirnova), InteractionQuery{})->size(), 1u);
}

class AbsenceTest : public AccessTest {};

TEST_F(AbsenceTest, TheDeputyActsForTheAbsentManagerOnlyWhileTheAbsenceLasts) {
  Absence trip;
  trip.user_id = ivanov;
  trip.deputy_id = petrova;
  trip.reason = AbsenceReason::kTrip;
  trip.starts_at = Instant{kStartMs + 3'600'000};
  trip.ends_at = Instant{kStartMs + 3 * 86'400'000LL};
  auto added = engine->absences().add(as(ivanov), trip);
  ASSERT_TRUE(added.ok()) << added.status().to_string();

  EXPECT_EQ(engine->clients().get(as(petrova), ivanov_client).status().code(), Code::kPermissionDenied)
      << "not yet: the trip starts in an hour";
  clock->advance_ms(3'600'000);  // exactly at starts_at
  EXPECT_TRUE(engine->clients().get(as(petrova), ivanov_client).ok());
  EXPECT_EQ(visible_clients(petrova).size(), 2u);
  // What the deputy assigns during the absence stays after it.
  Task t;
  t.title = "Отгрузка для Ромашки";
  t.client_id = ivanov_client;
  t.assignee_id = ivanov;
  auto task = engine->tasks().add(as(petrova), t);
  ASSERT_TRUE(task.ok()) << task.status().to_string();

  clock->set(trip.ends_at);  // the end is exclusive: rights revert at ends_at
  EXPECT_EQ(engine->clients().get(as(petrova), ivanov_client).status().code(), Code::kPermissionDenied);
  EXPECT_TRUE(engine->tasks().get(as(ivanov), task->id).ok());
}

TEST_F(AbsenceTest, CancellingAnAbsenceRevertsRightsAtOnce) {
  Absence leave;
  leave.user_id = ivanov;
  leave.deputy_id = smirnova;
  leave.starts_at = Instant{kStartMs};
  leave.ends_at = Instant{kStartMs + 86'400'000};
  auto added = engine->absences().add(as(head), leave);
  ASSERT_TRUE(added.ok()) << added.status().to_string();
  EXPECT_TRUE(engine->absences().cancel(as(ivanov), added->id).ok());
  AbsenceQuery active;
  active.active_at = clock->now();
  EXPECT_TRUE(engine->absences().find(actor, active)->empty());
}

TEST_F(AbsenceTest, OverlappingAbsencesAndBadRangesAreRefused) {
  Absence a;
  a.user_id = ivanov;
  a.deputy_id = petrova;
  a.starts_at = Instant{kStartMs};
  a.ends_at = Instant{kStartMs + 86'400'000};
  ASSERT_TRUE(engine->absences().add(as(ivanov), a).ok());
  Absence overlapping = a;
  overlapping.starts_at = Instant{kStartMs + 3'600'000};
  overlapping.ends_at = Instant{kStartMs + 2 * 86'400'000LL};
  EXPECT_EQ(engine->absences().add(as(ivanov), overlapping).status().code(), Code::kConflict);
  Absence touching = a;  // starts exactly when the first ends: no overlap
  touching.starts_at = a.ends_at;
  touching.ends_at = Instant{a.ends_at.ms + 86'400'000};
  EXPECT_TRUE(engine->absences().add(as(ivanov), touching).ok());
  Absence backwards = a;
  backwards.starts_at = Instant{kStartMs + 10 * 86'400'000LL};
  backwards.ends_at = Instant{kStartMs + 9 * 86'400'000LL};
  EXPECT_TRUE(engine->absences().add(as(ivanov), backwards).status().fields().count("ends_at"));
  Absence self = a;
  self.deputy_id = ivanov;
  EXPECT_TRUE(engine->absences().add(as(ivanov), self).status().fields().count("deputy_id"));
}

TEST_F(AbsenceTest, OnlyTheUserTheirHeadOrAnAdminArrangesAnAbsence) {
  Absence a;
  a.user_id = ivanov;
  a.deputy_id = petrova;
  a.starts_at = Instant{kStartMs};
  a.ends_at = Instant{kStartMs + 86'400'000};
  EXPECT_EQ(engine->absences().add(as(petrova), a).status().code(), Code::kPermissionDenied)
      << "a colleague cannot give herself the rights over his clients";
  EXPECT_EQ(engine->absences().add(as(other_head), a).status().code(), Code::kPermissionDenied);
  EXPECT_TRUE(engine->absences().add(as(head), a).ok());
}

}  // namespace
}  // namespace salescore::testing

namespace salescore::testing {
namespace {

TEST_F(AccessTest, AConnectorLogsItsCallsAgainstAnyClientButReadsOnlyItsOwn) {
  User pbx;
  pbx.login = "asterisk";
  pbx.name = "Asterisk";
  pbx.role = Role::kIntegration;
  Id telephony = engine->users().add(actor, pbx)->id;
  Interaction call;
  call.kind = InteractionKind::kCall;
  call.direction = Direction::kInbound;
  call.client_id = petrova_client;
  call.source = "asterisk";
  call.external_id = "1700000000.7";
  auto logged = engine->interactions().upsert(as(telephony), call);
  ASSERT_TRUE(logged.ok()) << logged.status().to_string();
  EXPECT_EQ(engine->clients().get(as(telephony), petrova_client).status().code(), Code::kPermissionDenied);
  call.source = "someone-else";
  EXPECT_EQ(engine->interactions().upsert(as(telephony), call).status().code(), Code::kPermissionDenied);
}

}  // namespace
}  // namespace salescore::testing

namespace salescore::testing {
namespace {

TEST_F(AbsenceTest, TheHeadHearsOnceOfEachTaskThatFallsOverdueWhileTheManagerIsAway) {
  Task call;
  call.title = "Перезвонить Ромашке";
  call.client_id = ivanov_client;
  call.assignee_id = ivanov;
  call.due_at = Instant{kStartMs + 3'600'000};
  Id task = engine->tasks().add(actor, call)->id;
  Absence sick;
  sick.user_id = ivanov;
  sick.deputy_id = smirnova;
  sick.reason = AbsenceReason::kSickness;
  sick.starts_at = Instant{kStartMs};
  sick.ends_at = Instant{kStartMs + 5 * 86'400'000LL};
  ASSERT_TRUE(engine->absences().add(actor, sick).ok());
  EXPECT_EQ(engine->run_due()->overdue_tasks_reported, 0) << "not overdue yet";
  clock->advance_ms(3'600'001);
  EXPECT_EQ(engine->run_due()->overdue_tasks_reported, 1);
  EXPECT_EQ(engine->run_due()->overdue_tasks_reported, 0) << "once, not at every run";
  auto events = engine->events().since(0, 0);
  const Event* notice = nullptr;
  for (const auto& e : *events)
    if (e.type == "task.overdue_while_away") notice = &e;
  ASSERT_NE(notice, nullptr);
  EXPECT_EQ(notice->entity_id, task);
  EXPECT_NE(notice->payload.find("\"head_id\":" + std::to_string(head)), std::string::npos) << notice->payload;
}

}  // namespace
}  // namespace salescore::testing

// ---- the access matrix: every role x own/foreign object -------------------------------
//
// Each operation below is run by every role, once on Ivanov's world ("own": his outlet,
// his visit, his deal) and once on a client outside his department ("foreign"), and
// must be allowed exactly when the rule says so; a refusal is permission_denied. A new
// operation on a client-scoped object is one row of kOperations.


namespace salescore::testing {
namespace {

// What an operation needs of the actor, besides the access the engine gives everyone.
enum class Needs {
  kClient,            // to see the client it touches (as clients().get)
  kRepAndClient,      // to act for the rep (Ivanov) and to see the client
  kRepWorksTheOutlet, // to act for the rep and see the outlet, which the rep must work
  kRep,               // to act for the rep only (closing a visit reads no client data)
  kClientOrIntake,    // to see the client, or to be an integration writing its own source's
                      // record: a web shop's order names whichever client bought (rules.md, Intake)
};

class AccessMatrixTest;
struct Operation {
  const char* name;
  Needs needs;
  std::function<Status(AccessMatrixTest&, const Actor&)> run;
};

class AccessMatrixTest : public AccessTest,
                         public ::testing::WithParamInterface<std::tuple<int, std::string, bool>> {
 protected:
  void SetUp() override {
    AccessTest::SetUp();
    director = add_user("director", Role::kDirector);
    foreign = std::get<2>(GetParam());
    // The client the operation touches. A visit or a route at a foreign outlet cannot
    // be made any more, so the foreign visit is one made while the outlet was Ivanov's,
    // before it was handed to Sokolov (another department).
    outlet = foreign ? client_of(ivanov, "ООО Передан") : ivanov_client;
    deal = deal_of(outlet);
    order = order_of(outlet);
    ASSERT_TRUE(engine->routes().set(actor, ivanov, 1, {outlet}).ok());
    auto v = engine->visits().check_in(actor, ivanov, outlet);
    ASSERT_TRUE(v.ok()) << v.status().to_string();
    visit = v->id;
    if (foreign) {
      ClientPatch handover;
      handover.owner_id = sokolov;
      ASSERT_TRUE(engine->clients().update(actor, outlet, handover).ok());
    }
    // Operations that take a client directly take Sokolov's own when foreign.
    client = foreign ? sokolov_client : ivanov_client;
    client_deal = deal_of(client);
    client_order = order_of(client);
    Contact person;
    person.client_id = client;
    person.name = "Закупщик";
    auto added = engine->contacts().add(actor, person);
    ASSERT_TRUE(added.ok()) << added.status().to_string();
    client_contact = added->id;
  }

  Id deal_of(Id client_id) {
    Deal d;
    d.client_id = client_id;
    d.title = "Поставка";
    auto r = engine->deals().add(actor, d);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->record.id : 0;
  }

  Id order_of(Id client_id) {
    Order o;
    o.client_id = client_id;
    o.ordered_at = Instant{kStartMs - 86'400'000};
    OrderLine l;
    l.sku = "TEA-1";
    l.quantity = Quantity::units(4);
    l.price_minor = 100'00;
    o.lines.push_back(l);
    auto r = engine->orders().add(actor, o);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->record.id : 0;
  }

  // Managers and heads may credit a sale or a deal to themselves; the others leave the
  // owner to the engine (the client's manager).
  Id self_as_owner(const Actor& who) const {
    return who.user_id == ivanov || who.user_id == petrova || who.user_id == head || who.user_id == other_head
               ? who.user_id
               : 0;
  }

  Id user_named(const std::string& role) const {
    static const std::map<std::string, Id AccessMatrixTest::*> kUsers = {
        {"ivanov", &AccessMatrixTest::ivanov},     {"petrova", &AccessMatrixTest::petrova},
        {"smirnova", &AccessMatrixTest::smirnova}, {"orlova", &AccessMatrixTest::head},
        {"kozlov", &AccessMatrixTest::other_head}, {"director", &AccessMatrixTest::director},
        {"webshop", &AccessMatrixTest::shop},      {"onec", &AccessMatrixTest::onec}};
    return this->*kUsers.at(role);
  }

  // The rule, spelled out per role rather than computed by the engine's own code.
  bool acts_for_ivanov(const std::string& role) const {
    return role == "ivanov" || role == "smirnova" || role == "orlova" || role == "director" || role == "onec";
  }
  bool sees_client(const std::string& role) const {
    if (role == "director" || role == "onec") return true;
    if (foreign) return role == "kozlov";
    return role == "ivanov" || role == "smirnova" || role == "orlova";
  }
  bool allowed(Needs needs, const std::string& role) const {
    switch (needs) {
      case Needs::kClient: return sees_client(role);
      case Needs::kRepAndClient: return acts_for_ivanov(role) && sees_client(role);
      case Needs::kRepWorksTheOutlet: return acts_for_ivanov(role) && sees_client(role) && !foreign;
      case Needs::kRep: return acts_for_ivanov(role);
      case Needs::kClientOrIntake: return sees_client(role) || role == "webshop";
    }
    return false;
  }

  static Status listed(bool found) { return found ? Status::ok() : Status::permission_denied("not listed"); }

  Id director = 0, outlet = 0, client = 0, deal = 0, order = 0, visit = 0, client_deal = 0, client_order = 0,
     client_contact = 0;
  bool foreign = false;

 public:
  static const std::vector<Operation>& operations();
};

Status status_of(const Status& s) { return s; }
template <class T>
Status status_of(const Result<T>& r) {
  return r.status();
}

const std::vector<Operation>& AccessMatrixTest::operations() {
  using T = AccessMatrixTest;
  static const std::vector<Operation> kOperations = {
      // ---- route sales ----
      {"outlet_set_channel", Needs::kClient,
       [](T& t, const Actor& a) { return t.engine->routes().set_channel(a, t.client, "kiosk"); }},
      {"outlet_channel", Needs::kClient,
       [](T& t, const Actor& a) { return status_of(t.engine->routes().channel(a, t.client)); }},
      {"route_set", Needs::kRepWorksTheOutlet,
       [](T& t, const Actor& a) { return status_of(t.engine->routes().set(a, t.ivanov, 2, {t.client})); }},
      {"visit_check_in", Needs::kRepWorksTheOutlet,
       [](T& t, const Actor& a) {
         if (!t.engine->visits().check_out(Actor::system(), t.visit).ok()) return Status::internal("setup");
         return status_of(t.engine->visits().check_in(a, t.ivanov, t.client));
       }},
      {"route_get_lists_the_outlet", Needs::kRepAndClient,
       [](T& t, const Actor& a) {
         auto r = t.engine->routes().get(a, t.ivanov, 1);
         if (!r.ok()) return r.status();
         return T::listed(std::find(r->outlet_ids.begin(), r->outlet_ids.end(), t.outlet) != r->outlet_ids.end());
       }},
      {"route_plan_lists_the_outlet", Needs::kRepAndClient,
       [](T& t, const Actor& a) {
         auto r = t.engine->routes().plan(a, t.ivanov, Instant{kStartMs});
         if (!r.ok()) return r.status();
         return T::listed(std::find(r->outlet_ids.begin(), r->outlet_ids.end(), t.outlet) != r->outlet_ids.end());
       }},
      {"visit_get", Needs::kRepAndClient,
       [](T& t, const Actor& a) { return status_of(t.engine->visits().get(a, t.visit)); }},
      {"visit_open_visit", Needs::kRepAndClient,
       [](T& t, const Actor& a) { return status_of(t.engine->visits().open_visit(a, t.ivanov)); }},
      {"visit_find_lists_it", Needs::kRepAndClient,
       [](T& t, const Actor& a) {
         auto r = t.engine->visits().find(a, VisitQuery{});
         if (!r.ok()) return r.status();
         return T::listed(std::any_of(r->begin(), r->end(), [&](const Visit& v) { return v.id == t.visit; }));
       }},
      {"visit_count_counts_it", Needs::kRepAndClient,
       [](T& t, const Actor& a) {
         auto r = t.engine->visits().count(a, VisitQuery{});
         if (!r.ok()) return r.status();
         return T::listed(*r == 1);
       }},
      {"visit_record_stock", Needs::kRepAndClient,
       [](T& t, const Actor& a) {
         return status_of(t.engine->visits().record_stock(a, t.visit, {{"TEA-1", Quantity::units(2)}}));
       }},
      {"visit_attach_order", Needs::kRepAndClient,
       [](T& t, const Actor& a) { return status_of(t.engine->visits().attach_order(a, t.visit, t.order)); }},
      {"visit_suggest_order", Needs::kRepAndClient,
       [](T& t, const Actor& a) { return status_of(t.engine->visits().suggest_order(a, t.visit)); }},
      {"visit_check_out", Needs::kRep,
       [](T& t, const Actor& a) { return status_of(t.engine->visits().check_out(a, t.visit)); }},
      // ---- records that refer to a client, reached through it ----
      {"deal_add_on_the_client", Needs::kClient,
       [](T& t, const Actor& a) {
         Deal d;
         d.client_id = t.client;
         d.title = "Чужая сделка?";
         d.owner_id = t.self_as_owner(a);
         return status_of(t.engine->deals().add(a, d));
       }},
      {"order_add_on_the_client", Needs::kClientOrIntake,
       [](T& t, const Actor& a) {
         Order o;
         o.client_id = t.client;
         o.owner_id = t.self_as_owner(a);
         OrderLine l;
         l.sku = "TEA-1";
         l.quantity = Quantity::units(1);
         o.lines.push_back(l);
         return status_of(t.engine->orders().add(a, o));
       }},
      {"task_add_on_the_deal", Needs::kClient,
       [](T& t, const Actor& a) {
         Task task;
         task.title = "Позвонить по сделке";
         task.deal_id = t.client_deal;
         return status_of(t.engine->tasks().add(a, task));
       }},
      {"task_add_on_the_order", Needs::kClient,
       [](T& t, const Actor& a) {
         Task task;
         task.title = "Проверить заказ";
         task.order_id = t.client_order;
         return status_of(t.engine->tasks().add(a, task));
       }},
      {"interaction_add_with_the_clients_contact", Needs::kClient,
       [](T& t, const Actor& a) {
         Interaction call;
         call.kind = InteractionKind::kCall;
         call.contact_id = t.client_contact;  // no client_id: the contact's client is the one touched
         return status_of(t.engine->interactions().add(a, call));
       }},
  };
  return kOperations;
}

// Links a record makes to another are checked as that one: an order names a deal of its
// own client only, and a claim a contract of its own client only, whatever the actor may
// see (a system actor included), so neither is a way to a colleague's record.
TEST_F(AccessTest, AnOrderNamesOnlyADealOfItsOwnClient) {
  Deal d;
  d.client_id = petrova_client;
  d.title = "Сделка Петровой";
  Id petrova_deal = engine->deals().add(actor, d)->record.id;
  Order o;
  o.client_id = ivanov_client;
  o.deal_id = petrova_deal;
  OrderLine l;
  l.sku = "TEA-1";
  l.quantity = Quantity::units(1);
  o.lines.push_back(l);
  auto r = engine->orders().add(as(ivanov), o);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument) << r.status().to_string();
  EXPECT_TRUE(r.status().fields().count("deal_id"));
}

TEST_F(AccessTest, AClaimNamesOnlyAContractOfItsOwnClient) {
  Contract k;
  k.client_id = petrova_client;
  k.number = "Д-17";
  Id petrova_contract = engine->contracts().add(actor, k)->record.id;
  Claim c;
  c.client_id = ivanov_client;
  c.contract_id = petrova_contract;
  c.description = "Не та поставка";
  auto r = engine->claims().add(as(ivanov), c);
  ASSERT_EQ(r.status().code(), Code::kInvalidArgument) << r.status().to_string();
  EXPECT_TRUE(r.status().fields().count("contract_id"));
}

TEST_P(AccessMatrixTest, EachRoleReachesExactlyTheObjectsItsRuleGivesIt) {
  const auto& [index, role, _] = GetParam();
  const Operation& op = AccessMatrixTest::operations()[index];
  const Actor who{user_named(role), Role::kManager};
  Status st = op.run(*this, who);
  if (allowed(op.needs, role)) {
    EXPECT_TRUE(st.is_ok()) << op.name << " by " << role << ": " << st.to_string();
  } else {
    EXPECT_EQ(st.code(), Code::kPermissionDenied) << op.name << " by " << role << ": " << st.to_string();
  }
}

std::vector<int> operation_indexes() {
  std::vector<int> out(AccessMatrixTest::operations().size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<int>(i);
  return out;
}

INSTANTIATE_TEST_SUITE_P(
    EveryRoleOwnAndForeign, AccessMatrixTest,
    ::testing::Combine(::testing::ValuesIn(operation_indexes()),
                       ::testing::Values("ivanov", "petrova", "smirnova", "orlova", "kozlov", "director", "webshop",
                                         "onec"),
                       ::testing::Bool()),
    [](const auto& info) {
      const std::string name = AccessMatrixTest::operations()[std::get<0>(info.param)].name;
      return name + "_by_" + std::get<1>(info.param) + (std::get<2>(info.param) ? "_foreign" : "_own");
    });

// Inside one transaction (a connector's page is one) an actor's scope is resolved once
// and reused (rules/scope_cache.h); a change to users or absences in the same transaction
// must still take effect at the very next call.
TEST_F(AbsenceTest, InOneTransactionAChangeOfUsersOrAbsencesTakesEffectAtTheNextCall) {
  Status st = engine->batch([&]() -> Status {
    EXPECT_EQ(engine->clients().get(as(petrova), ivanov_client).status().code(), Code::kPermissionDenied);
    Absence leave;
    leave.user_id = ivanov;
    leave.deputy_id = petrova;
    leave.starts_at = Instant{kStartMs};
    leave.ends_at = Instant{kStartMs + 86'400'000};
    auto added = engine->absences().add(as(head), leave);
    EXPECT_TRUE(added.ok()) << added.status().to_string();
    EXPECT_TRUE(engine->clients().get(as(petrova), ivanov_client).ok()) << "the deputy at once";
    EXPECT_TRUE(engine->absences().cancel(as(head), added->id).ok());
    EXPECT_EQ(engine->clients().get(as(petrova), ivanov_client).status().code(), Code::kPermissionDenied)
        << "and no longer once it is cancelled";

    EXPECT_EQ(visible_clients(head).size(), 2u);
    Id newcomer = add_user("novikov", Role::kManager, 0, head);
    Id newcomers_client = client_of(newcomer, "ООО Новое");
    EXPECT_TRUE(engine->clients().get(as(head), newcomers_client).ok()) << "the head's team grew";

    Client c = client_named("ООО Из магазина");
    EXPECT_TRUE(engine->clients().add(as(shop), c).ok());
    EXPECT_TRUE(engine->accounts().set_active(actor, shop, false).ok());
    auto after = engine->clients().add(as(shop), client_named("ООО После"));
    EXPECT_EQ(after.status().code(), Code::kPermissionDenied) << "a deactivated connector writes no more";
    return Status::ok();
  });
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  EXPECT_EQ(engine->clients().add(as(shop), client_named("ООО Позже")).status().code(), Code::kPermissionDenied);
}

}  // namespace
}  // namespace salescore::testing
