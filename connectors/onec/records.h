// CommerceML structs -> salescore's normalized records (docs/writing-a-connector.md):
// entity, external id and the JSON of the fields 1C is the master of. Pure functions,
// so the mapping is tested without a server.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "commerceml.h"

namespace salescore::onec {

inline constexpr const char* kSource = "onec";
// The Ид salescore gives its own orders in 1C, so they are known when 1C sends them back.
inline constexpr const char* kOrderIdPrefix = "SC-";

struct Record {
  std::string entity;
  std::string external_id;
  std::string json;
};

// What a catalog entry or an offer says about a product, before it is written down for
// salescore: as a JSON record (emit_records, product_json) or as fields (ABI 1.2's
// emit_products). An empty optional is a field 1C said nothing of: salescore keeps it.
struct ProductFields {
  struct PriceFields {
    std::string type, amount, currency;  // the type's name, decimal text, ISO 4217
  };
  std::string external_id;
  std::optional<std::string> name, sku, unit, group, stock;
  std::optional<bool> active;
  std::optional<std::vector<std::pair<std::string, std::string>>> properties;  // by name
  std::optional<std::vector<PriceFields>> prices;
};

// The product's catalog data: name, SKU, unit, group path, properties, active.
ProductFields product_fields(const Product& p, const Classifier& classifier);

// Prices and stock of an offer. "P#C" (a characteristic of product P) is a product of
// its own keyed "P#C"; "P" and "P#" are product P itself.
ProductFields offer_fields(const Offer& o, const Classifier& classifier);

// The product record of those fields (entity "product", JSON as record_apply.h reads it).
Record product_json(const ProductFields& f);

// A counterparty's name from what the file gives, first found: ПолноеНаименование,
// Наименование, ОфициальноеНаименование, a private person's Фамилия Имя Отчество, the
// text after the last '#' of its Ид (a site's "<user id>#<login>#<name>"), its first
// phone, its first e-mail; "" when it gives none (the host refuses the client).
std::string buyer_name(const Counterparty& c);
Record client_record(const Counterparty& c);
// The record of a full catalog: every product it listed (`present`); the host
// deactivates the others of this source, and keeps each characteristic "P#C" while P is
// present (records of offers, offer_fields).
Record full_catalog_record(const std::vector<std::string>& present);

// The order of a document, keyed by its Ид: 1C's order with its buyer, lines and date,
// or, for a document with neither buyer nor goods, a report on an order (status and
// requisites only); the host applies it to the order that Ид names, or refuses it.
// nullopt (with `why`) for a document that is not an order (a payment, a shipment
// without an order). `utc_offset` ("+03:00") is the offset of 1C's local Дата/Время.
std::optional<Record> order_record(const Document& d, const std::string& utc_offset, std::string& why);

// ISO 4217 for what 1C writes as a currency ("руб", "RUR", "643").
std::string currency_code(const std::string& text);

}  // namespace salescore::onec
