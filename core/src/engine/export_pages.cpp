#include <functional>
#include <map>

#include "engine/engine_registry.h"
#include "engine/engine_state.h"
#include "salescore/exports.h"
#include "salescore/fulfilment.h"
#include "store/fulfilment_rows.h"

namespace salescore {
namespace {

struct Exporter {
  FieldList (*columns)();
  std::function<Result<ExportPage>(Engine&, const Actor&, Page)> page;
};

// A page of a service's find(actor, Query{page}), each record as fields_of.
template <class Query, class T, class Service>
Exporter by_find(Service& (Engine::*service)()) {
  return {[] { return fields_of(T{}); },
          [service](Engine& engine, const Actor& actor, Page page) -> Result<ExportPage> {
            Query q;
            q.page = page;
            SC_ASSIGN_OR_RETURN(std::vector<T> rows, (engine.*service)().find(actor, q));
            ExportPage out;
            out.rows.reserve(rows.size());
            for (const T& r : rows) out.rows.push_back(fields_of(r));
            if (!rows.empty()) out.last_key = rows.back().id;
            return out;
          }};
}

Exporter events() {
  return {[] { return fields_of(Event{}); },
          [](Engine& engine, const Actor& actor, Page page) -> Result<ExportPage> {
            SC_ASSIGN_OR_RETURN(std::vector<Event> rows, engine.events().since(actor, page.after_id, page.limit));
            ExportPage out;
            for (const Event& e : rows) out.rows.push_back(fields_of(e));
            if (!rows.empty()) out.last_key = rows.back().seq;
            return out;
          }};
}

// Calls: the interactions of kind call, with what the PBX said of each (caller, callee,
// manager, ring and talk time, disposition, hangup cause, recording, the PBX's id).
Exporter calls() {
  return {[] {
            Interaction columns;
            columns.kind = InteractionKind::kCall;
            return fields_of(columns);
          },
          [](Engine& engine, const Actor& actor, Page page) -> Result<ExportPage> {
            InteractionQuery q;
            q.kind = InteractionKind::kCall;
            q.page = page;
            SC_ASSIGN_OR_RETURN(std::vector<Interaction> rows, engine.interactions().find(actor, q));
            ExportPage out;
            for (const Interaction& i : rows) out.rows.push_back(fields_of(i));
            if (!rows.empty()) out.last_key = rows.back().id;
            return out;
          }};
}

// Orders with what fulfilment.h adds to them: the contract covering each (null when
// none) and, per line, what has left, what is planned and what remains to ship. Read from
// the store for the orders find() already let through (the actor's scope).
FieldList order_fields(const Order& o, const store::LineQuantities& held, Id contract_id) {
  FieldList f = fields_of(o);
  f.id("contract_id", contract_id);
  std::string lines = "[";
  for (std::size_t i = 0; i < o.lines.size(); ++i) {
    const int line = static_cast<int>(i) + 1;
    auto at = [line](const std::map<int, Quantity>& m) {
      auto it = m.find(line);
      return it == m.end() ? Quantity{} : it->second;
    };
    const Quantity shipped = at(held.shipped), planned = at(held.planned);
    const Quantity remaining{std::max<std::int64_t>(0, o.lines[i].quantity.milli - shipped.milli - planned.milli)};
    lines += std::string(i ? "," : "") + "{\"line\":" + std::to_string(line) + ",\"shipped\":\"" +
             format_quantity(shipped) + "\",\"planned\":\"" + format_quantity(planned) + "\",\"remaining\":\"" +
             format_quantity(remaining) + "\"}";
  }
  f.json("to_ship", lines + "]");
  return f;
}

Exporter orders() {
  return {[] { return order_fields(Order{}, {}, 0); },
          [](Engine& engine, const Actor& actor, Page page) -> Result<ExportPage> {
            OrderQuery q;
            q.page = page;
            SC_ASSIGN_OR_RETURN(std::vector<Order> rows, engine.orders().find(actor, q));
            detail::EngineState* s = detail::state_of(engine);
            ExportPage out;
            out.rows.reserve(rows.size());
            auto added = detail::read<bool>(*s, [&]() -> Result<bool> {
              for (const Order& o : rows) {
                SC_ASSIGN_OR_RETURN(auto held, store::shipped_per_line(*s->conn, o.id, 0));
                SC_ASSIGN_OR_RETURN(auto contract, store::contract_covering(*s->conn, o.id));
                out.rows.push_back(order_fields(o, held, contract.value_or(0)));
              }
              return true;
            });
            if (!added.ok()) return added.status();
            if (!rows.empty()) out.last_key = rows.back().id;
            return out;
          }};
}

const std::map<std::string, Exporter>& exporters() {
  static const std::map<std::string, Exporter> table = {
      {"clients", by_find<ClientQuery, Client>(&Engine::clients)},
      {"orders", orders()},
      {"deals", by_find<DealQuery, Deal>(&Engine::deals)},
      {"leads", by_find<LeadQuery, Lead>(&Engine::leads)},
      {"tasks", by_find<TaskQuery, Task>(&Engine::tasks)},
      {"claims", by_find<ClaimQuery, Claim>(&Engine::claims)},
      {"payments", by_find<PaymentQuery, Payment>(&Engine::payments)},
      {"visits", by_find<VisitQuery, Visit>(&Engine::visits)},
      {"interactions", by_find<InteractionQuery, Interaction>(&Engine::interactions)},
      {"calls", calls()},
      {"products", by_find<ProductQuery, Product>(&Engine::products)},
      {"events", events()},
      {"proposals", by_find<ProposalQuery, Proposal>(&Engine::proposals)},
      {"contracts", by_find<ContractQuery, Contract>(&Engine::contracts)},
      {"shipments", by_find<ShipmentQuery, Shipment>(&Engine::shipments)},
      {"market", by_find<MarketQuery, MarketNote>(&Engine::market)},
  };
  return table;
}

Result<const Exporter*> exporter(const std::string& entity) {
  auto it = exporters().find(entity);
  if (it != exporters().end()) return &it->second;
  std::string names;
  for (const std::string& n : export_entities()) names += (names.empty() ? "" : ", ") + n;
  return Status::invalid("cannot export '" + entity + "'", {{"entity", "one of " + names}});
}

}  // namespace

const std::vector<std::string>& export_entities() {
  static const std::vector<std::string> names = {
      "clients",  "orders", "deals",  "leads",     "tasks",     "claims",    "payments", "visits",
      "interactions", "calls", "products", "events", "proposals", "contracts", "shipments", "market"};
  return names;
}

Result<FieldList> export_columns(const std::string& entity) {
  SC_ASSIGN_OR_RETURN(const Exporter* e, exporter(entity));
  return e->columns();
}

Result<ExportPage> export_page(Engine& engine, const Actor& actor, const std::string& entity, Page page) {
  SC_ASSIGN_OR_RETURN(const Exporter* e, exporter(entity));
  return e->page(engine, actor, page);
}

}  // namespace salescore
