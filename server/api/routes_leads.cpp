// /api/v1/leads: inbound requests and their actions (touch, convert, lose). Assignment,
// SLA and matching to a client are the engine's.
#include "api/api_count.h"

namespace salescore::cli {
namespace {

const Fields kCreate =
    pick(schema("Lead"), {"channel", "contact_name", "company", "phone", "email", "inn", "request", "concrete"});
const Fields kTouch = {field::choice("kind", {"call", "email", "status"}, "The action taken").need()};
const Fields kConvert = {field::text("deal_title", "Title of the deal opened; absent: from the lead")};
const Fields kLose = {field::text("reason", "Why the lead was lost").need().eg("\"spam\"")};

Result<LeadQuery> list_query(ApiCall& call) {
  QueryReader q(call);
  LeadQuery query;
  query.assignee_id = q.id("assignee_id");
  query.status = q.choice("status", parse_lead_status);
  query.breached_from = q.instant("breached_from");
  query.breached_to = q.instant("breached_to");
  query.received_from = q.instant("received_from");
  query.received_to = q.instant("received_to");
  if (Status st = q.status(); !st.is_ok()) return st;
  return query;
}

HttpReply list(ApiCall& call) { return list_of(call, list_query, &Engine::leads); }
HttpReply count(ApiCall& call) { return count_of(call, list_query, &Engine::leads); }

HttpReply get(ApiCall& call) { return record_reply(call.engine.leads().get(call.actor, call.id)); }

HttpReply create(ApiCall& call) {
  return write_record(
      call, kCreate, "lead",
      [](BodyReader& b) {
        Lead l;
        l.channel = b.choice("channel", parse_lead_channel).value_or(LeadChannel::kManual);
        l.contact_name = b.text("contact_name").value_or("");
        l.company = b.text("company").value_or("");
        l.phone = b.text("phone").value_or("");
        l.email = b.text("email").value_or("");
        l.inn = b.text("inn").value_or("");
        l.request = b.text("request").value_or("");
        l.concrete = b.boolean("concrete").value_or(false);
        return l;
      },
      [&](const Lead& l) { return call.engine.leads().add(call.actor, l); }, 201);
}

// {"kind": "call" | "email" | "status"}: the first action stops the SLA clock.
HttpReply touch(ApiCall& call) {
  return write_record(
      call, kTouch, "lead action",
      [](BodyReader& b) { return b.required_text("kind"); },
      [&](const std::string& kind) { return call.engine.leads().touch(call.actor, call.id, kind); });
}

// {"deal_title": "..."} (optional): replies with the lead and the client and deal made.
HttpReply convert(ApiCall& call) {
  auto body = body_of(call, kConvert);
  if (!body.ok()) return error_reply(body.status());
  auto title = body->text("deal_title");
  if (Status st = body->status("lead conversion"); !st.is_ok()) return error_reply(st);
  auto done = call.engine.leads().convert(call.actor, call.id, title.value_or(""));
  if (!done.ok()) return error_reply(done.status());
  FieldList f;
  f.json("lead", fields_of(done->lead).to_json());
  f.number("client_id", done->client_id);
  f.boolean("client_created", done->client_created);
  f.number("deal_id", done->deal_id);
  return json_reply(200, f.to_json());
}

HttpReply lose(ApiCall& call) {
  return write_record(
      call, kLose, "lead loss",
      [](BodyReader& b) { return b.required_text("reason"); },
      [&](const std::string& reason) { return call.engine.leads().lose(call.actor, call.id, reason); });
}

}  // namespace

void add_lead_routes(std::vector<Route>& out) {
  const Fields kLeadFilters = {"assignee_id", field::choice("status", parse_lead_status, "Only leads in this status"),
                               "breached_from", "breached_to", "received_from", "received_to"};
  out.push_back({.method = "GET", .pattern = "/api/v1/leads", .summary = "List leads in id order", .handler = list,
                 .filters = kLeadFilters, .paged = true,
                 .reply = Reply::page("Lead")});
  out.push_back({.method = "GET", .pattern = "/api/v1/leads/count",
                 .summary = "Count the leads the list would give with the same filters",
                 .handler = count, .filters = kLeadFilters,
                 .reply = Reply::record("Count")});
  out.push_back({.method = "POST", .pattern = "/api/v1/leads",
                 .summary = "Receive a lead (matched, assigned and given an SLA by the engine)", .handler = create,
                 .fields = kCreate, .success_status = 201, .reply = Reply::record("Lead")});
  out.push_back({.method = "GET", .pattern = "/api/v1/leads/{id}", .summary = "Get a lead", .handler = get,
                 .reply = Reply::record("Lead")});
  out.push_back({.method = "POST", .pattern = "/api/v1/leads/{id}/touch",
                 .summary = "Record an action on a lead (call, email, status)", .handler = touch,
                 .fields = kTouch, .reply = Reply::record("Lead")});
  out.push_back({.method = "POST", .pattern = "/api/v1/leads/{id}/convert",
                 .summary = "Turn a lead into a client and a deal", .handler = convert, .fields = kConvert,
                 .reply = Reply::record("LeadConversion")});
  out.push_back({.method = "POST", .pattern = "/api/v1/leads/{id}/lose", .summary = "Lose a lead with a reason",
                 .handler = lose, .fields = kLose,
                 .reply = Reply::record("Lead")});
}

}  // namespace salescore::cli
