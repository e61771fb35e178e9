// changes_read(): what changed in salescore, for a connector to send out. The event log
// is the source of truth for "changed since": a connector keeps the seq it got to as its
// checkpoint, so an order edited twice between two 1C exchanges is sent once, in its
// latest state, and one edited again after the exchange is sent again.
#include <algorithm>
#include <unordered_map>

#include "host/runtime_core.h"
#include "host/status_codes.h"
#include "salescore/record_fields.h"

namespace salescore::plugins {
namespace {

// Says why the read failed, as fail() would, for the connector's log and health.
sc_status fail_call(ConnectorSlot& slot, sc_status code, const std::string& why) {
  if (CallContext* ctx = current_call(); ctx && ctx->slot == &slot) ctx->failure = why;
  return code;
}

constexpr std::size_t kDefaultLimit = 1000;
constexpr int kEventPage = 1000;

bool is_change_of(const Event& e, const std::string& entity) {
  return e.entity == entity && (e.type == entity + ".created" || e.type == entity + ".updated");
}

// The order with what a peer needs to file it: its client's card and, per SKU, how the
// peer may know the product (1C matches goods by its own Ид, kept as external_id).
Result<std::string> order_document(Engine& engine, const Actor& actor, Id id) {
  SC_ASSIGN_OR_RETURN(Order order, engine.orders().get(actor, id));
  std::string out = "\"record\":" + fields_of(order).to_json();
  auto client = engine.clients().get(actor, order.client_id);
  out += ",\"client\":" + (client.ok() ? fields_of(*client).to_json() : std::string("null"));
  out += ",\"products\":{";
  bool first = true;
  for (const OrderLine& line : order.lines) {
    if (line.sku.empty()) continue;
    auto product = engine.products().by_sku(actor, line.sku);
    if (!product.ok()) continue;
    if (!first) out += ',';
    first = false;
    out += json_string(line.sku) + ":{\"id\":" + std::to_string(product->id) + ",\"source\":" +
           json_string(product->source) + ",\"external_id\":" + json_string(product->external_id) + "}";
  }
  return out + "}";
}

Result<std::string> record_document(Engine& engine, const Actor& actor, const std::string& entity, Id id) {
  if (entity == "order") return order_document(engine, actor, id);
  if (entity == "client") {
    SC_ASSIGN_OR_RETURN(Client c, engine.clients().get(actor, id));
    return "\"record\":" + fields_of(c).to_json();
  }
  SC_ASSIGN_OR_RETURN(Product p, engine.products().get(actor, id));
  return "\"record\":" + fields_of(p).to_json();
}

}  // namespace

sc_status RuntimeCore::read_changes(ConnectorSlot& slot, const std::string& entity, std::int64_t after_seq,
                                    std::size_t limit, sc_record_visitor visit, void* ctx, std::int64_t* next_seq) {
  if (entity != "order" && entity != "client" && entity != "product")
    return fail_call(slot, SC_INVALID_ARGUMENT, "changes_read: entity '" + entity + "' is not order, client or product");
  if (!visit) return fail_call(slot, SC_INVALID_ARGUMENT, "changes_read: no visitor");
  if (limit == 0) limit = kDefaultLimit;

  // Which records changed, each with its latest change, stopping before the event that
  // would make one record too many.
  std::unordered_map<Id, std::int64_t> latest;
  std::int64_t covered = after_seq;
  bool full = false;
  while (!full) {
    auto events = engine.events().since(covered, kEventPage);
    if (!events.ok()) return fail_call(slot, abi_from_code(events.status().code()), events.status().message());
    if (events->empty()) break;
    for (const Event& e : *events) {
      if (is_change_of(e, entity) && e.actor_id != slot.actor.user_id) {
        auto it = latest.find(e.entity_id);
        if (it == latest.end() && latest.size() >= limit) {
          full = true;
          break;
        }
        latest[e.entity_id] = e.seq;
      }
      covered = e.seq;
    }
    if (events->size() < static_cast<std::size_t>(kEventPage)) break;
  }

  std::vector<std::pair<std::int64_t, Id>> order;  // (latest seq, id)
  order.reserve(latest.size());
  for (const auto& [id, seq] : latest) order.emplace_back(seq, id);
  std::sort(order.begin(), order.end());

  for (const auto& [seq, id] : order) {
    auto body = record_document(engine, slot.actor, entity, id);
    // A record deleted or moved out of the connector's reach since is not sent.
    if (!body.ok()) {
      if (body.status().is_not_found() || body.status().code() == Code::kPermissionDenied) continue;
      return fail_call(slot, abi_from_code(body.status().code()), body.status().message());
    }
    std::string json = "{\"seq\":" + std::to_string(seq) + ",\"entity\":" + json_string(entity) + "," + *body + "}";
    if (visit(ctx, json.data(), json.size()) != 0) {
      covered = seq;
      break;
    }
  }
  if (next_seq) *next_seq = covered;
  return SC_OK;
}

}  // namespace salescore::plugins
