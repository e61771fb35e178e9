// /api/v1/clients: the client base.
#include "api/api_intake.h"
#include "api/api_count.h"

namespace salescore::cli {
namespace {

// Writable by create and PATCH. Not: id, source (an integration user's own, api_intake.h),
// created_at/updated_at. Who may change owner_id and assistant_id is the engine's rule
// (an assistant may not change the owner).
const std::vector<std::string> kWritableNames = {"name",       "legal_form",     "inn",  "kpp",      "addresses",
                                                 "phones",     "emails",         "price_type", "payment_terms",
                                                 "shipping_terms", "tier",       "owner_id", "assistant_id",
                                                 "notes",      "custom"};
const Fields kWritable = pick(schema("Client"), kWritableNames);
// A create may also carry the id the client has in the integration user's system; a
// PATCH may not re-key a client.
const Fields kCreatable = [] {
  std::vector<std::string> fields = kWritableNames;
  fields.push_back("external_id");
  return pick(schema("Client"), fields, {"name"});
}();

ClientPatch patch_from(BodyReader& b) {
  ClientPatch p;
  p.name = b.text("name");
  p.legal_form = b.text("legal_form");
  p.inn = b.text("inn");
  p.kpp = b.text("kpp");
  if (b.has("addresses")) {
    std::vector<Address> addresses;
    b.objects("addresses", [&](BodyReader& a) {
      a.allow_only({"kind", "text"});
      addresses.push_back({a.text("kind").value_or(""), a.text("text").value_or("")});
    });
    p.addresses = std::move(addresses);
  }
  p.phones = b.texts("phones");
  p.emails = b.texts("emails");
  p.price_type = b.text("price_type");
  p.payment_terms = b.text("payment_terms");
  p.shipping_terms = b.text("shipping_terms");
  p.tier = b.choice("tier", parse_tier);
  p.owner_id = b.id("owner_id");
  p.assistant_id = b.id("assistant_id");
  p.notes = b.text("notes");
  p.custom = b.text_map("custom");
  return p;
}

Client client_from(const ClientPatch& p) {
  Client c;
  c.name = p.name.value_or("");
  c.legal_form = p.legal_form.value_or("");
  c.inn = p.inn.value_or("");
  c.kpp = p.kpp.value_or("");
  c.addresses = p.addresses.value_or(std::vector<Address>{});
  c.phones = p.phones.value_or(std::vector<std::string>{});
  c.emails = p.emails.value_or(std::vector<std::string>{});
  c.price_type = p.price_type.value_or("");
  c.payment_terms = p.payment_terms.value_or("");
  c.shipping_terms = p.shipping_terms.value_or("");
  c.tier = p.tier.value_or(Tier::kRegular);
  c.owner_id = p.owner_id.value_or(0);
  c.assistant_id = p.assistant_id.value_or(0);
  c.notes = p.notes.value_or("");
  c.custom = p.custom.value_or(std::map<std::string, std::string>{});
  return c;
}

Result<ClientQuery> list_query(ApiCall& call) {
  QueryReader q(call);
  ClientQuery query;
  query.phone = q.text("phone");
  query.email = q.text("email");
  query.inn = q.text("inn");
  query.name_prefix = q.text("name_prefix");
  query.owner_id = q.id("owner_id");
  query.tier = q.choice("tier", parse_tier);
  query.segment = q.text("segment");
  if (Status st = q.status(); !st.is_ok()) return st;
  return query;
}

HttpReply list(ApiCall& call) { return list_of(call, list_query, &Engine::clients); }
HttpReply count(ApiCall& call) { return count_of(call, list_query, &Engine::clients); }

HttpReply get(ApiCall& call) { return record_reply(call.engine.clients().get(call.actor, call.id)); }

// The client as saved, and the other clients sharing a phone, an e-mail or the INN with
// it (Python's `possible_duplicates`).
HttpReply saved_reply(int http_status, const Saved<Client>& saved) {
  FieldList f = fields_of(saved.record);
  std::string ids = "[";
  for (std::size_t i = 0; i < saved.possible_duplicates.size(); ++i)
    ids += (i ? "," : "") + std::to_string(saved.possible_duplicates[i]);
  f.json("possible_duplicates", ids + "]");
  return json_reply(http_status, f.to_json());
}

HttpReply create(ApiCall& call) {
  auto body = body_of(call, kCreatable);
  if (!body.ok()) return error_reply(body.status());
  ClientPatch patch = patch_from(*body);
  auto external_id = body->text("external_id");
  if (Status st = body->status("client"); !st.is_ok()) return error_reply(st);
  auto saved = add_or_upsert(call.engine.clients(), call.actor, client_from(patch), external_id);
  if (!saved.ok()) return error_reply(saved.status());
  return saved_reply(created_or_found(saved->outcome), *saved);
}

HttpReply update(ApiCall& call) {
  auto body = body_of(call, kWritable);
  if (!body.ok()) return error_reply(body.status());
  ClientPatch patch = patch_from(*body);
  if (Status st = body->status("client"); !st.is_ok()) return error_reply(st);
  auto saved = call.engine.clients().update(call.actor, call.id, patch);
  if (!saved.ok()) return error_reply(saved.status());
  return saved_reply(200, *saved);
}

HttpReply contacts(ApiCall& call) {
  auto rows = call.engine.contacts().of_client(call.actor, call.id);
  if (!rows.ok()) return error_reply(rows.status());
  std::vector<std::string> items;
  for (const Contact& c : *rows) items.push_back(fields_of(c).to_json());
  return page_reply(items, std::nullopt);
}

// The segment as the rule recorded it, with when it moves on by itself; a client not
// classified yet is classified on the fly (SegmentService::get).
HttpReply segment(ApiCall& call) { return record_reply(call.engine.segments().get(call.actor, call.id)); }

}  // namespace

void add_client_routes(std::vector<Route>& out) {
  const Fields kClientFilters = {"phone",    "email", "inn", "name_prefix", "owner_id",
                                 field::choice("tier", parse_tier, "Only clients of this tier"), "segment"};
  out.push_back({.method = "GET", .pattern = "/api/v1/clients", .summary = "List the clients the caller may see",
                 .handler = list, .filters = kClientFilters,
                 .paged = true, .reply = Reply::page("Client")});
  out.push_back({.method = "GET", .pattern = "/api/v1/clients/count",
                 .summary = "Count the clients the list would give with the same filters",
                 .handler = count, .filters = kClientFilters,
                 .reply = Reply::record("Count")});
  out.push_back({.method = "POST", .pattern = "/api/v1/clients", .summary = "Create a client", .handler = create,
                 .fields = kCreatable, .success_status = 201, .reply = Reply::record("ClientSaved")});
  out.push_back({.method = "GET", .pattern = "/api/v1/clients/{id}", .summary = "Get a client", .handler = get,
                 .reply = Reply::record("Client")});
  out.push_back({.method = "PATCH", .pattern = "/api/v1/clients/{id}", .summary = "Change some fields of a client",
                 .handler = update, .fields = kWritable, .reply = Reply::record("ClientSaved")});
  out.push_back({.method = "GET", .pattern = "/api/v1/clients/{id}/contacts",
                 .summary = "The contact persons of a client (all of them, one page)", .handler = contacts,
                 .reply = Reply::page("Contact")});
  out.push_back({.method = "GET", .pattern = "/api/v1/clients/{id}/segment",
                 .summary = "The client's segment (new, hot, warm, cooling, sleeping), since when and until when",
                 .handler = segment, .reply = Reply::record("ClientSegment")});
}

}  // namespace salescore::cli
