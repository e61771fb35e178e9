// /api/v1/contacts: the contact persons of clients.
#include "api/api_router.h"

namespace salescore::cli {
namespace {

const Fields kCreate = pick(schema("Contact"), {"client_id", "name", "role", "phones", "emails", "notes"},
                            {"client_id", "name"});
const Fields kPatch = pick(schema("Contact"), {"name", "role", "phones", "emails", "notes"});

ContactPatch patch_from(BodyReader& b) {
  ContactPatch p;
  p.name = b.text("name");
  p.role = b.text("role");
  p.phones = b.texts("phones");
  p.emails = b.texts("emails");
  p.notes = b.text("notes");
  return p;
}

// The engine lists contacts per client only, so the list needs ?client_id=.
HttpReply list(ApiCall& call) {
  auto page = page_of(call);
  if (!page.ok()) return error_reply(page.status());
  QueryReader q(call);
  auto client_id = q.id("client_id");
  if (Status st = q.status(); !st.is_ok()) return error_reply(st);
  if (!client_id)
    return error_reply(Status::invalid("contacts are listed per client: add ?client_id=", {{"client_id", "required"}}));
  return list_whole(call.engine.contacts().of_client(call.actor, *client_id), *page);
}

HttpReply get(ApiCall& call) { return record_reply(call.engine.contacts().get(call.actor, call.id)); }

HttpReply create(ApiCall& call) {
  return write_record(
      call, kCreate, "contact",
      [](BodyReader& b) {
        Contact c;
        c.client_id = b.id("client_id").value_or(0);
        ContactPatch p = patch_from(b);
        c.name = p.name.value_or("");
        c.role = p.role.value_or("");
        c.phones = p.phones.value_or(std::vector<std::string>{});
        c.emails = p.emails.value_or(std::vector<std::string>{});
        c.notes = p.notes.value_or("");
        return c;
      },
      [&](const Contact& c) { return call.engine.contacts().add(call.actor, c); }, 201);
}

HttpReply update(ApiCall& call) {
  return write_record(call, kPatch, "contact", patch_from,
                      [&](const ContactPatch& p) { return call.engine.contacts().update(call.actor, call.id, p); });
}

}  // namespace

void add_contact_routes(std::vector<Route>& out) {
  out.push_back({.method = "GET", .pattern = "/api/v1/contacts", .summary = "List the contacts of one client",
                 .handler = list, .filters = {"client_id"}, .paged = true, .reply = Reply::page("Contact")});
  out.push_back({.method = "POST", .pattern = "/api/v1/contacts", .summary = "Add a contact to a client",
                 .handler = create, .fields = kCreate, .success_status = 201, .reply = Reply::record("Contact")});
  out.push_back({.method = "GET", .pattern = "/api/v1/contacts/{id}", .summary = "Get a contact", .handler = get,
                 .reply = Reply::record("Contact")});
  out.push_back({.method = "PATCH", .pattern = "/api/v1/contacts/{id}", .summary = "Change some fields of a contact",
                 .handler = update, .fields = kPatch, .reply = Reply::record("Contact")});
}

}  // namespace salescore::cli
