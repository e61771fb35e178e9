#include "store/client_rows.h"
#include "store/column_rows.h"

#include <set>

#include "model/contact_points.h"
#include "salescore/record_fields.h"
#include "store/json_columns.h"
#include "store/row_helpers.h"

namespace salescore::store {
namespace {

const std::vector<std::string> kClientCols = {
    "name",  "name_key", "legal_form",   "inn",   "kpp",    "addresses", "price_type", "payment_terms",
    "shipping_terms", "tier", "owner_id", "assistant_id", "notes", "custom", "source", "external_id",
    "created_at", "updated_at"};

std::vector<Address> parse_addresses(const std::string& json) {
  std::vector<Address> out;
  for (auto& object : parse_object_list(json)) out.push_back({std::move(object["kind"]), std::move(object["text"])});
  return out;
}

void bind_client(Statement& s, const Client& c) {
  s.bind_all(c.name, search_key(c.name), c.legal_form, c.inn, c.kpp, json_of(c.addresses), c.price_type,
             c.payment_terms, c.shipping_terms, std::string(tier_name(c.tier)), null_if_zero(c.owner_id),
             null_if_zero(c.assistant_id), c.notes, json_of(c.custom), null_if_empty(c.source),
             null_if_empty(c.external_id), c.created_at.ms, c.updated_at.ms);
}

Client map_client(Statement& s) {
  Client c;
  c.id = s.column_int(0);
  c.name = s.column_text(1);
  // column 2 is name_key
  c.legal_form = s.column_text(3);
  c.inn = s.column_text(4);
  c.kpp = s.column_text(5);
  c.addresses = parse_addresses(s.column_text(6));
  c.price_type = s.column_text(7);
  c.payment_terms = s.column_text(8);
  c.shipping_terms = s.column_text(9);
  c.tier = s.column_text(10) == "vip" ? Tier::kVip : Tier::kRegular;
  c.owner_id = s.column_int(11);
  c.assistant_id = s.column_int(12);
  c.notes = s.column_text(13);
  c.custom = parse_string_map(s.column_text(14));
  c.source = s.column_text(15);
  c.external_id = s.column_text(16);
  c.created_at = Instant{s.column_int(17)};
  c.updated_at = Instant{s.column_int(18)};
  c.segment = s.column_text(19);
  return c;
}

std::vector<std::string> client_select_cols() {
  std::vector<std::string> cols = {"id"};
  cols.insert(cols.end(), kClientCols.begin(), kClientCols.end());
  // The recorded segment (read-only, written by the segmentation rule in its own table).
  cols.push_back("(SELECT segment FROM client_segments WHERE client_segments.client_id = clients.id)");
  return cols;
}

// Phones and e-mails of the client itself (not its contacts), in their order.
Status load_points(Connection& c, Id client_id, Id contact_id, std::vector<std::string>& phones,
                   std::vector<std::string>& emails) {
  static const char of_contact = 0, of_client = 0;
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare_once(contact_id ? &of_contact : &of_client, [&] {
    return c.dialect().select({"kind", "value"}, "contact_points",
                              contact_id ? "client_id = ? AND contact_id = ?" : "client_id = ? AND contact_id IS NULL",
                              "position");
  }));
  StatementUse use(*s);
  contact_id ? s->bind_all(client_id, contact_id) : s->bind_all(client_id);
  while (true) {
    SC_ASSIGN_OR_RETURN(bool row, s->step());
    if (!row) break;
    (s->column_text(0) == "phone" ? phones : emails).push_back(s->column_text(1));
  }
  return Status::ok();
}

Filter client_filter(const ClientQuery& q, const std::string& visible) {
  Filter f;
  if (!visible.empty()) f.add(visible);
  if (q.phone)
    f.add("id IN (SELECT client_id FROM contact_points WHERE kind = 'phone' AND value = ?)", {*q.phone});
  if (q.email)
    f.add("id IN (SELECT client_id FROM contact_points WHERE kind = 'email' AND value = ?)", {*q.email});
  f.eq_if("inn", q.inn);
  if (q.name_prefix) {
    // A range on the lower-cased key uses its index; U+10FFFF sorts after any text.
    std::string key = search_key(*q.name_prefix);
    f.add("name_key >= ? AND name_key < ?", {key, key + "\xF4\x8F\xBF\xBF"});
  }
  f.eq_if("owner_id", q.owner_id);
  if (q.tier) f.add("tier = ?", {std::string(tier_name(*q.tier))});
  if (q.segment) f.add("id IN (SELECT client_id FROM client_segments WHERE segment = ?)", {*q.segment});
  return f;
}

}  // namespace

Result<Id> insert_client(Connection& c, const Client& client) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().insert("clients", kClientCols, "id"))));
  Id id;
  {
    StatementUse use(*s);
    bind_client(*s, client);
    SC_ASSIGN_OR_RETURN(bool row, s->step());
    if (!row) return Status::internal("insert into clients returned no id");
    id = s->column_int(0);
  }
  SC_RETURN_IF_ERROR(replace_contact_points(c, id, 0, client.phones, client.emails));
  return id;
}

Status update_client(Connection& c, const Client& client) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().update("clients", kClientCols, "id = ?"))));
  {
    StatementUse use(*s);
    bind_client(*s, client);
    s->bind_int(static_cast<int>(kClientCols.size()) + 1, client.id);
    SC_RETURN_IF_ERROR(s->run());
  }
  return replace_contact_points(c, client.id, 0, client.phones, client.emails);
}

Result<std::optional<Client>> load_client(Connection& c, Id id) {
  static const char site = 0;
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare_once(&site, [&] {
    return c.dialect().select(client_select_cols(), "clients", "id = ?");
  }));
  std::optional<Client> client;
  {
    StatementUse use(*s);
    s->bind_all(id);
    SC_ASSIGN_OR_RETURN(client, map_first<Client>(*s, map_client));
  }
  if (client) SC_RETURN_IF_ERROR(load_points(c, client->id, 0, client->phones, client->emails));
  return client;
}

Result<std::optional<Id>> client_id_by_source(Connection& c, const std::string& source,
                                              const std::string& external_id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         {"id"}, "clients", "source = ? AND external_id = ?"))));
  StatementUse use(*s);
  s->bind_all(source, external_id);
  return map_first<Id>(*s, [](Statement& r) { return r.column_int(0); });
}

// Addresses, phones, e-mails and custom fields are lists and maps: not columns.
Result<ColumnTable> client_columns(Connection& c, const ClientQuery& q, const std::string& visible) {
  static const std::vector<ColumnDef> defs = {
      {"id", "id"},
      {"name", "name", ColumnKind::kText},
      {"legal_form", "legal_form", ColumnKind::kText},
      {"inn", "inn", ColumnKind::kText},
      {"kpp", "kpp", ColumnKind::kText},
      {"price_type", "price_type", ColumnKind::kText},
      {"payment_terms", "payment_terms", ColumnKind::kText},
      {"shipping_terms", "shipping_terms", ColumnKind::kText},
      {"tier", "tier", ColumnKind::kText},
      {"owner_id", "owner_id", ColumnKind::kInt, true},
      {"assistant_id", "assistant_id", ColumnKind::kInt, true},
      {"notes", "notes", ColumnKind::kText},
      {"source", "COALESCE(source, '')", ColumnKind::kText},
      {"external_id", "COALESCE(external_id, '')", ColumnKind::kText},
      {"created_at", "created_at", ColumnKind::kInstant},
      {"updated_at", "updated_at", ColumnKind::kInstant},
      {"segment", "COALESCE((SELECT segment FROM client_segments WHERE client_segments.client_id = clients.id), '')",
       ColumnKind::kText},
  };
  return select_columns(c, "clients", defs, client_filter(q, visible), q.page);
}

Result<std::vector<Client>> find_clients(Connection& c, const ClientQuery& q, const std::string& visible) {
  Filter f = client_filter(q, visible);
  f.after("id", q.page);
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         client_select_cols(), "clients", f.where(), "id", true))));
  std::vector<Client> out;
  {
    StatementUse use(*s);
    int next = f.bind(*s);
    s->bind_int(next, limit_value(q.page));
    SC_ASSIGN_OR_RETURN(out, map_rows<Client>(*s, map_client));
  }
  for (auto& client : out) SC_RETURN_IF_ERROR(load_points(c, client.id, 0, client.phones, client.emails));
  return out;
}

Result<std::int64_t> count_clients(Connection& c, const ClientQuery& q, const std::string& visible) {
  Filter f = client_filter(q, visible);
  std::string where = f.where().empty() ? "" : " WHERE " + f.where();
  return scalar_int(c, "SELECT COUNT(*) FROM clients" + where, f);
}

Result<std::vector<Id>> clients_sharing_contact_points(Connection& c, const Client& client) {
  std::set<Id> ids;
  auto collect = [&](Statement* s) -> Status {
    while (true) {
      SC_ASSIGN_OR_RETURN(bool row, s->step());
      if (!row) return Status::ok();
      Id other = s->column_int(0);
      if (other != client.id) ids.insert(other);
    }
  };
  SC_ASSIGN_OR_RETURN(Statement * by_point, c.prepare(c.dialect().placeholders(c.dialect().select(
                                                {"DISTINCT client_id"}, "contact_points", "kind = ? AND value = ?"))));
  for (const auto* list : {&client.phones, &client.emails}) {
    const char* kind = list == &client.phones ? "phone" : "email";
    for (const auto& value : *list) {
      StatementUse use(*by_point);
      by_point->bind_all(kind, value);
      SC_RETURN_IF_ERROR(collect(by_point));
    }
  }
  if (!client.inn.empty()) {
    SC_ASSIGN_OR_RETURN(Statement * by_inn,
                        c.prepare(c.dialect().placeholders(c.dialect().select({"id"}, "clients", "inn = ?"))));
    StatementUse use(*by_inn);
    by_inn->bind_all(client.inn);
    SC_RETURN_IF_ERROR(collect(by_inn));
  }
  return std::vector<Id>(ids.begin(), ids.end());
}

Status replace_contact_points(Connection& c, Id client_id, Id contact_id, const std::vector<std::string>& phones,
                              const std::vector<std::string>& emails) {
  {
    const std::string where = contact_id ? "contact_id = ?" : "client_id = ? AND contact_id IS NULL";
    SC_ASSIGN_OR_RETURN(Statement * del,
                        c.prepare(c.dialect().placeholders("DELETE FROM contact_points WHERE " + where)));
    StatementUse use(*del);
    del->bind_all(contact_id ? contact_id : client_id);
    SC_RETURN_IF_ERROR(del->run());
  }
  SC_ASSIGN_OR_RETURN(Statement * ins, c.prepare(c.dialect().placeholders(c.dialect().insert(
                                           "contact_points", {"client_id", "contact_id", "kind", "value", "position"}))));
  int position = 0;
  for (const auto* list : {&phones, &emails}) {
    const char* kind = list == &phones ? "phone" : "email";
    for (const auto& value : *list) {
      StatementUse use(*ins);
      ins->bind_all(client_id, null_if_zero(contact_id), kind, value, position++);
      SC_RETURN_IF_ERROR(ins->run());
    }
  }
  return Status::ok();
}

// ---- contacts ----

namespace {
const std::vector<std::string> kContactCols = {"client_id", "name", "role", "notes", "created_at", "updated_at"};

Contact map_contact(Statement& s) {
  Contact c;
  c.id = s.column_int(0);
  c.client_id = s.column_int(1);
  c.name = s.column_text(2);
  c.role = s.column_text(3);
  c.notes = s.column_text(4);
  c.created_at = Instant{s.column_int(5)};
  c.updated_at = Instant{s.column_int(6)};
  return c;
}

std::string select_contacts(Connection& c, const std::string& where) {
  std::vector<std::string> cols = {"id"};
  cols.insert(cols.end(), kContactCols.begin(), kContactCols.end());
  return c.dialect().placeholders(c.dialect().select(cols, "contacts", where, "id"));
}
}  // namespace

Result<Id> insert_contact(Connection& c, const Contact& contact) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().insert("contacts", kContactCols, "id"))));
  Id id;
  {
    StatementUse use(*s);
    s->bind_all(contact.client_id, contact.name, contact.role, contact.notes, contact.created_at.ms,
                contact.updated_at.ms);
    SC_ASSIGN_OR_RETURN(bool row, s->step());
    if (!row) return Status::internal("insert into contacts returned no id");
    id = s->column_int(0);
  }
  SC_RETURN_IF_ERROR(replace_contact_points(c, contact.client_id, id, contact.phones, contact.emails));
  return id;
}

Status update_contact(Connection& c, const Contact& contact) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().update("contacts", kContactCols, "id = ?"))));
  {
    StatementUse use(*s);
    s->bind_all(contact.client_id, contact.name, contact.role, contact.notes, contact.created_at.ms,
                contact.updated_at.ms, contact.id);
    SC_RETURN_IF_ERROR(s->run());
  }
  return replace_contact_points(c, contact.client_id, contact.id, contact.phones, contact.emails);
}

Result<std::optional<Contact>> load_contact(Connection& c, Id id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(select_contacts(c, "id = ?")));
  std::optional<Contact> contact;
  {
    StatementUse use(*s);
    s->bind_all(id);
    SC_ASSIGN_OR_RETURN(contact, map_first<Contact>(*s, map_contact));
  }
  if (contact) SC_RETURN_IF_ERROR(load_points(c, contact->client_id, contact->id, contact->phones, contact->emails));
  return contact;
}

Result<std::vector<Contact>> contacts_of_client(Connection& c, Id client_id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(select_contacts(c, "client_id = ?")));
  std::vector<Contact> out;
  {
    StatementUse use(*s);
    s->bind_all(client_id);
    SC_ASSIGN_OR_RETURN(out, map_rows<Contact>(*s, map_contact));
  }
  for (auto& contact : out) SC_RETURN_IF_ERROR(load_points(c, client_id, contact.id, contact.phones, contact.emails));
  return out;
}

Result<std::vector<Id>> contacts_with_phone(Connection& c, Id client_id, const std::string& phone) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(
                          "SELECT DISTINCT contact_id FROM contact_points WHERE client_id = ? AND kind = 'phone' "
                          "AND value = ? AND contact_id IS NOT NULL ORDER BY contact_id")));
  StatementUse use(*s);
  s->bind_all(client_id, phone);
  return map_rows<Id>(*s, [](Statement& r) { return r.column_int(0); });
}

}  // namespace salescore::store

namespace salescore::store {
Result<std::optional<Id>> client_owner(Connection& c, Id client_id) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().select({"owner_id"}, "clients", "id = ?"))));
  StatementUse use(*s);
  s->bind_all(client_id);
  return map_first<Id>(*s, [](Statement& r) { return r.column_int(0); });
}
}  // namespace salescore::store
