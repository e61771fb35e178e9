#include "salescore/record_fields.h"

#include "model/json_text.h"

namespace salescore {

std::string json_of(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, items[i]);
  }
  return out + "]";
}

namespace {
// {"key":value,...} in the map's order, each value written by `write_value`.
template <class Map, class WriteValue>
void append_json_object(std::string& out, const Map& m, WriteValue&& write_value) {
  out += '{';
  bool first = true;
  for (const auto& [key, value] : m) {
    if (!first) out += ',';
    first = false;
    append_json_string(out, key);
    out += ':';
    write_value(value);
  }
  out += '}';
}
}  // namespace

std::string json_of(const std::map<std::string, std::string>& m) {
  std::string out;
  append_json_object(out, m, [&](const std::string& v) { append_json_string(out, v); });
  return out;
}

std::string json_of(const std::vector<Address>& addresses) {
  std::string out = "[";
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    if (i) out += ',';
    out += "{\"kind\":" + json_string(addresses[i].kind) + ",\"text\":" + json_string(addresses[i].text) + "}";
  }
  return out + "]";
}

namespace {

void source_fields(FieldList& f, const std::string& source, const std::string& external_id) {
  source.empty() ? f.null("source") : f.string("source", source);
  external_id.empty() ? f.null("external_id") : f.string("external_id", external_id);
}

}  // namespace

std::string field_json_value(const Field& f) {
  switch (f.kind) {
    case Field::Kind::kNull: return "null";
    case Field::Kind::kString: return json_string(f.text);
    default: return f.text;
  }
}

std::string FieldList::to_json() const {
  // Sized up front: the event payload of every write is built here.
  std::size_t size = 2;
  for (const Field& f : fields_) size += f.name.size() + f.text.size() + 8;
  std::string out;
  out.reserve(size);
  out += '{';
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, fields_[i].name);
    out += ':';
    const Field& f = fields_[i];
    if (f.kind == Field::Kind::kString)
      append_json_string(out, f.text);
    else
      out += f.kind == Field::Kind::kNull ? "null" : f.text;
  }
  out += '}';
  return out;
}

bool is_bookkeeping_field(std::string_view name) {
  // A client's segment is the segmentation rule's, read beside the client: an upsert of
  // the client does not change it.
  return name == "id" || name == "created_at" || name == "updated_at" || name == "stage_changed_at" ||
         name == "segment";
}

std::string changed_fields_json(const FieldList& before, const FieldList& after) {
  std::string out;
  const auto& a = before.fields();
  const auto& b = after.fields();
  // Both lists come from the same fields_of(), so fields line up by position.
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (is_bookkeeping_field(a[i].name) || a[i] == b[i]) continue;
    out += out.empty() ? "{" : ",";
    append_json_string(out, a[i].name);
    out += ":[" + field_json_value(a[i]) + "," + field_json_value(b[i]) + "]";
  }
  return out.empty() ? out : out + "}";
}

FieldList fields_of(const User& u) {
  FieldList f;
  f.number("id", u.id);
  f.string("login", u.login);
  f.string("name", u.name);
  f.string("role", role_name(u.role));
  f.id("manager_id", u.manager_id);
  f.id("head_id", u.head_id);
  f.boolean("active", u.active);
  f.instant("created_at", u.created_at);
  return f;
}

FieldList fields_of(const Client& c) {
  FieldList f;
  f.number("id", c.id);
  f.string("name", c.name);
  f.string("legal_form", c.legal_form);
  f.string("inn", c.inn);
  f.string("kpp", c.kpp);
  f.json("addresses", json_of(c.addresses));
  f.json("phones", json_of(c.phones));
  f.json("emails", json_of(c.emails));
  f.string("price_type", c.price_type);
  f.string("payment_terms", c.payment_terms);
  f.string("shipping_terms", c.shipping_terms);
  f.string("tier", tier_name(c.tier));
  f.id("owner_id", c.owner_id);
  f.id("assistant_id", c.assistant_id);
  f.string("notes", c.notes);
  f.json("custom", json_of(c.custom));
  source_fields(f, c.source, c.external_id);
  f.instant("created_at", c.created_at);
  f.instant("updated_at", c.updated_at);
  if (c.segment.empty()) f.null("segment");
  else f.string("segment", c.segment);
  return f;
}

FieldList fields_of(const Contact& c) {
  FieldList f;
  f.number("id", c.id);
  f.number("client_id", c.client_id);
  f.string("name", c.name);
  f.string("role", c.role);
  f.json("phones", json_of(c.phones));
  f.json("emails", json_of(c.emails));
  f.string("notes", c.notes);
  f.instant("created_at", c.created_at);
  f.instant("updated_at", c.updated_at);
  return f;
}

FieldList fields_of(const Product& p) {
  FieldList f;
  f.number("id", p.id);
  f.string("sku", p.sku);
  f.string("name", p.name);
  f.string("unit", p.unit);
  std::string prices = "{";
  bool first = true;
  for (const auto& [type, money] : p.prices) {
    if (!first) prices += ',';
    first = false;
    prices += json_string(type) + ":{\"amount\":\"" + format_amount(money.minor) +
              "\",\"currency\":" + json_string(money.currency) + "}";
  }
  f.json("prices", prices + "}");
  f.string("stock", format_quantity(p.stock));
  f.boolean("active", p.active);
  f.string("group", p.group);
  f.json("properties", json_of(p.properties));
  source_fields(f, p.source, p.external_id);
  f.instant("created_at", p.created_at);
  f.instant("updated_at", p.updated_at);
  return f;
}

namespace {

void append_prices_json(std::string& out, const std::map<std::string, Money>& prices) {
  append_json_object(out, prices, [&](const Money& money) {
    out += "{\"amount\":\"";
    out += format_amount(money.minor);
    out += "\",\"currency\":";
    append_json_string(out, money.currency);
    out += '}';
  });
}

std::string prices_json(const std::map<std::string, Money>& prices) {
  std::string out;
  append_prices_json(out, prices);
  return out;
}

// A source key member as source_fields() writes it: empty is null.
void append_nullable_string(std::string& out, const std::string& s) {
  if (s.empty()) out += "null";
  else append_json_string(out, s);
}

}  // namespace

std::string product_json(const Product& p) {
  std::string out;
  out.reserve(256 + p.name.size() + p.group.size());
  out += "{\"id\":";
  out += std::to_string(p.id);
  out += ",\"sku\":";
  append_json_string(out, p.sku);
  out += ",\"name\":";
  append_json_string(out, p.name);
  out += ",\"unit\":";
  append_json_string(out, p.unit);
  out += ",\"prices\":";
  append_prices_json(out, p.prices);
  out += ",\"stock\":";
  append_json_string(out, format_quantity(p.stock));
  out += p.active ? ",\"active\":true" : ",\"active\":false";
  out += ",\"group\":";
  append_json_string(out, p.group);
  out += ",\"properties\":";
  append_json_object(out, p.properties, [&](const std::string& v) { append_json_string(out, v); });
  out += ",\"source\":";
  append_nullable_string(out, p.source);
  out += ",\"external_id\":";
  append_nullable_string(out, p.external_id);
  out += ",\"created_at\":";
  append_json_string(out, format_iso8601(p.created_at));
  out += ",\"updated_at\":";
  append_json_string(out, format_iso8601(p.updated_at));
  out += '}';
  return out;
}

std::string product_changes_json(const Product& a, const Product& b) {
  std::string out;
  auto open = [&](const char* name) {
    out += out.empty() ? "{\"" : ",\"";
    out += name;
    out += "\":[";
  };
  // "name":[old,new] when the two differ, each written by `write`. Field lists compare
  // strings by their text, JSON members (prices, properties) by the JSON written: two
  // texts that differ only in invalid UTF-8 write the same JSON.
  auto pair = [&](const char* name, const std::string& x, const std::string& y, auto write) {
    if (x == y) return;
    open(name);
    write(x);
    out += ',';
    write(y);
    out += ']';
  };
  auto text = [&](const char* name, const std::string& x, const std::string& y) {
    pair(name, x, y, [&](const std::string& v) { append_json_string(out, v); });
  };
  auto json = [&](const char* name, const std::string& x, const std::string& y) {
    pair(name, x, y, [&](const std::string& v) { out += v; });
  };
  auto key = [&](const char* name, const std::string& x, const std::string& y) {
    pair(name, x, y, [&](const std::string& v) { append_nullable_string(out, v); });
  };
  text("sku", a.sku, b.sku);
  text("name", a.name, b.name);
  text("unit", a.unit, b.unit);
  if (a.prices != b.prices) json("prices", prices_json(a.prices), prices_json(b.prices));
  if (a.stock.milli != b.stock.milli) text("stock", format_quantity(a.stock), format_quantity(b.stock));
  if (a.active != b.active) json("active", a.active ? "true" : "false", b.active ? "true" : "false");
  text("group", a.group, b.group);
  if (a.properties != b.properties) json("properties", json_of(a.properties), json_of(b.properties));
  key("source", a.source, b.source);
  key("external_id", a.external_id, b.external_id);
  return out.empty() ? out : out + "}";
}

FieldList fields_of(const Deal& d) {
  FieldList f;
  f.number("id", d.id);
  f.number("client_id", d.client_id);
  f.string("title", d.title);
  f.string("stage", d.stage);
  f.amount("expected_amount", d.expected_amount.minor);
  f.string("currency", d.expected_amount.currency);
  f.instant("expected_close", d.expected_close);
  f.id("owner_id", d.owner_id);
  f.string("lost_reason", d.lost_reason);
  f.json("documents", json_of(d.documents));
  f.json("custom", json_of(d.custom));
  source_fields(f, d.source, d.external_id);
  f.instant("stage_changed_at", d.stage_changed_at);
  f.instant("created_at", d.created_at);
  f.instant("updated_at", d.updated_at);
  return f;
}

FieldList fields_of(const Order& o) {
  FieldList f;
  f.number("id", o.id);
  f.string("number", o.number);
  f.number("client_id", o.client_id);
  f.id("deal_id", o.deal_id);
  f.id("owner_id", o.owner_id);
  f.string("status", order_status_name(o.status));
  f.string("currency", o.currency);
  // Appended piece by piece into one buffer: this runs for every order the ingest path
  // writes (the "order.created" payload), and the temporaries of `a + b + c` showed up
  // in its profile (bench/run ingest).
  std::string lines;
  lines.reserve(16 + 128 * o.lines.size());
  lines += '[';
  for (std::size_t i = 0; i < o.lines.size(); ++i) {
    const OrderLine& l = o.lines[i];
    if (i) lines += ',';
    lines += "{\"sku\":";
    append_json_string(lines, l.sku);
    if (l.product_id) {
      lines += ",\"product_id\":";
      lines += std::to_string(l.product_id);
    }
    if (!l.name.empty()) {
      lines += ",\"name\":";
      append_json_string(lines, l.name);
    }
    lines += ",\"quantity\":\"";
    lines += format_quantity(l.quantity);
    lines += "\",\"price\":\"";
    lines += format_amount(l.price_minor);
    lines += "\",\"discount\":\"";
    lines += format_amount(l.discount_minor);
    lines += "\",\"amount\":\"";
    lines += format_amount(l.amount_minor);
    lines += "\"}";
  }
  lines += ']';
  f.json("lines", std::move(lines));
  f.amount("total", o.total_minor);
  f.instant("ordered_at", o.ordered_at);
  f.json("custom", json_of(o.custom));
  source_fields(f, o.source, o.external_id);
  f.instant("created_at", o.created_at);
  f.instant("updated_at", o.updated_at);
  return f;
}

FieldList fields_of(const Interaction& i) {
  FieldList f;
  f.number("id", i.id);
  f.string("kind", interaction_kind_name(i.kind));
  f.string("direction", direction_name(i.direction));
  f.instant("occurred_at", i.occurred_at);
  f.number("duration_s", i.duration_s);
  f.id("user_id", i.user_id);
  f.id("client_id", i.client_id);
  f.id("contact_id", i.contact_id);
  f.string("subject", i.subject);
  f.string("body", i.body);
  source_fields(f, i.source, i.external_id);
  f.instant("created_at", i.created_at);
  if (i.kind == InteractionKind::kCall) {  // what the PBX said of it (model.h CallFacts)
    f.string("caller", i.call.caller);
    f.string("callee", i.call.callee);
    f.string("manager", i.call.manager);
    f.number("ring_s", i.call.ring_s);
    f.string("disposition", i.call.disposition);
    f.string("hangup_cause", i.call.hangup_cause);
    f.string("recording", i.call.recording);
    f.string("pbx_call_id", i.call.pbx_call_id);
    f.string("rang_not_answered", i.call.rang_not_answered);
  }
  return f;
}

FieldList fields_of(const Task& t) {
  FieldList f;
  f.number("id", t.id);
  f.string("title", t.title);
  f.instant("due_at", t.due_at);
  f.id("assignee_id", t.assignee_id);
  f.id("client_id", t.client_id);
  f.id("deal_id", t.deal_id);
  f.id("order_id", t.order_id);
  f.id("lead_id", t.lead_id);
  f.string("status", task_status_name(t.status));
  f.string("notes", t.notes);
  f.instant("created_at", t.created_at);
  f.instant("updated_at", t.updated_at);
  f.instant("done_at", t.done_at);
  return f;
}

FieldList fields_of(const DeadLetter& d) {
  FieldList f;
  f.number("id", d.id);
  f.string("connector", d.connector);
  f.string("direction", dead_letter_direction_name(d.direction));
  f.string("kind", d.kind);
  d.source.empty() ? f.null("source") : f.string("source", d.source);
  d.external_id.empty() ? f.null("external_id") : f.string("external_id", d.external_id);
  f.string("idempotency_key", d.idempotency_key);
  f.string("payload", d.payload);  // as it came: a refused record may not even be JSON
  f.string("code", code_name(d.code));
  f.string("reason", d.reason);
  f.number("attempts", d.attempts);
  f.instant("failed_at", d.failed_at);
  f.instant("replayed_at", d.replayed_at);
  f.string("event_type", d.event_type);
  std::string replays = "[";
  for (const ReplayAttempt& a : d.replays) {
    FieldList r;
    r.instant("at", a.at);
    r.string("outcome", a.outcome);
    r.string("code", code_name(a.code));
    r.string("reason", a.reason);
    replays += (replays.size() > 1 ? "," : "") + r.to_json();
  }
  f.json("replays", replays + "]");
  return f;
}

FieldList fields_of(const Event& e) {
  FieldList f;
  f.number("seq", e.seq);
  f.instant("at", e.at);
  f.id("actor_id", e.actor_id);
  f.string("type", e.type);
  f.string("entity", e.entity);
  f.number("entity_id", e.entity_id);
  f.json("payload", e.payload.empty() ? "{}" : e.payload);
  return f;
}

FieldList fields_of(const Absence& a) {
  FieldList f;
  f.number("id", a.id);
  f.number("user_id", a.user_id);
  f.number("deputy_id", a.deputy_id);
  f.instant("starts_at", a.starts_at);
  f.instant("ends_at", a.ends_at);
  f.string("reason", absence_reason_name(a.reason));
  f.string("note", a.note);
  f.boolean("cancelled", a.cancelled);
  f.instant("created_at", a.created_at);
  return f;
}

FieldList fields_of(const Lead& l) {
  FieldList f;
  f.number("id", l.id);
  f.string("channel", lead_channel_name(l.channel));
  f.string("contact_name", l.contact_name);
  f.string("company", l.company);
  f.string("phone", l.phone);
  f.string("email", l.email);
  f.string("inn", l.inn);
  f.string("request", l.request);
  f.boolean("concrete", l.concrete);
  f.id("client_id", l.client_id);
  f.id("assignee_id", l.assignee_id);
  f.string("status", lead_status_name(l.status));
  f.instant("received_at", l.received_at);
  f.instant("sla_due_at", l.sla_due_at);
  f.instant("first_action_at", l.first_action_at);
  f.number("reassignments", l.reassignments);
  f.boolean("escalated", l.escalated);
  f.id("deal_id", l.deal_id);
  f.string("lost_reason", l.lost_reason);
  l.source.empty() ? f.null("source") : f.string("source", l.source);
  l.external_id.empty() ? f.null("external_id") : f.string("external_id", l.external_id);
  f.instant("created_at", l.created_at);
  f.instant("updated_at", l.updated_at);
  return f;
}

}  // namespace salescore
