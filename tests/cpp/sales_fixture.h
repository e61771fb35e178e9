// A sales department for the payment, claim, segment and daily-work tests: head Orlova
// with managers Anna and Boris and Anna's assistant Sveta; head Kozlov with manager
// Sokolov; director Dir. Each manager has a client; orders are one line of the given
// total.
#pragma once

#include "engine_fixture.h"

namespace salescore::testing {

inline constexpr std::int64_t kDay = 86'400'000;
inline constexpr std::int64_t kHour = 3'600'000;

class SalesTest : public EngineTest {
 protected:
  void SetUp() override { open_department(Config{}); }

  void open_department(Config config) {
    open_engine(std::move(config));
    orlova = add_user("orlova", Role::kHead);
    kozlov = add_user("kozlov", Role::kHead);
    anna = add_user("anna", Role::kManager, 0, orlova);
    boris = add_user("boris", Role::kManager, 0, orlova);
    sveta = add_user("sveta", Role::kAssistant, anna, orlova);
    sokolov = add_user("sokolov", Role::kManager, 0, kozlov);
    director = add_user("dir", Role::kDirector);
    anna_client = client_of(anna, "ООО Ромашка");
    boris_client = client_of(boris, "АО Василёк");
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

  Order order_for(Id client, std::int64_t total_minor, const std::string& currency = "") {
    Order o;
    o.client_id = client;
    o.currency = currency;
    OrderLine l;
    l.sku = "SUGAR-50";
    l.quantity = Quantity::units(1);
    l.price_minor = total_minor;
    o.lines.push_back(l);
    auto r = engine->orders().add(actor, o);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->record : Order{};
  }

  // A lead from the web form of buyer `n` (its own phone), received now; its id.
  Id receive_web_lead(int n) {
    Lead l;
    l.channel = LeadChannel::kWeb;
    l.contact_name = "Buyer " + std::to_string(n);
    l.phone = "+7 495 123-45-" + std::to_string(60 + n);
    auto r = engine->leads().add(actor, l);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? r->record.id : 0;
  }

  static Actor as(Id user) { return Actor{user, Role::kManager}; }
  Instant at(std::int64_t offset_ms) const { return Instant{kStartMs + offset_ms}; }

  // Events of `type` logged after seq `after`.
  std::vector<Event> events_of(const std::string& type, std::int64_t after = 0) {
    std::vector<Event> out;
    auto all = engine->events().since(after, 0);
    EXPECT_TRUE(all.ok());
    if (all.ok())
      for (auto& e : *all)
        if (e.type == type) out.push_back(e);
    return out;
  }

  std::vector<Task> open_tasks_of(Id user) {
    TaskQuery q;
    q.assignee_id = user;
    q.status = TaskStatus::kOpen;
    q.page.limit = 0;
    auto r = engine->tasks().find(actor, q);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? *r : std::vector<Task>{};
  }

  Id orlova = 0, kozlov = 0, anna = 0, boris = 0, sveta = 0, sokolov = 0, director = 0;
  Id anna_client = 0, boris_client = 0, sokolov_client = 0;
};

}  // namespace salescore::testing
