// A sales department for the proposal, approval and contract tests: director Volkova;
// head Orlova (reporting to her) with managers Ivanov and Petrova and Ivanov's
// assistant Smirnova; a second head Kozlov with manager Sokolov. Ivanov owns a regular
// client with an open deal and a VIP client.
#pragma once

#include <algorithm>

#include "engine_fixture.h"

namespace salescore::testing {

inline constexpr std::int64_t kHour = 3'600'000;
inline constexpr std::int64_t kDay = 24 * kHour;

class DepartmentTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    build_department();
  }

  // Reopens the engine with `config` and builds the department again.
  void reconfigure(Config config) {
    open_engine(std::move(config));
    build_department();
  }

  void build_department() {
    director = add_user("volkova", Role::kDirector);
    head = add_user("orlova", Role::kHead, 0, director);
    other_head = add_user("kozlov", Role::kHead, 0, director);
    ivanov = add_user("ivanov", Role::kManager, 0, head);
    petrova = add_user("petrova", Role::kManager, 0, head);
    sokolov = add_user("sokolov", Role::kManager, 0, other_head);
    smirnova = add_user("smirnova", Role::kAssistant, ivanov, head);
    Client c = client_named("ООО Ромашка");
    c.owner_id = ivanov;
    client = engine->clients().add(actor, c)->record.id;
    Client v = client_named("АО Гипермаркет");
    v.owner_id = ivanov;
    v.tier = Tier::kVip;
    vip_client = engine->clients().add(actor, v)->record.id;
    Deal d;
    d.client_id = client;
    d.title = "Поставка чая";
    deal = engine->deals().add(actor, d)->record.id;
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

  static Actor as(Id user) { return Actor{user, Role::kManager}; }

  // `quantity` units of tea at 100.00 with `discount_bp` off.
  Proposal tea_proposal(std::int64_t discount_bp = 0, std::int64_t quantity = 10) {
    Proposal p;
    p.client_id = client;
    p.deal_id = deal;
    p.lines.push_back({"TEA-1", 0, "Чай чёрный", Quantity::units(quantity), 100'00, discount_bp, 0});
    p.terms.payment_terms = "prepay";
    return p;
  }

  Contract supply_contract(const std::string& number, std::int64_t amount_minor) {
    Contract k;
    k.type = ContractType::kSupply;
    k.client_id = client;
    k.deal_id = deal;
    k.number = number;
    k.amount = Money{amount_minor, ""};
    return k;
  }

  std::vector<Task> open_tasks_of(Id user) {
    TaskQuery q;
    q.assignee_id = user;
    q.status = TaskStatus::kOpen;
    auto tasks = engine->tasks().find(actor, q);
    EXPECT_TRUE(tasks.ok()) << tasks.status().to_string();
    return tasks.ok() ? *tasks : std::vector<Task>{};
  }

  std::vector<Event> events_of_type(const std::string& type) {
    std::vector<Event> out;
    auto events = engine->events().since(0, 0);
    for (const auto& e : *events)
      if (e.type == type) out.push_back(e);
    return out;
  }

  bool deal_has(const std::string& document) {
    auto d = engine->deals().get(actor, deal);
    return d.ok() && std::find(d->documents.begin(), d->documents.end(), document) != d->documents.end();
  }

  Id director = 0, head = 0, other_head = 0, ivanov = 0, petrova = 0, sokolov = 0, smirnova = 0;
  Id client = 0, vip_client = 0, deal = 0;
};

}  // namespace salescore::testing
