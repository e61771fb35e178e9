#include "demo_company.h"

#include <algorithm>
#include <map>

#include "demo_random.h"

#include "demo_plan.h"

namespace salescore::cli {
namespace {

// Records per transaction: large enough that commits do not dominate, small enough that
// progress moves and a failure loses little.
constexpr std::int64_t kClientsPerBatch = 100;  // ~10 records each with their history
constexpr std::int64_t kOrdersPerBatch = 1000;

// Prefixes an engine error with the record it was about.
Status about(const std::string& what, const Status& status) {
  return Status(status.code(), what + ": " + status.message(), status.fields());
}

class DemoWriter {
 public:
  DemoWriter(Engine& engine, const DemoOptions& options, const DemoProgress& progress)
      : engine_(engine), options_(options), progress_(progress) {}

  Result<std::vector<DemoTally>> run() {
    SC_RETURN_IF_ERROR(write_staff());
    SC_RETURN_IF_ERROR(write_catalogue());
    SC_RETURN_IF_ERROR(write_clients());
    SC_RETURN_IF_ERROR(write_orders());
    SC_RETURN_IF_ERROR(write_plans());
    return std::vector<DemoTally>{users_,        products_, clients_,   contacts_, deals_,
                                  tasks_,        interactions_, orders_, payments_, plans_};
  }

 private:
  Status write_staff() {
    const auto& staff = demo_staff();
    Status st = engine_.batch([&]() -> Status {
      Id head = 0;
      std::vector<Id> managers;
      for (const DemoStaffMember& member : staff) {
        auto existing = engine_.users().by_login(actor_, member.login);
        Id id = 0;
        if (existing.ok()) {
          id = existing->id;
          users_.count(WriteOutcome::kUnchanged);
        } else if (existing.status().is_not_found()) {
          User user;
          user.login = member.login;
          user.name = member.name;
          user.role = member.role;
          if (member.role == Role::kManager || member.role == Role::kAssistant) user.head_id = head;
          if (member.role == Role::kAssistant) user.manager_id = managers.at(static_cast<std::size_t>(member.assists));
          auto added = engine_.users().add(actor_, user);
          if (!added.ok()) return about("user " + member.login, added.status());
          id = added->id;
          users_.count(WriteOutcome::kCreated);
        } else {
          return about("user " + member.login, existing.status());
        }
        if (member.role == Role::kHead) head = id;
        if (member.role == Role::kManager) managers.push_back(id);
        if (member.role == Role::kAssistant) assistants_.push_back(id);
      }
      managers_ = managers;
      return Status::ok();
    });
    if (st.is_ok()) progress_("users", users_.created + users_.unchanged, static_cast<std::int64_t>(staff.size()));
    return st;
  }

  Status write_catalogue() {
    const auto total = static_cast<std::int64_t>(demo_catalogue().size());
    const std::string currency = engine_.config().currency;
    Status st = engine_.batch([&]() -> Status {
      for (std::int64_t i = 0; i < total; ++i) {
        Product product = plan_product(options_.seed, static_cast<std::size_t>(i), currency);
        auto saved = engine_.products().upsert(actor_, product);
        if (!saved.ok()) return about("product " + product.sku, saved.status());
        products_.count(saved->outcome);
      }
      return Status::ok();
    });
    if (st.is_ok()) progress_("products", total, total);
    return st;
  }

  Status write_clients() {
    const std::int64_t total = options_.clients;
    buyers_.reserve(static_cast<std::size_t>(total));
    client_ids_.reserve(static_cast<std::size_t>(total));
    for (std::int64_t start = 0; start < total; start += kClientsPerBatch) {
      const std::int64_t end = std::min(total, start + kClientsPerBatch);
      // Planned in index order, once each: the registry hands out names and e-mails first come,
      // first served, so this order is what keeps them the same from run to run.
      std::vector<DemoClientPlan> plans;
      for (std::int64_t i = start; i < end; ++i)
        plans.push_back(plan_client(options_.seed, i, options_.today, registry_));
      Status st = engine_.batch([&]() -> Status {
        for (DemoClientPlan& plan : plans) SC_RETURN_IF_ERROR(write_client(plan));
        return Status::ok();
      });
      if (!st.is_ok()) return st;
      for (DemoClientPlan& plan : plans) buyers_.push_back(std::move(plan.buyer));
      progress_("clients", end, total);
    }
    return Status::ok();
  }

  Status write_client(DemoClientPlan& plan) {
    Client& client = plan.client;
    const std::string what = "client " + client.external_id;
    const auto manager = static_cast<std::size_t>(plan.manager);
    client.owner_id = managers_.at(manager);
    client.assistant_id = assistants_.at(manager);
    auto saved = engine_.clients().upsert(actor_, client);
    if (!saved.ok()) return about(what, saved.status());
    clients_.count(saved->outcome);
    const Id client_id = saved->record.id;
    client_ids_.push_back(client_id);

    std::vector<Id> contact_ids;
    if (saved->outcome == WriteOutcome::kCreated) {
      for (Contact& contact : plan.contacts) {
        contact.client_id = client_id;
        auto added = engine_.contacts().add(actor_, contact);
        if (!added.ok()) return about(what + ", contact " + contact.name, added.status());
        contacts_.count(WriteOutcome::kCreated);
        contact_ids.push_back(added->id);
      }
      for (DemoDeal& planned : plan.deals) {
        planned.deal.client_id = client_id;
        SC_RETURN_IF_ERROR(write_deal(planned, what + ", deal " + planned.deal.external_id));
        deals_.count(WriteOutcome::kCreated);
      }
      for (DemoTask& planned : plan.tasks) {
        planned.task.client_id = client_id;
        planned.task.assignee_id = planned.by_assistant ? client.assistant_id : client.owner_id;
        auto added = engine_.tasks().add(actor_, planned.task);
        if (!added.ok()) return about(what + ", task '" + planned.task.title + "'", added.status());
        tasks_.count(WriteOutcome::kCreated);
      }
    } else {
      // The client was there already, and so are its contacts: the interactions below
      // must point at the same ones to stay unchanged.
      auto existing = engine_.contacts().of_client(actor_, client_id);
      if (!existing.ok()) return about(what + ", contacts", existing.status());
      for (const Contact& c : *existing) contact_ids.push_back(c.id);
      std::sort(contact_ids.begin(), contact_ids.end());
    }

    for (DemoInteraction& planned : plan.interactions) {
      Interaction& x = planned.interaction;
      x.client_id = client_id;
      x.user_id = planned.by_assistant ? client.assistant_id : client.owner_id;
      if (planned.contact >= 0 && !contact_ids.empty())
        x.contact_id = contact_ids[static_cast<std::size_t>(planned.contact) % contact_ids.size()];
      auto upserted = engine_.interactions().upsert(actor_, x);
      if (!upserted.ok()) return about(what + ", interaction " + x.external_id, upserted.status());
      interactions_.count(upserted->outcome);
    }
    return Status::ok();
  }

  // Opens the deal and takes it to its planned stage the way a manager would: the
  // default pipeline's gates want a sent proposal past the proposal stage and a signed
  // contract to win, so the deal gets those records (the system has the authority that
  // approvals would otherwise ask for).
  Status write_deal(const DemoDeal& planned, const std::string& what) {
    const std::string& stage = planned.deal.stage;
    const bool proposal_sent = stage == "negotiation" || stage == "contract" || stage == "won";
    Deal opening = planned.deal;
    if (proposal_sent) opening.stage = "proposal";
    auto added = engine_.deals().add(actor_, opening);
    if (!added.ok()) return about(what, added.status());
    if (!proposal_sent) return Status::ok();
    const Deal& deal = added->record;
    Proposal proposal;
    proposal.client_id = deal.client_id;
    proposal.deal_id = deal.id;
    proposal.currency = deal.expected_amount.currency;
    proposal.lines.push_back({planned.sku, 0, "", Quantity::units(1), deal.expected_amount.minor, 0, 0});
    proposal.terms.payment_terms = "prepay";
    auto drafted = engine_.proposals().add(actor_, proposal);
    if (!drafted.ok()) return about(what + ", proposal", drafted.status());
    if (auto sent = engine_.proposals().send(actor_, drafted->record.id); !sent.ok())
      return about(what + ", proposal", sent.status());
    if (stage == "won") {
      Contract contract;
      contract.type = ContractType::kSupply;
      contract.client_id = deal.client_id;
      contract.deal_id = deal.id;
      contract.number = "Д-" + deal.external_id;
      contract.amount = deal.expected_amount;
      auto drafted_contract = engine_.contracts().add(actor_, contract);
      if (!drafted_contract.ok()) return about(what + ", contract", drafted_contract.status());
      if (auto signed_contract = engine_.contracts().sign(actor_, drafted_contract->record.id); !signed_contract.ok())
        return about(what + ", contract", signed_contract.status());
    }
    auto moved = engine_.deals().advance(actor_, deal.id, stage);
    return moved.ok() ? Status::ok() : about(what, moved.status());
  }

  Status write_orders() {
    const std::vector<DemoOrderSlot> slots = plan_order_slots(options_.seed, options_.orders, buyers_, options_.today);
    const auto total = static_cast<std::int64_t>(slots.size());
    for (std::int64_t start = 0; start < total; start += kOrdersPerBatch) {
      const std::int64_t end = std::min(total, start + kOrdersPerBatch);
      Status st = engine_.batch([&]() -> Status {
        for (std::int64_t i = start; i < end; ++i) {
          const DemoOrderSlot& slot = slots[static_cast<std::size_t>(i)];
          Order order = plan_order(options_.seed, slot, i, buyers_[slot.client], options_.today);
          order.client_id = client_ids_[slot.client];
          auto saved = engine_.orders().upsert(actor_, order);
          if (!saved.ok()) return about("order " + order.external_id, saved.status());
          orders_.count(saved->outcome);
          const Order& o = saved->record;
          if (o.status != OrderStatus::kCancelled && o.owner_id)
            revenue_[{o.owner_id, format_iso8601(o.ordered_at).substr(0, 7)}] += o.total_minor;
          SC_RETURN_IF_ERROR(pay_for(o, static_cast<std::uint64_t>(i)));
        }
        return Status::ok();
      });
      if (!st.is_ok()) return st;
      progress_("orders", end, total);
    }
    return Status::ok();
  }

  // Delivered and completed orders were paid by bank transfer 2 to 20 days after the
  // order (never after today); shipped ones half of the time; the rest are receivables.
  // Keyed by the order's demo id, so a second run pays nothing twice.
  Status pay_for(const Order& o, std::uint64_t index) {
    DemoRandom rnd = DemoRandom::for_item(options_.seed, "payment", index);
    const bool paid = o.status == OrderStatus::kDelivered || o.status == OrderStatus::kCompleted ||
                      (o.status == OrderStatus::kShipped && rnd.chance(0.5));
    if (!paid || o.total_minor <= 0) return Status::ok();
    Payment p;
    p.order_id = o.id;
    p.amount = Money{o.total_minor, o.currency};
    const std::int64_t paid_at = o.ordered_at.ms + rnd.between(2, 20) * 86'400'000;
    p.received_at = Instant{std::min(options_.today.ms, paid_at)};
    p.reference = "п/п " + std::to_string(10000 + index);
    p.source = "demo";
    p.external_id = "pay-" + o.external_id;
    auto saved = engine_.payments().record(actor_, p);
    if (!saved.ok()) return about("payment for order " + o.external_id, saved.status());
    payments_.count(saved->outcome);
    return Status::ok();
  }

  // Each manager's monthly plan, set by the system as their head would: the month's
  // actual revenue times 0.85 to 1.25, rounded to thousands, so the reports show plans
  // met and missed. The current month's plan follows last month's actuals.
  Status write_plans() {
    std::map<Id, std::int64_t> last_month;
    for (const auto& [key, revenue] : revenue_)
      if (key.second != format_iso8601(options_.today).substr(0, 7)) last_month[key.first] = revenue;
    const std::string this_month = format_iso8601(options_.today).substr(0, 7);
    Status st = engine_.batch([&]() -> Status {
      std::uint64_t index = 0;
      auto set = [&](Id user, const std::string& month, std::int64_t basis) -> Status {
        DemoRandom rnd = DemoRandom::for_item(options_.seed, "plan", index++);
        const std::int64_t amount = basis * rnd.between(85, 125) / 100 / 100'000 * 100'000;
        auto existing = engine_.plans().get(actor_, user, month);
        if (existing.ok() && existing->amount.minor == amount) {
          plans_.count(WriteOutcome::kUnchanged);
          return Status::ok();
        }
        auto saved = engine_.plans().set(actor_, user, month, Money{amount, ""});
        if (!saved.ok()) return about("plan " + month, saved.status());
        plans_.count(existing.ok() ? WriteOutcome::kUpdated : WriteOutcome::kCreated);
        return Status::ok();
      };
      for (const auto& [key, revenue] : revenue_)
        if (key.second != this_month) SC_RETURN_IF_ERROR(set(key.first, key.second, revenue));
      for (Id manager : managers_)
        if (last_month.count(manager)) SC_RETURN_IF_ERROR(set(manager, this_month, last_month[manager]));
      return Status::ok();
    });
    if (st.is_ok()) progress_("plans", plans_.created + plans_.updated + plans_.unchanged, 0);
    return st;
  }

  Engine& engine_;
  const DemoOptions& options_;
  const DemoProgress& progress_;
  const Actor actor_ = Actor::system();

  std::vector<Id> managers_, assistants_;  // in demo_staff() order
  std::vector<Id> client_ids_;             // by client index
  std::vector<DemoBuyer> buyers_;          // by client index
  DemoRegistry registry_;

  DemoTally users_{"users"}, products_{"products"}, clients_{"clients"}, contacts_{"contacts"}, deals_{"deals"},
      tasks_{"tasks"}, interactions_{"interactions"}, orders_{"orders"}, payments_{"payments"}, plans_{"plans"};
  std::map<std::pair<Id, std::string>, std::int64_t> revenue_;  // (owner, "YYYY-MM") -> revenue, minor units
};

}  // namespace

void DemoTally::count(WriteOutcome outcome) {
  switch (outcome) {
    case WriteOutcome::kCreated:
      ++created;
      break;
    case WriteOutcome::kUpdated:
      ++updated;
      break;
    case WriteOutcome::kUnchanged:
      ++unchanged;
      break;
  }
}

Result<std::vector<DemoTally>> write_demo_company(Engine& engine, const DemoOptions& options,
                                                  const DemoProgress& progress) {
  if (options.orders > 0 && options.clients == 0)
    return Status::invalid("orders need clients: give --clients more than 0", {{"clients", "must be > 0"}});
  return DemoWriter(engine, options, progress).run();
}

}  // namespace salescore::cli
