// /api/v1/payments: money received against orders. A payment is registered, never
// edited (a wrong one is offset by another).
#include "api/api_count.h"

namespace salescore::cli {
namespace {

const Fields kCreate = pick(schema("Payment"), {"order_id", "amount", "currency", "received_at", "method", "reference"},
                            {"order_id", "amount"});

Result<PaymentQuery> list_query(ApiCall& call) {
  QueryReader q(call);
  PaymentQuery query;
  query.order_id = q.id("order_id");
  query.client_id = q.id("client_id");
  query.from = q.instant("from");
  query.to = q.instant("to");
  if (Status st = q.status(); !st.is_ok()) return st;
  return query;
}

HttpReply list(ApiCall& call) { return list_of(call, list_query, &Engine::payments); }
HttpReply count(ApiCall& call) { return count_of(call, list_query, &Engine::payments); }

HttpReply get(ApiCall& call) { return record_reply(call.engine.payments().get(call.actor, call.id)); }

HttpReply create(ApiCall& call) {
  return write_record(
      call, kCreate, "payment",
      [](BodyReader& b) {
        Payment p;
        p.order_id = b.id("order_id").value_or(0);
        if (!b.has("amount")) b.error("amount", "required");
        p.amount = b.money("amount", "currency").value_or(Money{});
        p.received_at = b.instant("received_at").value_or(Instant{});
        p.method = b.choice("method", parse_payment_method).value_or(PaymentMethod::kBankTransfer);
        p.reference = b.text("reference").value_or("");
        return p;
      },
      [&](const Payment& p) { return call.engine.payments().record(call.actor, p); }, 201);
}

// An order's payment schedule: {"installments": [{"due_at": "...", "amount": "500.00",
// "currency": "RUB"}, ...]} replaces the one in force (PaymentService::set_schedule).
const Fields kSchedule = {field::objects("installments",
                                         {field::instant("due_at", "When it is due").need(),
                                          field::amount("amount", "How much").need().eg("\"25000.00\""),
                                          field::text("currency", "ISO 4217 code; absent: the order's").eg("\"RUB\"")},
                                         "The installments; their amounts add up to the order total")
                              .need()};

HttpReply get_schedule(ApiCall& call) { return record_reply(call.engine.payments().schedule(call.actor, call.id)); }

HttpReply set_schedule(ApiCall& call) {
  return write_record(
      call, kSchedule, "payment schedule",
      [](BodyReader& b) {
        std::vector<InstallmentPlan> plan;
        if (!b.has("installments")) b.error("installments", "required");
        b.objects("installments", [&](BodyReader& i) {
          i.allow_only({"due_at", "amount", "currency"});
          InstallmentPlan p;
          if (!i.has("due_at")) i.error("due_at", "required");
          if (!i.has("amount")) i.error("amount", "required");
          p.due_at = i.instant("due_at").value_or(Instant{});
          p.amount = i.money("amount", "currency").value_or(Money{});
          plan.push_back(p);
        });
        return plan;
      },
      [&](const std::vector<InstallmentPlan>& plan) {
        return call.engine.payments().set_schedule(call.actor, call.id, plan);
      });
}

}  // namespace

void add_payment_routes(std::vector<Route>& out) {
  out.push_back({.method = "GET", .pattern = "/api/v1/payments", .summary = "List payments received",
                 .handler = list, .filters = {"order_id", "client_id", "from", "to"}, .paged = true,
                 .reply = Reply::page("Payment")});
  out.push_back({.method = "GET", .pattern = "/api/v1/payments/count",
                 .summary = "Count the payments the list would give with the same filters",
                 .handler = count, .filters = {"order_id", "client_id", "from", "to"},
                 .reply = Reply::record("Count")});
  out.push_back({.method = "POST", .pattern = "/api/v1/payments", .summary = "Register a payment against an order",
                 .handler = create, .fields = kCreate, .success_status = 201, .reply = Reply::record("Payment")});
  out.push_back({.method = "GET", .pattern = "/api/v1/payments/{id}", .summary = "Get a payment", .handler = get,
                 .reply = Reply::record("Payment")});
  out.push_back({.method = "GET", .pattern = "/api/v1/orders/{id}/schedule",
                 .summary = "The order's payment schedule, each installment's due date and amount",
                 .handler = get_schedule, .reply = Reply::record("PaymentSchedule")});
  out.push_back({.method = "POST", .pattern = "/api/v1/orders/{id}/schedule",
                 .summary = "Set the order's payment schedule (amounts add up to the order total)",
                 .handler = set_schedule, .fields = kSchedule, .reply = Reply::record("PaymentSchedule")});
}

}  // namespace salescore::cli
