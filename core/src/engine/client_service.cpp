// Clients and their contacts: normalization of phones and e-mails, requisites checks,
// duplicate reporting, mandatory fields, idempotent upserts by (source, external_id).
#include "engine/record_writes.h"
#include "model/contact_points.h"
#include "rules/access.h"
#include "rules/intake.h"
#include "store/client_rows.h"

namespace salescore {
using namespace detail;

namespace {

// Normalizes phones and e-mails in place, recording each bad entry under "phones[i]".
void normalize_points(const EngineState& s, std::vector<std::string>& phones, std::vector<std::string>& emails,
                      FieldErrors& errors) {
  std::vector<std::string> clean;
  for (std::size_t i = 0; i < phones.size(); ++i) {
    auto p = normalize_phone(phones[i], s.config.phone_region);
    if (errors.check("phones[" + std::to_string(i) + "]", p.status()) &&
        std::find(clean.begin(), clean.end(), *p) == clean.end())
      clean.push_back(*p);
  }
  phones = std::move(clean);
  clean.clear();
  for (std::size_t i = 0; i < emails.size(); ++i) {
    auto e = normalize_email(emails[i]);
    if (errors.check("emails[" + std::to_string(i) + "]", e.status()) &&
        std::find(clean.begin(), clean.end(), *e) == clean.end())
      clean.push_back(*e);
  }
  emails = std::move(clean);
}

Status validate_client(EngineState& s, Client& c) {
  FieldErrors errors;
  auto trim = [](std::string& v) {
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.pop_back();
    std::size_t b = 0;
    while (b < v.size() && std::isspace(static_cast<unsigned char>(v[b]))) ++b;
    v.erase(0, b);
  };
  trim(c.name);
  trim(c.inn);
  trim(c.kpp);
  if (c.name.empty()) errors.add("name", "required");
  if (!c.inn.empty()) errors.check("inn", validate_inn(c.inn));
  if (!c.kpp.empty()) {
    errors.check("kpp", validate_kpp(c.kpp));
    if (c.inn.size() == 12) errors.add("kpp", "an individual entrepreneur (12-digit INN) has no KPP");
  }
  normalize_points(s, c.phones, c.emails, errors);
  for (const auto& [key, value] : c.custom)
    if (key.empty()) errors.add("custom", "a custom field needs a name");
  errors.check("owner_id", check_user_exists(s, c.owner_id, "owner_id"));
  errors.check("assistant_id", check_user_exists(s, c.assistant_id, "assistant_id"));
  check_mandatory(s, errors, "client", [&](const std::string& f) {
    if (f == "name") return !c.name.empty();
    if (f == "phone" || f == "phones") return !c.phones.empty();
    if (f == "email" || f == "emails") return !c.emails.empty();
    if (f == "inn") return !c.inn.empty();
    if (f == "kpp") return !c.kpp.empty();
    if (f == "legal_form") return !c.legal_form.empty();
    if (f == "address" || f == "addresses") return !c.addresses.empty();
    if (f == "price_type") return !c.price_type.empty();
    if (f == "payment_terms") return !c.payment_terms.empty();
    if (f == "shipping_terms") return !c.shipping_terms.empty();
    if (f == "owner" || f == "owner_id") return c.owner_id != 0;
    if (f == "assistant" || f == "assistant_id") return c.assistant_id != 0;
    if (f == "notes") return !c.notes.empty();
    auto it = c.custom.find(f);
    return it != c.custom.end() && !it->second.empty();
  });
  return errors.to_status("client");
}

void apply(const ClientPatch& p, Client& c) {
  if (p.name) c.name = *p.name;
  if (p.legal_form) c.legal_form = *p.legal_form;
  if (p.inn) c.inn = *p.inn;
  if (p.kpp) c.kpp = *p.kpp;
  if (p.price_type) c.price_type = *p.price_type;
  if (p.payment_terms) c.payment_terms = *p.payment_terms;
  if (p.shipping_terms) c.shipping_terms = *p.shipping_terms;
  if (p.notes) c.notes = *p.notes;
  if (p.addresses) c.addresses = *p.addresses;
  if (p.phones) c.phones = *p.phones;
  if (p.emails) c.emails = *p.emails;
  if (p.tier) c.tier = *p.tier;
  if (p.owner_id) c.owner_id = *p.owner_id;
  if (p.assistant_id) c.assistant_id = *p.assistant_id;
  if (p.custom) c.custom = *p.custom;
}

// A client typed in by a manager is theirs; one typed in by an assistant belongs to
// the manager they assist and is worked by them.
void default_ownership(const Scope& scope, const std::vector<Id>& owners, Client& c) {
  if (c.owner_id == 0 && (scope.role == Role::kManager || scope.role == Role::kAssistant) && !owners.empty())
    c.owner_id = owners.front();
  if (c.assistant_id == 0 && scope.role == Role::kAssistant) c.assistant_id = scope.user_id;
}

Status check_covers(EngineState& s, const Actor& actor, const Scope& scope, const Client& c, const char* action) {
  if (scope.covers_client(c.owner_id, c.assistant_id, c.source)) return Status::ok();
  return deny(s, actor, action, "client", c.id, c.id ? "not in your clients" : "the owner is outside your team");
}

Result<Saved<Client>> insert_new(EngineState& s, const Actor& actor, const Scope& scope, Client c) {
  SC_RETURN_IF_ERROR(key_by_source(scope, c.source, c.external_id));
  default_ownership(scope, scope.owners, c);
  if (c.owner_id == 0) {
    SC_ASSIGN_OR_RETURN(c.owner_id, intake_owner(s, scope));
  }
  SC_RETURN_IF_ERROR(check_covers(s, actor, scope, c, "create"));
  SC_RETURN_IF_ERROR(validate_client(s, c));
  c.created_at = c.updated_at = s.now();
  SC_ASSIGN_OR_RETURN(c.id, store::insert_client(*s.conn, c));
  SC_ASSIGN_OR_RETURN(auto dups, store::clients_sharing_contact_points(*s.conn, c));
  SC_RETURN_IF_ERROR(log_created(s, actor, "client", c));
  return Saved<Client>{std::move(c), WriteOutcome::kCreated, std::move(dups)};
}

Result<Saved<Client>> save_over(EngineState& s, const Actor& actor, const Client& before, Client after) {
  SC_ASSIGN_OR_RETURN(Scope scope, scope_of(s, actor));
  SC_RETURN_IF_ERROR(check_covers(s, actor, scope, before, "change"));
  if (after.owner_id != before.owner_id) {
    // Handing a client to another manager is the head's decision, not the assistant's.
    if (scope.role == Role::kAssistant) return deny(s, actor, "change the owner of", "client", before.id);
    if (!scope.everything && !scope.owns(after.owner_id))
      return deny(s, actor, "hand over", "client", before.id, "the new owner is outside your team");
  }
  after.id = before.id;
  after.created_at = before.created_at;
  after.updated_at = before.updated_at;
  SC_RETURN_IF_ERROR(validate_client(s, after));
  SC_ASSIGN_OR_RETURN(WriteOutcome outcome,
                      save_if_changed(s, actor, "client", before, after,
                                      [&](const Client& c) { return store::update_client(*s.conn, c); }));
  std::vector<Id> dups;
  if (outcome == WriteOutcome::kUpdated) {
    SC_ASSIGN_OR_RETURN(dups, store::clients_sharing_contact_points(*s.conn, after));
  }
  return Saved<Client>{std::move(after), outcome, std::move(dups)};
}

Result<Client> load_or_not_found(EngineState& s, Id id) {
  SC_ASSIGN_OR_RETURN(auto c, store::load_client(*s.conn, id));
  if (!c) return not_found("client", id);
  return std::move(*c);
}

}  // namespace

Result<Saved<Client>> ClientService::add(const Actor& actor, Client client) {
  return write<Saved<Client>>(*s_, [&]() -> Result<Saved<Client>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return insert_new(*s_, actor, scope, std::move(client));
  });
}

Result<Client> ClientService::get(const Actor& actor, Id id) {
  return read<Client>(*s_, [&]() -> Result<Client> {
    SC_ASSIGN_OR_RETURN(Client c, load_or_not_found(*s_, id));
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    SC_RETURN_IF_ERROR(check_covers(*s_, actor, scope, c, "read"));
    return c;
  });
}

Result<Saved<Client>> ClientService::update(const Actor& actor, Id id, const ClientPatch& patch) {
  return write<Saved<Client>>(*s_, [&]() -> Result<Saved<Client>> {
    SC_ASSIGN_OR_RETURN(Client before, load_or_not_found(*s_, id));
    Client after = before;
    apply(patch, after);
    return save_over(*s_, actor, before, std::move(after));
  });
}

Result<Saved<Client>> ClientService::upsert(const Actor& actor, Client client) {
  return write<Saved<Client>>(*s_, [&]() -> Result<Saved<Client>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    SC_RETURN_IF_ERROR(key_by_source(scope, client.source, client.external_id));
    SC_RETURN_IF_ERROR(need_source_key(client.source, client.external_id));
    SC_ASSIGN_OR_RETURN(auto existing, store::client_id_by_source(*s_->conn, client.source, client.external_id));
    if (!existing) return insert_new(*s_, actor, scope, std::move(client));
    SC_ASSIGN_OR_RETURN(Client before, load_or_not_found(*s_, *existing));
    // The client's people are salescore's: a source that names none keeps them.
    if (client.owner_id == 0) client.owner_id = before.owner_id;
    if (client.assistant_id == 0) client.assistant_id = before.assistant_id;
    return save_over(*s_, actor, before, std::move(client));
  });
}

namespace {
// A phone in a query is written however the caller likes; stored phones are E.164.
Result<ClientQuery> normalized(const EngineState& s, ClientQuery q) {
  if (q.phone) {
    auto p = normalize_phone(*q.phone, s.config.phone_region);
    if (!p.ok()) return Status::invalid(p.status().message(), {{"phone", p.status().message()}});
    q.phone = *p;
  }
  if (q.email) q.email = search_key(*q.email);
  if (q.segment) {
    auto segment = parse_segment(*q.segment);
    if (!segment.ok()) return Status::invalid(segment.status().message(), {{"segment", segment.status().message()}});
  }
  return q;
}
}  // namespace

Result<std::vector<Client>> ClientService::find(const Actor& actor, const ClientQuery& query) {
  SC_ASSIGN_OR_RETURN(ClientQuery q, normalized(*s_, query));
  return read<std::vector<Client>>(*s_, [&]() -> Result<std::vector<Client>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::find_clients(*s_->conn, q, scope.condition("owner_id", "source", "assistant_id"));
  });
}

Result<std::int64_t> ClientService::count(const Actor& actor, const ClientQuery& query) {
  SC_ASSIGN_OR_RETURN(ClientQuery q, normalized(*s_, query));
  return read<std::int64_t>(*s_, [&]() -> Result<std::int64_t> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::count_clients(*s_->conn, q, scope.condition("owner_id", "source", "assistant_id"));
  });
}

Status ClientService::for_each(const Actor& actor, const std::function<bool(const Client&)>& visit) {
  // Pages of 1,000 by keyset, so a long export never holds a statement open across the
  // caller's own work.
  ClientQuery q;
  q.page.limit = 1000;
  while (true) {
    SC_ASSIGN_OR_RETURN(auto page, find(actor, q));
    for (const auto& c : page)
      if (!visit(c)) return Status::ok();
    if (page.size() < 1000) return Status::ok();
    q.page.after_id = page.back().id;
  }
}

// ---- contacts ----

namespace {
Status validate_contact(EngineState& s, const Actor& actor, Contact& c) {
  FieldErrors errors;
  if (c.name.empty()) errors.add("name", "required");
  normalize_points(s, c.phones, c.emails, errors);
  SC_ASSIGN_OR_RETURN(auto client, store::load_client(*s.conn, c.client_id));
  if (!client) errors.add("client_id", "client " + std::to_string(c.client_id) + " does not exist");
  check_mandatory(s, errors, "contact", [&](const std::string& f) {
    if (f == "name") return !c.name.empty();
    if (f == "role") return !c.role.empty();
    if (f == "phone" || f == "phones") return !c.phones.empty();
    if (f == "email" || f == "emails") return !c.emails.empty();
    return false;
  });
  SC_RETURN_IF_ERROR(errors.to_status("contact"));
  SC_ASSIGN_OR_RETURN(Scope scope, scope_of(s, actor));
  return check_covers(s, actor, scope, *client, "change the contacts of");
}
}  // namespace

Result<Contact> ContactService::add(const Actor& actor, Contact contact) {
  return write<Contact>(*s_, [&]() -> Result<Contact> {
    SC_RETURN_IF_ERROR(validate_contact(*s_, actor, contact));
    contact.created_at = contact.updated_at = s_->now();
    SC_ASSIGN_OR_RETURN(contact.id, store::insert_contact(*s_->conn, contact));
    SC_RETURN_IF_ERROR(log_created(*s_, actor, "contact", contact));
    return contact;
  });
}

Result<Contact> ContactService::get(const Actor& actor, Id id) {
  return read<Contact>(*s_, [&]() -> Result<Contact> {
    SC_ASSIGN_OR_RETURN(auto c, store::load_contact(*s_->conn, id));
    if (!c) return not_found("contact", id);
    SC_ASSIGN_OR_RETURN(Client client, load_or_not_found(*s_, c->client_id));
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    SC_RETURN_IF_ERROR(check_covers(*s_, actor, scope, client, "read the contacts of"));
    return std::move(*c);
  });
}

Result<Contact> ContactService::update(const Actor& actor, Id id, const ContactPatch& p) {
  return write<Contact>(*s_, [&]() -> Result<Contact> {
    SC_ASSIGN_OR_RETURN(auto before, store::load_contact(*s_->conn, id));
    if (!before) return not_found("contact", id);
    Contact after = *before;
    if (p.name) after.name = *p.name;
    if (p.role) after.role = *p.role;
    if (p.notes) after.notes = *p.notes;
    if (p.phones) after.phones = *p.phones;
    if (p.emails) after.emails = *p.emails;
    SC_RETURN_IF_ERROR(validate_contact(*s_, actor, after));
    SC_ASSIGN_OR_RETURN(auto outcome, save_if_changed(*s_, actor, "contact", *before, after, [&](const Contact& c) {
                          return store::update_contact(*s_->conn, c);
                        }));
    (void)outcome;
    return after;
  });
}

Result<std::vector<Contact>> ContactService::of_client(const Actor& actor, Id client_id) {
  return read<std::vector<Contact>>(*s_, [&]() -> Result<std::vector<Contact>> {
    SC_ASSIGN_OR_RETURN(Client client, load_or_not_found(*s_, client_id));
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    SC_RETURN_IF_ERROR(check_covers(*s_, actor, scope, client, "read the contacts of"));
    return store::contacts_of_client(*s_->conn, client_id);
  });
}

}  // namespace salescore
