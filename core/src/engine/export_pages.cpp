#include <functional>
#include <map>

#include "salescore/exports.h"

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

const std::map<std::string, Exporter>& exporters() {
  static const std::map<std::string, Exporter> table = {
      {"clients", by_find<ClientQuery, Client>(&Engine::clients)},
      {"orders", by_find<OrderQuery, Order>(&Engine::orders)},
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
  static const std::vector<std::string> names = {"clients", "orders",   "deals",        "leads",    "tasks", "claims",
                                                 "payments", "visits", "interactions", "calls", "products", "events"};
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
