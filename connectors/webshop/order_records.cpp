#include "order_records.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

#include "json_read.h"

namespace salescore::webshop {

// Products of amounts in micro units overflow 64 bits; GCC and clang have 128.
__extension__ typedef __int128 wide;
namespace {

std::string json_text(const Poco::JSON::Object& o) {
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

// Shop total minus what salescore's lines, shipping and tax add up to: a coupon's
// rounding, a fee, a credit line. Kept as the explicit adjustment, "" when there is none
// (an empty custom value removes the key, so a difference that went away goes away).
std::string adjustment(const ShopOrder& o) {
  auto total = micro_units(o.totals.count("total") ? o.totals.at("total") : "");
  if (!total) return "";
  std::int64_t ours = 0;
  for (const auto& l : o.lines) {
    auto qty = micro_units(l.quantity), price = micro_units(l.unit_price), discount = micro_units(l.discount);
    if (!qty || !price || !discount) return "";
    ours += static_cast<std::int64_t>(static_cast<wide>(*price) * *qty / 1000000) - *discount;
  }
  for (const char* part : {"shipping", "tax"}) {
    auto it = o.totals.find(part);
    if (it == o.totals.end() || it->second.empty()) continue;
    if (auto amount = micro_units(it->second)) ours += *amount;
  }
  const std::int64_t diff = *total - ours;
  return diff == 0 ? "" : micro_text(diff);
}

// The shop's refunded total in cents for the host's "refunded" (host/order_refunds.h),
// "" when nothing is refunded or the shop's text is no amount (it stays verbatim in
// shop_refunded either way). Rounded half up: salescore keeps money in cents.
std::string refunded_cents(const ShopOrder& o) {
  auto it = o.totals.find("refunded");
  if (it == o.totals.end()) return "";
  auto micro = micro_units(it->second);
  if (!micro || *micro <= 0) return "";
  const std::int64_t cents = (*micro + 5000) / 10000;
  const std::string frac = std::to_string(cents % 100);
  return std::to_string(cents / 100) + "." + (frac.size() < 2 ? "0" : "") + frac;
}

}  // namespace

std::string buyer_id(const ShopOrder& o) {
  if (!o.customer.id.empty()) return o.customer.id;
  if (!o.customer.email.empty()) return "guest:" + o.customer.email;
  if (!o.customer.phone.empty()) return "guest:" + o.customer.phone;
  return "guest:order:" + o.id;
}

OrderRecords order_records(const ShopOrder& o, const StatusMap& statuses, const RecordOptions& options) {
  OrderRecords out;
  out.client_id = buyer_id(o);
  Poco::JSON::Object client;
  std::string name = o.customer.name;
  if (name.empty()) name = !o.customer.email.empty() ? o.customer.email : o.customer.phone;
  if (name.empty()) name = "Guest of order " + o.number;
  client.set("name", name);
  Poco::JSON::Array phones, emails;
  if (!o.customer.phone.empty()) phones.add(o.customer.phone);
  if (!o.customer.email.empty()) emails.add(o.customer.email);
  client.set("phones", phones);
  client.set("emails", emails);
  out.client_json = json_text(client);

  Poco::JSON::Object order;
  order.set("number", o.number);
  if (auto status = statuses.to_salescore(o.status)) order.set("status", *status);
  if (!o.currency.empty()) order.set("currency", o.currency);
  if (!o.created_at.empty()) order.set("ordered_at", o.created_at);
  Poco::JSON::Object ref;
  ref.set("external_id", out.client_id);
  if (!o.customer.phone.empty()) ref.set("phone", o.customer.phone);
  if (!o.customer.email.empty()) ref.set("email", o.customer.email);
  order.set("client", ref);
  Poco::JSON::Array lines;
  for (const auto& l : o.lines) {
    Poco::JSON::Object line;
    line.set("sku", l.sku);
    line.set("name", l.name);
    line.set("quantity", l.quantity);
    line.set("price", l.unit_price);
    line.set("discount", l.discount);
    lines.add(line);
  }
  order.set("lines", lines);
  Poco::JSON::Object custom;
  custom.set("shop_platform", options.platform);
  custom.set("shop_status", o.status);
  for (const auto& [key, value] : o.totals) custom.set("shop_" + key, value);
  for (const auto& [key, value] : o.attributes) custom.set("shop_" + key, value);
  custom.set("shop_adjustment", adjustment(o));
  order.set("custom", custom);
  if (auto refunded = refunded_cents(o); !refunded.empty()) order.set("refunded", refunded);
  order.set("version", o.version);
  if (!o.payment_reference.empty()) order.set("payment_reference", o.payment_reference);
  if (!options.unknown_sku.empty()) order.set("unknown_sku", options.unknown_sku);
  out.order_json = json_text(order);
  return out;
}

std::string status_record(const std::string& salescore_status, std::int64_t version) {
  Poco::JSON::Object order;
  order.set("status", salescore_status);
  order.set("version", version);
  return json_text(order);
}

}  // namespace salescore::webshop
