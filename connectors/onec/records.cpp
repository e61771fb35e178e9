#include "records.h"

#include <map>

#include "json_out.h"

namespace salescore::onec {
namespace {

std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

bool is_true(const std::string& v) { return v == "true" || v == "1" || v == "Истина" || v == "истина" || v == "Да"; }

// 1C's order requisites salescore keeps, under their custom keys.
const std::map<std::string, std::string>& kept_requisites() {
  static const std::map<std::string, std::string> kKeys = {
      {"Номер по 1С", "1c.number"},         {"Дата по 1С", "1c.date"},
      {"Проведен", "1c.posted"},            {"ПометкаУдаления", "1c.deleted"},
      {"Дата оплаты по 1С", "1c.paid_at"},  {"Номер оплаты по 1С", "1c.payment_number"},
      {"Дата отгрузки по 1С", "1c.shipped_at"}, {"Номер отгрузки по 1С", "1c.shipment_number"},
      {"Статус заказа", "1c.status"},       {"Отменен", "1c.cancelled"},
      {"Финальный статус", "1c.final"},     {"Способ оплаты", "1c.payment_method"},
      {"Метод оплаты", "1c.payment_method"}, {"Способ доставки", "1c.delivery_method"},
      // УТ 11's payment and shipment flags (the public off-doc-1c_orders.xml sends them).
      {"Заказ оплачен", "1c.paid"},         {"Доставка разрешена", "1c.delivery_allowed"}};
  return kKeys;
}

// The status 1C's requisites imply, strongest first; empty when they say nothing.
std::string status_of(const std::map<std::string, std::string>& r) {
  auto has = [&](const char* k) { auto it = r.find(k); return it != r.end() && !it->second.empty(); };
  auto yes = [&](const char* k) { auto it = r.find(k); return it != r.end() && is_true(it->second); };
  if (yes("Отменен") || yes("ПометкаУдаления")) return "cancelled";
  if (yes("Финальный статус")) return "completed";
  if (has("Дата отгрузки по 1С")) return "shipped";
  if (yes("Проведен")) return "confirmed";
  return "";
}

}  // namespace

std::string currency_code(const std::string& text) {
  std::string t = lower_ascii(text);
  if (t.empty() || t == "руб" || t == "руб." || t == "rur" || t == "643" || t == "rub") return "RUB";
  if (t == "usd" || t == "840" || t == "$") return "USD";
  if (t == "eur" || t == "978") return "EUR";
  if (t == "cny" || t == "156") return "CNY";
  if (t == "bgn" || t == "975") return "BGN";
  if (t == "kzt" || t == "398") return "KZT";
  if (t == "byn" || t == "933") return "BYN";
  return text;
}

ProductFields product_fields(const Product& p, const Classifier& classifier) {
  ProductFields f;
  f.external_id = p.id;
  f.name = p.name;
  if (!p.sku.empty()) f.sku = p.sku;
  if (!p.unit.empty()) f.unit = p.unit;
  if (!p.group_ids.empty()) {
    auto it = classifier.group_paths.find(p.group_ids.front());
    f.group = it != classifier.group_paths.end() ? it->second : p.group_ids.front();
  }
  auto& props = f.properties.emplace();
  for (const auto& [id, value] : p.properties) {
    auto name = classifier.property_names.find(id);
    auto variant = classifier.property_values.find(value);
    props.emplace_back(name != classifier.property_names.end() ? name->second : id,
                       variant != classifier.property_values.end() ? variant->second : value);
  }
  for (const auto& requisite : p.requisites) props.push_back(requisite);
  if (!p.image.empty()) props.emplace_back("image", p.image);
  f.active = !p.deleted;
  return f;
}

Record full_catalog_record(const std::vector<std::string>& present) {
  JsonObject o;
  o.texts("present", present);
  o.text("variant_separator", "#");
  return Record{"product_catalog", "catalog", o.str()};
}

ProductFields offer_fields(const Offer& offer, const Classifier& classifier) {
  ProductFields f;
  f.external_id = offer.id;
  if (!f.external_id.empty() && f.external_id.back() == '#') f.external_id.pop_back();
  const bool variant = f.external_id.find('#') != std::string::npos;
  // A characteristic is a product of its own, named after its offer. The offer's name
  // goes along either way: an offer may come before (or without) its catalog entry, and
  // 1C names both alike.
  std::string name = offer.name;
  if (variant && name.empty())
    for (const auto& [feature, value] : offer.features) name += (name.empty() ? "" : ", ") + value;
  if (!name.empty()) f.name = name;
  if (variant && !offer.sku.empty()) f.sku = offer.sku;
  if (offer.has_prices) {
    auto& prices = f.prices.emplace();
    for (const Price& p : offer.prices) {
      auto type = classifier.price_types.find(p.type_id);
      std::string type_name = type != classifier.price_types.end() && !type->second.name.empty() ? type->second.name
                                                                                                  : p.type_id;
      std::string currency = !p.currency.empty()                                            ? p.currency
                             : type != classifier.price_types.end() ? type->second.currency : "";
      prices.push_back({type_name, p.amount, currency_code(currency)});
    }
  }
  if (offer.has_stock) f.stock = offer.stock;
  return f;
}

Record product_json(const ProductFields& f) {
  JsonObject o;
  if (f.name) o.text("name", *f.name);
  if (f.sku) o.text("sku", *f.sku);
  if (f.unit) o.text("unit", *f.unit);
  if (f.group) o.text("group", *f.group);
  if (f.prices) {
    JsonObject prices;
    for (const auto& p : *f.prices)
      prices.raw(p.type, JsonObject().text("amount", p.amount).text("currency", p.currency).str());
    o.raw("prices", prices.str());
  }
  if (f.stock) o.text("stock", *f.stock);
  if (f.properties) {
    JsonObject props;
    for (const auto& [name, value] : *f.properties) props.text(name, value);
    o.raw("properties", props.str());
  }
  if (f.active) o.boolean("active", *f.active);
  return {"product", f.external_id, o.str()};
}

std::string buyer_name(const Counterparty& c) {
  if (!c.full_name.empty()) return c.full_name;
  if (!c.name.empty()) return c.name;
  if (!c.official_name.empty()) return c.official_name;
  std::string person;
  for (const std::string* part : {&c.surname, &c.given_name, &c.patronymic})
    if (!part->empty()) person += (person.empty() ? "" : " ") + *part;
  if (!person.empty()) return person;
  // A site's buyer: "<site user id>#<login>#<name>", trimmed as sites pad it.
  if (const auto hash = c.id.rfind('#'); hash != std::string::npos) {
    std::string tail = c.id.substr(hash + 1);
    const auto first = tail.find_first_not_of(' '), last = tail.find_last_not_of(' ');
    if (first != std::string::npos) return tail.substr(first, last - first + 1);
  }
  if (!c.phones.empty()) return c.phones.front();
  if (!c.emails.empty()) return c.emails.front();
  return "";
}

Record client_record(const Counterparty& c) {
  JsonObject o;
  const std::string name = buyer_name(c);
  o.text("name", name);
  if (!c.inn.empty()) o.text("inn", c.inn);
  if (!c.kpp.empty()) o.text("kpp", c.kpp);
  if (!c.phones.empty()) o.texts("phones", c.phones);
  if (!c.emails.empty()) o.texts("emails", c.emails);
  if (!c.addresses.empty()) {
    std::string list = "[";
    for (std::size_t i = 0; i < c.addresses.size(); ++i) {
      if (i) list += ',';
      list += JsonObject().text("kind", c.addresses[i].first).text("text", c.addresses[i].second).str();
    }
    o.raw("addresses", list + "]");
  }
  // The company's official name, when the client is named otherwise.
  const std::string& official = !c.official_name.empty() ? c.official_name : c.full_name;
  if (!official.empty() && official != name) o.raw("custom", JsonObject().text("1c.full_name", official).str());
  return {"client", c.id, o.str()};
}

std::optional<Record> order_record(const Document& d, const std::string& utc_offset, std::string& why) {
  if (!d.operation.empty() && d.operation != "Заказ товара") {
    why = "document " + d.id + " is a '" + d.operation + "', not an order";
    return std::nullopt;
  }
  std::map<std::string, std::string> requisites(d.requisites.begin(), d.requisites.end());
  JsonObject custom;
  for (const auto& [name, key] : kept_requisites()) {
    auto it = requisites.find(name);
    if (it != requisites.end()) custom.text(key, it->second);
  }
  if (!d.number.empty()) custom.text("1c.document_number", d.number);
  JsonObject o;
  std::string status = status_of(requisites);
  if (!status.empty()) o.text("status", status);
  o.raw("custom", custom.str());

  // A document with no buyer and no goods reports on an order (its status, 1C's
  // requisites). Whose order it is the host decides by the Ид alone: one 1C sent before,
  // or one salescore sent to this 1C under that Ид (plugins/host/record_apply.h).
  if (d.counterparties.empty() && d.lines.empty()) return Record{"order", d.id, o.str()};
  o.text("number", d.number);
  o.text("currency", currency_code(d.currency));
  if (!d.date.empty()) o.text("ordered_at", d.date + "T" + (d.time.empty() ? "00:00:00" : d.time) + utc_offset);
  // The buyer, by everything that names it (its Ид, INN, phone, e-mail): the host takes
  // the first that finds a client, as it matched the buyer's own record (imported with
  // the document) to a client the company has.
  for (const Counterparty& c : d.counterparties) {
    if (!c.role.empty() && c.role != "Покупатель") continue;
    JsonObject ref;
    ref.text("external_id", c.id);
    if (!c.inn.empty()) ref.text("inn", c.inn);
    if (!c.inn.empty() && !c.kpp.empty()) ref.text("kpp", c.kpp);
    if (!c.phones.empty()) ref.text("phone", c.phones.front());
    if (!c.emails.empty()) ref.text("email", c.emails.front());
    o.raw("client", ref.str());
    break;
  }
  std::string lines = "[";
  for (std::size_t i = 0; i < d.lines.size(); ++i) {
    const DocumentLine& l = d.lines[i];
    if (i) lines += ',';
    lines += JsonObject()
                 .text("sku", l.sku.empty() ? l.product_id : l.sku)
                 .text("name", l.name)
                 .text("quantity", l.quantity.empty() ? "1" : l.quantity)
                 .text("price", l.price.empty() ? "0" : l.price)
                 .str();
  }
  o.raw("lines", lines + "]");
  return Record{"order", d.id, o.str()};
}

}  // namespace salescore::onec
