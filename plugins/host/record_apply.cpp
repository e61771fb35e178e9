#include "host/record_apply.h"

#include <algorithm>
#include <charconv>


#include "host/email_record.h"
#include "host/json_fields.h"
#include "host/known_skus.h"
#include "host/order_payments.h"
#include "host/order_refunds.h"
#include "salescore/calls.h"
#include "salescore/connector_ingest.h"
#include "salescore/sha256.h"

namespace salescore::plugins {

thread_local KnownSkus* KnownSkus::current_ = nullptr;

namespace {

// ---- references ----

// Resolves a login to a user id: nullopt when the field is absent, 0 when null.
Result<std::optional<Id>> resolve_user(Engine& e, const Actor& a, JsonFields& f, const std::string& field) {
  auto login = f.text(field);
  if (!login) return std::optional<Id>();
  if (login->empty()) return std::optional<Id>(0);
  auto user = e.users().by_login(a, *login);
  if (user.ok()) return std::optional<Id>(user->id);
  if (!user.status().is_not_found()) return user.status();
  f.error(field, "no user with login '" + *login + "'");
  return std::optional<Id>();
}

Status client_not_found(const std::string& field, const std::string& what) {
  return Status(Code::kNotFound, field + ": no client with " + what + " (has it been imported yet?)",
                {{field, "no client with " + what}});
}

Result<std::optional<Id>> first_client(Engine& e, const Actor& a, ClientQuery q, const std::string& kpp = "") {
  q.page.limit = 20;
  SC_ASSIGN_OR_RETURN(auto found, e.clients().find(a, q));
  for (const auto& c : found)
    if (kpp.empty() || c.kpp == kpp) return std::optional<Id>(c.id);
  // A branch is told apart by its KPP; a client entered without one is the company itself.
  for (const auto& c : found)
    if (c.kpp.empty()) return std::optional<Id>(c.id);
  return std::optional<Id>();
}

// Resolves a client reference (see record_apply.h). nullopt: absent; 0: null or an
// unknown phone/e-mail, which is normal for a call from a new number. An object may name
// the client several ways (a 1C buyer: its Ид, INN, phone, e-mail): they are tried in
// the order id, external_id, inn, phone, email, and the first that finds a client wins,
// the way a buyer is matched before one is created (apply_client).
//
// `match_any` (a connector's interaction): the phone and the e-mails are looked up among
// every client, not only those the connector's user sees. A letter or a call concerns
// whichever client it concerns, and a connector may record it against any client
// (may_refer_to_client); only the client's id is used, nothing of it is read back.
Result<std::optional<Id>> resolve_client(Engine& e, const Actor& a, JsonFields& f, const std::string& field,
                                         const std::string& record_source, bool match_any = false) {
  if (!f.has(field)) return std::optional<Id>();
  const Actor match_as = match_any ? Actor::system() : a;
  if (!f.is_object(field)) {
    auto external_id = f.text(field);
    if (!external_id) return std::optional<Id>();
    if (external_id->empty()) return std::optional<Id>(0);
    SC_ASSIGN_OR_RETURN(auto id, e.connectors().id_by_source("client", record_source, *external_id));
    if (!id) return client_not_found(field, "source '" + record_source + "' and external_id '" + *external_id + "'");
    return id;
  }
  JsonFields ref = *f.object(field);
  std::optional<Status> not_found;  // of the first key that must find a client (id, external_id, inn)
  if (auto id = ref.integer("id")) {
    auto client = e.clients().get(a, *id);
    if (client.ok()) return std::optional<Id>(*id);
    if (!client.status().is_not_found()) return client.status();
    not_found = client_not_found(field + ".id", "id " + std::to_string(*id));
  }
  if (auto external_id = ref.text("external_id")) {
    std::string source = ref.text("source").value_or(record_source);
    SC_ASSIGN_OR_RETURN(auto id, e.connectors().id_by_source("client", source, *external_id));
    if (id) return id;
    if (!not_found)
      not_found = client_not_found(field + ".external_id", "source '" + source + "' and external_id '" + *external_id + "'");
  }
  if (auto inn = ref.text("inn")) {
    ClientQuery q;
    q.inn = *inn;
    SC_ASSIGN_OR_RETURN(auto id, first_client(e, a, q, ref.text("kpp").value_or("")));
    if (id) return id;
    if (!not_found) not_found = client_not_found(field + ".inn", "INN " + *inn);
  }
  if (auto phone = ref.text("phone")) {
    ClientQuery q;
    q.phone = *phone;
    auto id = first_client(e, match_as, q);
    if (id.ok() && *id) return *id;
    if (!id.ok() && !id.status().is_invalid()) return id.status();
    // A phone that is no phone: said, unless a key before it already names the client sought.
    if (!id.ok() && !not_found) {
      f.error(field + ".phone", id.status().message());
      return std::optional<Id>();
    }
  }
  std::vector<std::string> emails;
  if (auto email = ref.text("email")) emails.push_back(*email);
  if (auto more = ref.texts("emails")) emails.insert(emails.end(), more->begin(), more->end());
  for (const std::string& email : emails) {
    ClientQuery q;
    q.email = email;
    SC_ASSIGN_OR_RETURN(auto id, first_client(e, match_as, q));
    if (id) return id;
  }
  if (not_found) return *not_found;
  if (ref.has("phone") || ref.has("email") || ref.has("emails")) return std::optional<Id>(0);
  f.error(field, "a client reference needs one of id, external_id, inn, phone, email, emails");
  return std::optional<Id>();
}

template <class T>
void set_if(std::optional<T> value, T& target) {
  if (value) target = std::move(*value);
}

// ---- entities ----

void add_missing(std::vector<std::string>& to, const std::vector<std::string>& from) {
  for (const auto& item : from)
    if (std::find(to.begin(), to.end(), item) == to.end()) to.push_back(item);
}

// A client the company already has (a manager entered it) that the system of record
// now sends under its own id: matched by INN and KPP, updated in place and left the
// manager's (its source and id stay). Phones and e-mails are added, never dropped.
// Matched by a phone or an e-mail only, it keeps its name: a site's private buyer is
// named by what the person typed, or by a stand-in (the phone, the login's tail).
Result<AppliedRecord> update_matched_client(Engine& e, const Actor& a, Client c, JsonFields& f, bool by_inn) {
  const Id id = c.id;
  if (auto name = f.text("name"); by_inn) set_if(std::move(name), c.name);
  set_if(f.text("legal_form"), c.legal_form);
  set_if(f.text("kpp"), c.kpp);
  if (auto phones = f.texts("phones")) add_missing(c.phones, *phones);
  if (auto emails = f.texts("emails")) add_missing(c.emails, *emails);
  if (auto addresses = f.objects("addresses")) {
    for (auto& item : *addresses) {
      Address address{item.text("kind").value_or(""), item.text("text").value_or("")};
      auto same_kind = std::find_if(c.addresses.begin(), c.addresses.end(),
                                    [&](const Address& x) { return x.kind == address.kind; });
      if (same_kind != c.addresses.end()) *same_kind = address;
      else c.addresses.push_back(address);
    }
  }
  set_if(f.text("price_type"), c.price_type);
  set_if(f.text("payment_terms"), c.payment_terms);
  set_if(f.text("shipping_terms"), c.shipping_terms);
  if (auto custom = f.text_map("custom"))
    for (auto& [k, v] : *custom) c.custom[k] = v;
  SC_RETURN_IF_ERROR(f.to_status("client record"));
  ClientPatch p;
  p.name = c.name;
  p.legal_form = c.legal_form;
  p.kpp = c.kpp;
  p.phones = c.phones;
  p.emails = c.emails;
  p.addresses = c.addresses;
  p.price_type = c.price_type;
  p.payment_terms = c.payment_terms;
  p.shipping_terms = c.shipping_terms;
  p.custom = c.custom;
  SC_ASSIGN_OR_RETURN(auto saved, e.clients().update(a, id, p));
  return AppliedRecord{"client", id, saved.outcome};
}

// The one client `q` finds, if exactly one: a phone or an e-mail several clients share
// does not say which of them it is. A value the query cannot read (a malformed phone)
// finds none; the client's own check names it.
Result<std::optional<Id>> only_client(Engine& e, const Actor& a, ClientQuery q) {
  q.page.limit = 2;
  auto found = e.clients().find(a, q);
  if (!found.ok() && found.status().is_invalid()) return std::optional<Id>();
  SC_RETURN_IF_ERROR(found.status());
  if (found->size() != 1) return std::optional<Id>();
  return std::optional<Id>(found->front().id);
}

// A client the company already has, for a client record new to its source: by INN (and
// KPP), else by one of its phones, else by one of its e-mails (a site's private buyer
// has no INN, and the office may know them by the phone they called from).
Result<std::optional<Id>> matching_client(Engine& e, const Actor& a, JsonFields& f, bool& by_inn) {
  by_inn = false;
  if (auto inn = f.text("inn"); inn && !inn->empty()) {
    ClientQuery q;
    q.inn = *inn;
    SC_ASSIGN_OR_RETURN(auto match, first_client(e, a, q, f.text("kpp").value_or("")));
    by_inn = match.has_value();
    if (match) return match;
  }
  for (const char* field : {"phones", "emails"}) {
    for (const std::string& value : f.texts(field).value_or(std::vector<std::string>{})) {
      if (value.empty()) continue;
      ClientQuery q;
      (field[0] == 'p' ? q.phone : q.email) = value;
      SC_ASSIGN_OR_RETURN(auto match, only_client(e, a, std::move(q)));
      if (match) return match;
    }
  }
  return std::optional<Id>();
}

Result<AppliedRecord> apply_client(Engine& e, const Actor& a, const NormalizedRecord& r, JsonFields& f) {
  Client c;
  SC_ASSIGN_OR_RETURN(auto existing, e.connectors().id_by_source("client", r.source, r.external_id));
  if (existing) {
    SC_ASSIGN_OR_RETURN(c, e.clients().get(a, *existing));
  } else {
    bool by_inn = false;
    SC_ASSIGN_OR_RETURN(auto match, matching_client(e, a, f, by_inn));
    if (match) {
      SC_ASSIGN_OR_RETURN(Client found, e.clients().get(a, *match));
      return update_matched_client(e, a, std::move(found), f, by_inn);
    }
  }
  set_if(f.text("name"), c.name);
  set_if(f.text("legal_form"), c.legal_form);
  set_if(f.text("inn"), c.inn);
  set_if(f.text("kpp"), c.kpp);
  set_if(f.texts("phones"), c.phones);
  set_if(f.texts("emails"), c.emails);
  if (auto addresses = f.objects("addresses")) {
    c.addresses.clear();
    for (auto& item : *addresses) c.addresses.push_back({item.text("kind").value_or(""), item.text("text").value_or("")});
  }
  set_if(f.text("price_type"), c.price_type);
  set_if(f.text("payment_terms"), c.payment_terms);
  set_if(f.text("shipping_terms"), c.shipping_terms);
  if (auto tier = f.text("tier")) {
    auto t = parse_tier(tier->empty() ? "regular" : *tier);
    if (t.ok()) c.tier = *t;
    else f.error("tier", t.status().message());
  }
  set_if(f.text("notes"), c.notes);
  set_if(f.text_map("custom"), c.custom);
  SC_ASSIGN_OR_RETURN(auto owner, resolve_user(e, a, f, "owner"));
  set_if(owner, c.owner_id);
  SC_ASSIGN_OR_RETURN(auto assistant, resolve_user(e, a, f, "assistant"));
  set_if(assistant, c.assistant_id);
  SC_RETURN_IF_ERROR(f.to_status("client record"));
  c.source = r.source;
  c.external_id = r.external_id;
  SC_ASSIGN_OR_RETURN(auto saved, e.clients().upsert(a, std::move(c)));
  return AppliedRecord{"client", saved.record.id, saved.outcome};
}

// "prices": {type: "12.50" | {amount, currency}}; null clears the list.
std::optional<std::map<std::string, Money>> prices_field(const Engine& e, JsonFields& f) {
  if (auto prices = f.object("prices")) {
    std::map<std::string, Money> out;
    for (const auto& type : prices->names()) {
      Money m{0, e.config().currency};
      if (prices->is_object(type)) {
        JsonFields price = *prices->object(type);
        set_if(price.amount("amount"), m.minor);
        set_if(price.text("currency"), m.currency);
      } else {
        set_if(prices->amount(type), m.minor);
      }
      out[type] = m;
    }
    return out;
  }
  if (f.has("prices")) return std::map<std::string, Money>{};  // null clears; other types were reported
  return std::nullopt;
}

// The fields of a product record; problems are collected in `f`.
ProductPatch product_patch_of(const Engine& e, JsonFields& f) {
  ProductPatch patch;
  patch.name = f.text("name");
  patch.unit = f.text("unit");
  patch.prices = prices_field(e, f);
  patch.stock = f.quantity("stock");
  patch.active = f.boolean("active");
  patch.group = f.text("group");
  patch.properties = f.text_map("properties");
  return patch;
}

Result<AppliedRecord> apply_product(Engine& e, const Actor& a, const NormalizedRecord& r, JsonFields& f) {
  // A product the connector sent before is found by its (source, external_id) and
  // patched with the fields given: an offer (price, stock) carries no SKU, and one load
  // inside update() is all it costs. Its SKU stays what it was.
  ProductPatch patch = product_patch_of(e, f);
  std::string sku = f.text("sku").value_or("");
  SC_RETURN_IF_ERROR(f.to_status("product record"));
  SC_ASSIGN_OR_RETURN(auto known, e.connectors().id_by_source("product", r.source, r.external_id));
  if (known) {
    SC_ASSIGN_OR_RETURN(auto saved, e.products().update(a, *known, patch));
    return AppliedRecord{"product", saved.record.id, saved.outcome};
  }
  // New to this source: keyed by SKU, so a product entered by hand with the same SKU is
  // taken over; a system without SKUs (or a 1C base with empty articles) keys its
  // products by their own id instead.
  if (sku.empty()) sku = r.external_id;
  Product p;
  auto existing = e.products().by_sku(a, sku);
  if (existing.ok()) p = std::move(*existing);
  else if (!existing.status().is_not_found()) return existing.status();
  p.sku = sku;
  set_if(patch.name, p.name);
  set_if(patch.unit, p.unit);
  set_if(patch.prices, p.prices);
  set_if(patch.stock, p.stock);
  set_if(patch.active, p.active);
  set_if(patch.group, p.group);
  set_if(patch.properties, p.properties);
  p.source = r.source;
  p.external_id = r.external_id;
  SC_ASSIGN_OR_RETURN(auto saved, e.products().upsert(a, std::move(p)));
  return AppliedRecord{"product", saved.record.id, saved.outcome};
}

// Merges "custom": keys given replace salescore's, an empty value removes one, others stay
// (1C reports its own attributes and must not wipe a shop's).
void merge_custom(JsonFields& f, std::map<std::string, std::string>& custom) {
  auto given = f.text_map("custom");
  if (!given) return;
  for (auto& [key, value] : *given) {
    if (value.empty()) custom.erase(key);
    else custom[key] = std::move(value);
  }
}

Result<OrderStatus> order_status_field(JsonFields& f, OrderStatus current) {
  auto status = f.text("status");
  if (!status) return current;
  auto s = parse_order_status(status->empty() ? "new" : *status);
  if (s.ok()) return *s;
  f.error("status", s.status().message());
  return current;
}


// "unknown_sku": what an order line whose SKU names no product becomes. "keep" (the
// default): a line without a product, as typed. "refuse": the record is refused naming
// the SKU (a dead letter, replayed once the catalog has it): a shop's order is never
// applied with a line nobody can ship. "stub": a product of the record's source is made
// for it (active, named as the line), for shops whose catalog salescore does not hold.
// True for "refuse": that is checked on the order as saved (refuse_unknown_skus), whose
// lines the order's own validation has looked up by SKU already; looking each line up
// here too was 15 % of a shop order's SQL statements (bench/RESULTS.md, webshop). The
// refusal rolls the order back with the record, so nothing of it is applied.
Result<bool> check_line_products(Engine& e, const Actor& a, const NormalizedRecord& r, JsonFields& f,
                                 const std::vector<OrderLine>& lines) {
  const std::string mode = f.text("unknown_sku").value_or("keep");
  if (mode != "keep" && mode != "refuse" && mode != "stub") {
    f.error("unknown_sku", "one of keep, refuse, stub; not '" + mode + "'");
    return false;
  }
  if (mode == "refuse") return true;
  if (mode == "keep") return false;
  KnownSkus* batch = KnownSkus::current();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const OrderLine& l = lines[i];
    if (l.sku.empty()) continue;  // the order's own check names it
    if (batch && batch->has(l.sku)) continue;
    auto known = e.products().by_sku(a, l.sku);
    if (known.ok()) {
      if (batch) batch->add(l.sku);
      continue;
    }
    if (!known.status().is_not_found()) return known.status();
    Product stub;
    stub.sku = l.sku;
    stub.name = l.name.empty() ? l.sku : l.name;
    stub.source = r.source;
    stub.external_id = "sku:" + l.sku;
    SC_RETURN_IF_ERROR(e.products().upsert(a, std::move(stub)).status());
    if (batch) batch->add(l.sku);
  }
  return false;
}

// "unknown_sku": "refuse" on the saved order: a line whose SKU found no product.
Status refuse_unknown_skus(const std::vector<OrderLine>& lines) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const OrderLine& l = lines[i];
    if (l.sku.empty() || l.product_id != 0) continue;
    const std::string field = "lines[" + std::to_string(i) + "].sku";
    return Status(Code::kNotFound, field + ": no product with SKU '" + l.sku + "' (has the catalog been imported yet?)",
                  {{field, "no product with SKU '" + l.sku + "'"}});
  }
  return Status::ok();
}

// One of salescore's orders coming back from the system a connector sent it to, under
// the id it was sent as, with what that system did to it (1C posts it, ships it, takes
// the payment). It stays salescore's order: only the status and the other system's
// attributes change, never its source, lines or number.
Result<AppliedRecord> apply_sent_order(Engine& e, const Actor& a, Id id, JsonFields& f) {
  auto found = e.orders().get(a, id);
  if (!found.ok() && found.status().is_not_found())
    return Status(Code::kNotFound, "no order " + std::to_string(id) + " (it was sent, then deleted?)",
                  {{"external_id", "names order " + std::to_string(id) + ", which is gone"}});
  SC_RETURN_IF_ERROR(found.status());
  OrderPatch patch;
  SC_ASSIGN_OR_RETURN(OrderStatus status, order_status_field(f, found->status));
  patch.status = status;
  std::map<std::string, std::string> custom = found->custom;
  merge_custom(f, custom);
  patch.custom = std::move(custom);
  SC_RETURN_IF_ERROR(f.to_status("order record"));
  SC_ASSIGN_OR_RETURN(auto saved, e.orders().update(a, id, patch));
  return AppliedRecord{"order", saved.record.id, saved.outcome};
}

// A connector's order record may change only an order of its own source (its external
// id, recorded when it first came) or one salescore sent to that connector under that
// very id (ConnectorService::note_sent); anything else is a new order of its source. A
// number that merely equals one of ours (1C's document "92" and salescore's order 92)
// is neither, so it can never rewrite an order it does not name. The connector is the
// records' source: its integration user may write no other.
Result<AppliedRecord> apply_order(Engine& e, const Actor& a, const NormalizedRecord& r, JsonFields& f) {
  if (f.has("id"))
    f.error("id", "an order record names its order by external_id: one of its source, or the id salescore sent it as");
  SC_RETURN_IF_ERROR(f.to_status("order record"));
  SC_ASSIGN_OR_RETURN(auto existing, e.connectors().id_by_source("order", r.source, r.external_id));
  SC_ASSIGN_OR_RETURN(auto sent, e.connectors().id_sent(r.source, "order", r.external_id));
  if (existing && sent && *existing != *sent)
    return Status(Code::kFailedPrecondition,
                  "external id '" + r.external_id + "' is both " + r.source + "'s order " + std::to_string(*existing) +
                      " and the id salescore sent its order " + std::to_string(*sent) + " as: which one is meant?",
                  {{"external_id", "ambiguous"}});
  if (sent && !existing) return apply_sent_order(e, a, *sent, f);
  if (!existing && !f.has("client") && !f.has("lines"))
    return Status(Code::kNotFound,
                  "external id '" + r.external_id + "' names no order: not one of " + r.source +
                      "'s, not one salescore sent to " + r.source + " under that id, and with no client and no "
                      "lines it cannot be a new one",
                  {{"external_id", "names no order"}});
  Order o;
  if (existing) {
    SC_ASSIGN_OR_RETURN(o, e.orders().get(a, *existing));
  }
  // A record older than one applied before (a shop's retry of an old delivery) is
  // skipped whole: it must not bring back a state the order has left. The newest version
  // applied is kept by the host (ConnectorIngestService::record_version), not with the order,
  // whose custom fields anyone who may edit it could change.
  const std::optional<std::int64_t> version = f.integer("version");
  if (version && existing) {
    SC_ASSIGN_OR_RETURN(auto newest, ConnectorIngestService(e).record_version(r.source, "order", r.external_id));
    if (newest && *newest > *version) return AppliedRecord{"order", o.id, WriteOutcome::kUnchanged};
  }
  set_if(f.text("number"), o.number);
  SC_ASSIGN_OR_RETURN(o.status, order_status_field(f, o.status));
  merge_custom(f, o.custom);
  set_if(f.text("currency"), o.currency);
  set_if(f.instant("ordered_at"), o.ordered_at);
  SC_ASSIGN_OR_RETURN(auto client, resolve_client(e, a, f, "client", r.source));
  set_if(client, o.client_id);
  bool refuse_unknown = false;
  if (auto lines = f.objects("lines")) {
    o.lines.clear();
    for (auto& item : *lines) {
      OrderLine l;
      set_if(item.text("sku"), l.sku);
      set_if(item.text("name"), l.name);
      set_if(item.quantity("quantity"), l.quantity);
      set_if(item.amount("price"), l.price_minor);
      set_if(item.amount("discount"), l.discount_minor);
      o.lines.push_back(std::move(l));
    }
    SC_ASSIGN_OR_RETURN(refuse_unknown, check_line_products(e, a, r, f, o.lines));
  }
  SC_ASSIGN_OR_RETURN(auto owner, resolve_user(e, a, f, "owner"));
  set_if(owner, o.owner_id);
  const std::string payment_reference = f.text("payment_reference").value_or("");
  const std::optional<std::int64_t> refunded = f.amount("refunded");
  const std::optional<Instant> refunded_at = f.instant("refunded_at");
  SC_RETURN_IF_ERROR(f.to_status("order record"));
  o.source = r.source;
  o.external_id = r.external_id;
  // One transaction (joining the caller's batch, if any): an order refused after it was
  // saved (an unknown SKU) leaves nothing behind, its version and payment flags included.
  AppliedRecord applied{"order", 0, WriteOutcome::kUnchanged};
  SC_RETURN_IF_ERROR(e.batch([&]() -> Status {
    std::vector<std::string> sharing_payment;
    if (!payment_reference.empty()) {
      SC_ASSIGN_OR_RETURN(sharing_payment, note_order_payment(e, r.source, r.external_id, payment_reference, o));
    }
    SC_ASSIGN_OR_RETURN(auto saved, e.orders().upsert(a, std::move(o)));
    if (refuse_unknown) SC_RETURN_IF_ERROR(refuse_unknown_skus(saved.record.lines));
    if (refunded)
      SC_RETURN_IF_ERROR(record_shop_refunds(e, a, r.source, saved.record.id, *refunded, refunded_at));
    if (version)
      SC_RETURN_IF_ERROR(ConnectorIngestService(e).raise_record_version(r.source, "order", r.external_id, *version));
    SC_RETURN_IF_ERROR(flag_orders_sharing_payment(e, a, r.source, sharing_payment, r.external_id));
    applied = AppliedRecord{"order", saved.record.id, saved.outcome};
    return Status::ok();
  }));
  return applied;
}

// The fields of an interaction record over what salescore has for it.
Result<Interaction> interaction_of(Engine& e, const Actor& a, const NormalizedRecord& r, JsonFields& f) {
  Interaction i;
  SC_ASSIGN_OR_RETURN(auto existing, e.connectors().id_by_source("interaction", r.source, r.external_id));
  if (existing) {
    SC_ASSIGN_OR_RETURN(i, e.interactions().get(a, *existing));
  }
  if (auto kind = f.text("kind")) {
    auto k = parse_interaction_kind(*kind);
    if (k.ok()) i.kind = *k;
    else f.error("kind", k.status().message());
  }
  if (auto direction = f.text("direction")) {
    auto d = parse_direction(direction->empty() ? "none" : *direction);
    if (d.ok()) i.direction = *d;
    else f.error("direction", d.status().message());
  }
  set_if(f.instant("occurred_at"), i.occurred_at);
  set_if(f.integer("duration_s"), i.duration_s);
  set_if(f.text("subject"), i.subject);
  set_if(f.text("body"), i.body);
  // What a PBX says of a call (model.h CallFacts; core checks they belong to a call).
  set_if(f.text("caller"), i.call.caller);
  set_if(f.text("callee"), i.call.callee);
  set_if(f.text("manager"), i.call.manager);
  set_if(f.integer("ring_s"), i.call.ring_s);
  set_if(f.text("disposition"), i.call.disposition);
  set_if(f.text("hangup_cause"), i.call.hangup_cause);
  set_if(f.text("recording"), i.call.recording);
  set_if(f.text("pbx_call_id"), i.call.pbx_call_id);
  set_if(f.text("rang_not_answered"), i.call.rang_not_answered);
  SC_ASSIGN_OR_RETURN(auto client, resolve_client(e, a, f, "client", r.source, true));
  set_if(client, i.client_id);
  SC_ASSIGN_OR_RETURN(auto user, resolve_user(e, a, f, "user"));
  set_if(user, i.user_id);
  i.source = r.source;
  i.external_id = r.external_id;
  return i;
}

Result<AppliedRecord> apply_interaction(Engine& e, const Actor& a, const NormalizedRecord& r, JsonFields& f) {
  SC_ASSIGN_OR_RETURN(Interaction i, interaction_of(e, a, r, f));
  if (is_email_record(f)) {
    SC_ASSIGN_OR_RETURN(auto saved, apply_email(e, a, std::move(i), f));
    return AppliedRecord{"interaction", saved.record.id, saved.outcome};
  }
  SC_RETURN_IF_ERROR(f.to_status("interaction record"));
  SC_ASSIGN_OR_RETURN(auto saved, e.interactions().upsert(a, std::move(i)));
  return AppliedRecord{"interaction", saved.record.id, saved.outcome};
}

// A call from a PBX: an interaction of kind "call" plus `phone`, the other party's number
// as the PBX gave it, which core matches to a client and follows up if the call was missed
// (salescore/calls.h).
Result<AppliedRecord> apply_call(Engine& e, const Actor& a, const NormalizedRecord& r, JsonFields& f) {
  SC_ASSIGN_OR_RETURN(Interaction i, interaction_of(e, a, r, f));
  if (f.has("kind") && i.kind != InteractionKind::kCall) f.error("kind", "a call record is a call");
  // A record that adds to a call (a recording downloaded later) needs the call; one that
  // makes it says when it happened.
  if (i.id == 0 && !f.has("occurred_at"))
    f.error("occurred_at", "required: salescore has no call " + r.external_id + " yet to add to");
  const std::string phone = f.text("phone").value_or("");
  SC_RETURN_IF_ERROR(f.to_status("call record"));
  SC_ASSIGN_OR_RETURN(auto saved, record_call(e, a, std::move(i), phone));
  return AppliedRecord{"interaction", saved.record.id, saved.outcome};
}

// "The product records of this source in the same batch are its whole catalog": what a
// full 1C catalog file (no СодержитТолькоИзменения) means for the products it leaves out.
Result<AppliedRecord> apply_catalog(Engine& e, const Actor& a, const NormalizedRecord& r, JsonFields& f) {
  auto present = f.texts("present");
  if (!present) f.error("present", "required: the external ids of every product in the catalog");
  SC_RETURN_IF_ERROR(f.to_status("product_catalog record"));
  const std::string variant_separator = f.text("variant_separator").value_or("");
  SC_ASSIGN_OR_RETURN(auto deactivated, e.products().deactivate_absent(a, r.source, *present, variant_separator));
  return AppliedRecord{"product_catalog", 0, deactivated ? WriteOutcome::kUpdated : WriteOutcome::kUnchanged};
}

}  // namespace

std::string content_key(std::initializer_list<std::string_view> parts) {
  Sha256 sha;
  for (std::string_view part : parts) {
    sha.update(part);
    sha.update(std::string_view("\0", 1));
  }
  return "sha256:" + sha.hex();
}

std::string idempotency_key_of(const NormalizedRecord& r) {
  if (!r.idempotency_key.empty()) return r.idempotency_key;
  return "content:" + content_key({r.entity, r.source, r.external_id, r.json});
}

bool is_content_key(std::string_view key) { return key.starts_with("content:"); }

namespace {
Status check_record_key(const NormalizedRecord& r) {
  std::map<std::string, std::string> missing;
  if (r.entity.empty()) missing["entity"] = "required";
  if (r.source.empty()) missing["source"] = "required";
  if (r.external_id.empty()) missing["external_id"] = "required";
  if (!missing.empty()) return Status::invalid("a record needs an entity, a source and an external_id", missing);
  return Status::ok();
}
}  // namespace

Result<CatalogItem> catalog_item_of(const Engine& engine, const NormalizedRecord& r) {
  SC_RETURN_IF_ERROR(check_record_key(r));
  SC_ASSIGN_OR_RETURN(JsonFields fields, JsonFields::parse(r.json));
  CatalogItem entry;
  entry.source = r.source;
  entry.external_id = r.external_id;
  entry.patch = product_patch_of(engine, fields);
  entry.sku = fields.text("sku").value_or("");
  SC_RETURN_IF_ERROR(fields.to_status("product record"));
  return entry;
}

Result<AppliedRecord> apply_record(Engine& engine, const Actor& actor, const NormalizedRecord& r) {
  return apply_record(engine, actor, r, JsonFields::parse(r.json));  // the key is checked there first
}

Result<AppliedRecord> apply_record(Engine& engine, const Actor& actor, const NormalizedRecord& r,
                                   Result<JsonFields> parsed) {
  SC_RETURN_IF_ERROR(check_record_key(r));
  SC_ASSIGN_OR_RETURN(JsonFields fields, std::move(parsed));
  // A connector that could not read what its peer sent (a letter that is no message)
  // hands it over with the reason, so that it becomes a dead letter saying why.
  if (auto error = fields.text("error")) return Status::invalid(r.entity + " record unreadable: " + *error, {{"error", *error}});
  if (r.entity == "client") return apply_client(engine, actor, r, fields);
  if (r.entity == "product") return apply_product(engine, actor, r, fields);
  if (r.entity == "order") return apply_order(engine, actor, r, fields);
  if (r.entity == "interaction") return apply_interaction(engine, actor, r, fields);
  if (r.entity == "call") return apply_call(engine, actor, r, fields);
  if (r.entity == "product_catalog") return apply_catalog(engine, actor, r, fields);
  return Status::invalid("records of entity '" + r.entity +
                             "' cannot be applied (client, product, order, interaction, call, product_catalog)",
                         {{"entity", "unknown: " + r.entity}});
}

}  // namespace salescore::plugins
