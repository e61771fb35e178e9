// What the demo company consists of, decided without touching a database.
//
// Every function here is pure: the same seed, index and "today" give the same records.
// demo_company.cpp writes them through the engine. References to people are indexes
// into the staff (demo_staff()), because user ids exist only once the users are written.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "demo_vocabulary.h"
#include "salescore/model.h"

namespace salescore::cli {

constexpr std::string_view kDemoSource = "demo";
constexpr int kDemoHistoryDays = 365;

// ---- staff ----

struct DemoStaffMember {
  std::string login;
  std::string name;
  Role role = Role::kManager;
  int assists = -1;  // for an assistant: index of the manager in demo_managers order
};
// Admin, director, head of department, then the managers, then one assistant per
// manager (same order).
const std::vector<DemoStaffMember>& demo_staff();
// The number of managers among the staff; the first one works the VIP clients.
int demo_manager_count();

// ---- clients ----

// How a client buys over the demo year: sets its place in the recency segments
// (hot / warm / sleeping) and its share of the orders.
struct DemoBuyer {
  double weight = 0;       // 0: never ordered
  int first_day_ago = 0;   // buys from this many days before "today"...
  int last_day_ago = 0;    // ...up to this many days before it
  bool wholesale = false;  // price list: wholesale or retail
  bool vip = false;
  std::vector<int> favourites;  // catalogue indexes this client mostly buys
};

struct DemoTask {
  Task task;
  bool by_assistant = false;
};

struct DemoInteraction {
  Interaction interaction;
  int contact = -1;  // index into the client's contacts, -1: none
  bool by_assistant = false;
};

// A deal and the stage it has reached (deal.stage). Its documents come from records, as
// every deal's do: the writer opens it, sends a proposal of `sku` for a stage past the
// proposal, signs a contract for a won one, and moves it there through the gates.
struct DemoDeal {
  Deal deal;
  std::string sku;
};

struct DemoClientPlan {
  Client client;    // owner_id and assistant_id left 0: see `manager`
  int manager = 0;  // index of the owning manager
  std::vector<Contact> contacts;
  std::vector<DemoDeal> deals;
  std::vector<DemoTask> tasks;
  std::vector<DemoInteraction> interactions;
  DemoBuyer buyer;
};

// Company names, e-mail domains and addresses handed out so far: a demo company should
// not have two clients on one domain, and few of the same name. Plan clients in index
// order with one registry, so that first come, first served gives the same result on
// every run.
struct DemoRegistry {
  std::unordered_set<std::string> company_names;
  std::unordered_set<std::string> domains;
  std::unordered_set<std::string> emails;
};

DemoClientPlan plan_client(std::uint64_t seed, std::int64_t index, Instant today, DemoRegistry& book);

// ---- catalogue ----

Product plan_product(std::uint64_t seed, std::size_t index, const std::string& currency);

// ---- orders ----

// When an order is placed and by whom; orders are numbered in time order.
struct DemoOrderSlot {
  std::int64_t at_ms = 0;
  std::uint32_t client = 0;  // client index
  std::uint32_t draw = 0;    // the slot's own index: breaks ties and seeds the order
};

// `count` order slots over the year before `today`, spread over the clients by their
// buying profile, sorted by time.
std::vector<DemoOrderSlot> plan_order_slots(std::uint64_t seed, std::int64_t count,
                                            const std::vector<DemoBuyer>& buyers, Instant today);

// The order in `slot`, numbered `position` (0-based, in time order). client_id is left 0.
Order plan_order(std::uint64_t seed, const DemoOrderSlot& slot, std::int64_t position, const DemoBuyer& buyer,
                 Instant today);

}  // namespace salescore::cli
