// /api/v1/shipments and /api/v1/claims: what happens after an order — shipments of it,
// and the client's claims about it.
#include "api/api_count.h"

namespace salescore::cli {
namespace {

// ---- shipments ----

const Fields kShipmentCreate = pick(schema("Shipment"), {"order_id", "planned_at", "notes"}, {"order_id"});
const Fields kShipmentPatch = pick(schema("Shipment"), {"planned_at", "notes"});
const Fields kWhen = {field::instant("at", "When it happened; absent: now")};

Result<ShipmentQuery> list_shipments_query(ApiCall& call) {
  QueryReader q(call);
  ShipmentQuery query;
  query.order_id = q.id("order_id");
  query.status = q.choice("status", parse_shipment_status);
  query.from = q.instant("from");
  query.to = q.instant("to");
  if (Status st = q.status(); !st.is_ok()) return st;
  return query;
}

HttpReply list_shipments(ApiCall& call) { return list_of(call, list_shipments_query, &Engine::shipments); }
HttpReply count_shipments(ApiCall& call) { return count_of(call, list_shipments_query, &Engine::shipments); }

HttpReply get_shipment(ApiCall& call) { return record_reply(call.engine.shipments().get(call.actor, call.id)); }

HttpReply create_shipment(ApiCall& call) {
  return write_record(
      call, kShipmentCreate, "shipment",
      [](BodyReader& b) {
        Shipment s;
        s.order_id = b.id("order_id").value_or(0);
        s.planned_at = b.instant("planned_at").value_or(Instant{});
        s.notes = b.text("notes").value_or("");
        return s;
      },
      [&](const Shipment& s) { return call.engine.shipments().add(call.actor, s); }, 201);
}

HttpReply update_shipment(ApiCall& call) {
  return write_record(
      call, kShipmentPatch, "shipment",
      [](BodyReader& b) {
        ShipmentPatch p;
        p.planned_at = b.instant("planned_at");
        p.notes = b.text("notes");
        return p;
      },
      [&](const ShipmentPatch& p) { return call.engine.shipments().update(call.actor, call.id, p); });
}

// {"at": "..."} optional: when it happened (default now).
HttpReply ship(ApiCall& call) {
  return write_record(
      call, kWhen, "shipment", [](BodyReader& b) { return b.instant("at"); },
      [&](const std::optional<Instant>& at) { return call.engine.shipments().ship(call.actor, call.id, at); });
}

HttpReply deliver(ApiCall& call) {
  return write_record(
      call, kWhen, "shipment", [](BodyReader& b) { return b.instant("at"); },
      [&](const std::optional<Instant>& at) { return call.engine.shipments().deliver(call.actor, call.id, at); });
}

HttpReply cancel_shipment(ApiCall& call) {
  return bodyless_action(call, "shipment", [&] { return call.engine.shipments().cancel(call.actor, call.id); });
}

// ---- claims ----

const Fields kClaimCreate = pick(schema("Claim"), {"client_id", "order_id", "contract_id", "kind", "description"});
const Fields kClaimPatch = pick(schema("Claim"), {"kind", "description", "cause", "measures", "status"});

Result<ClaimQuery> list_claims_query(ApiCall& call) {
  QueryReader q(call);
  ClaimQuery query;
  query.client_id = q.id("client_id");
  query.order_id = q.id("order_id");
  query.owner_id = q.id("owner_id");
  query.status = q.choice("status", parse_claim_status);
  query.kind = q.choice("kind", parse_claim_kind);
  query.from = q.instant("from");
  query.to = q.instant("to");
  if (Status st = q.status(); !st.is_ok()) return st;
  return query;
}

HttpReply list_claims(ApiCall& call) { return list_of(call, list_claims_query, &Engine::claims); }
HttpReply count_claims(ApiCall& call) { return count_of(call, list_claims_query, &Engine::claims); }

// Cause -> number of claims registered in [?from, ?to), most frequent first, over the
// claims the caller may see (ClaimService::count_by_cause).
HttpReply claim_causes(ApiCall& call) {
  QueryReader q(call);
  ClaimCauseQuery query;
  query.from = q.instant("from");
  query.to = q.instant("to");
  query.kind = q.choice("kind", parse_claim_kind);
  if (Status st = q.status(); !st.is_ok()) return error_reply(st);
  auto counts = call.engine.claims().count_by_cause(call.actor, query);
  if (!counts.ok()) return error_reply(counts.status());
  std::vector<std::string> items;
  for (const CauseCount& c : *counts)
    items.push_back("{\"cause\":" + json_string(c.cause) + ",\"count\":" + std::to_string(c.count) + "}");
  return page_reply(items, std::nullopt);
}

HttpReply get_claim(ApiCall& call) { return record_reply(call.engine.claims().get(call.actor, call.id)); }

HttpReply create_claim(ApiCall& call) {
  return write_record(
      call, kClaimCreate, "claim",
      [](BodyReader& b) {
        Claim c;
        c.client_id = b.id("client_id").value_or(0);
        c.order_id = b.id("order_id").value_or(0);
        c.contract_id = b.id("contract_id").value_or(0);
        c.kind = b.choice("kind", parse_claim_kind).value_or(ClaimKind::kOther);
        c.description = b.text("description").value_or("");
        return c;
      },
      [&](const Claim& c) { return call.engine.claims().add(call.actor, c); }, 201);
}

HttpReply update_claim(ApiCall& call) {
  return write_record(
      call, kClaimPatch, "claim",
      [](BodyReader& b) {
        ClaimPatch p;
        p.kind = b.choice("kind", parse_claim_kind);
        p.description = b.text("description");
        p.cause = b.text("cause");
        p.measures = b.text("measures");
        p.status = b.choice("status", parse_claim_status);
        return p;
      },
      [&](const ClaimPatch& p) { return call.engine.claims().update(call.actor, call.id, p); });
}

}  // namespace

void add_aftersales_routes(std::vector<Route>& out) {
  const FieldSpec kClaimKind = field::choice("kind", parse_claim_kind, "Only claims of this kind");
  const Fields kShipmentFilters = {
      "order_id", field::choice("status", parse_shipment_status, "Only shipments in this status"), "from", "to"};
  const Fields kClaimFilters = {"client_id", "order_id", "owner_id",
                                field::choice("status", parse_claim_status, "Only claims in this status"), kClaimKind,
                                "from", "to"};
  const std::string shipment = "/api/v1/shipments/{id}";
  out.push_back({.method = "GET", .pattern = "/api/v1/shipments", .summary = "List shipments",
                 .handler = list_shipments, .filters = kShipmentFilters, .paged = true,
                 .reply = Reply::page("Shipment")});
  out.push_back({.method = "GET", .pattern = "/api/v1/shipments/count",
                 .summary = "Count the shipments the list would give with the same filters",
                 .handler = count_shipments, .filters = kShipmentFilters,
                 .reply = Reply::record("Count")});
  out.push_back({.method = "POST", .pattern = "/api/v1/shipments", .summary = "Plan a shipment of an order",
                 .handler = create_shipment, .fields = kShipmentCreate, .success_status = 201,
                 .reply = Reply::record("Shipment")});
  out.push_back({.method = "GET", .pattern = shipment, .summary = "Get a shipment", .handler = get_shipment,
                 .reply = Reply::record("Shipment")});
  out.push_back({.method = "PATCH", .pattern = shipment, .summary = "Re-plan a planned shipment",
                 .handler = update_shipment, .fields = kShipmentPatch, .reply = Reply::record("Shipment")});
  out.push_back({.method = "POST", .pattern = shipment + "/ship", .summary = "Record that it left",
                 .handler = ship, .fields = kWhen, .reply = Reply::record("Shipment")});
  out.push_back({.method = "POST", .pattern = shipment + "/deliver", .summary = "Record that the client got it",
                 .handler = deliver, .fields = kWhen, .reply = Reply::record("Shipment")});
  out.push_back({.method = "POST", .pattern = shipment + "/cancel", .summary = "Cancel a shipment",
                 .handler = cancel_shipment, .reply = Reply::record("Shipment")});

  out.push_back({.method = "GET", .pattern = "/api/v1/claims", .summary = "List claims", .handler = list_claims,
                 .filters = kClaimFilters, .paged = true,
                 .reply = Reply::page("Claim")});
  out.push_back({.method = "GET", .pattern = "/api/v1/claims/count",
                 .summary = "Count the claims the list would give with the same filters",
                 .handler = count_claims,
                 .filters = kClaimFilters,
                 .reply = Reply::record("Count")});
  out.push_back({.method = "POST", .pattern = "/api/v1/claims", .summary = "Register a client's claim",
                 .handler = create_claim, .fields = kClaimCreate, .success_status = 201,
                 .reply = Reply::record("Claim")});
  out.push_back({.method = "GET", .pattern = "/api/v1/claims/causes",
                 .summary = "Claims counted by cause (?from=, ?to=, ?kind=), most frequent first",
                 .handler = claim_causes, .filters = {"from", "to", kClaimKind}, .reply = Reply::page("CauseCount")});
  out.push_back({.method = "GET", .pattern = "/api/v1/claims/{id}", .summary = "Get a claim", .handler = get_claim,
                 .reply = Reply::record("Claim")});
  out.push_back({.method = "PATCH", .pattern = "/api/v1/claims/{id}",
                 .summary = "Investigate or close a claim (cause, measures, status)", .handler = update_claim,
                 .fields = kClaimPatch, .reply = Reply::record("Claim")});
}

}  // namespace salescore::cli
