// What a CommerceML file says, as plain structs, read by a streaming (SAX) parser so a
// 200 MB catalog never sits in memory: each product, offer, counterparty and document
// is handed to the sink as soon as its element closes and then forgotten.
//
// One reader understands schema versions 2.03 to 2.10 and 3.1: the element names are
// the same, 3.1 adds a default namespace (ignored: names are matched without it), puts
// documents in <Контейнер> and splits offers into prices and rests files. Encodings:
// UTF-8 with or without BOM, and windows-1251 as older 1C bases write it.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace salescore::onec {

// The classifier (groups, properties, price types) outlives one file: 3.1 sends it in
// files of its own before the goods and offers that refer to it.
struct Classifier {
  std::map<std::string, std::string> group_paths;     // group Ид -> "Parent / Child"
  std::map<std::string, std::string> property_names;  // property Ид -> name
  std::map<std::string, std::string> property_values; // ИдЗначения -> value (a Справочник variant)
  struct PriceType {
    std::string name, currency;
  };
  std::map<std::string, PriceType> price_types;       // ИдТипаЦены -> name, currency
};

struct Product {
  std::string id, sku, name, unit;
  std::vector<std::string> group_ids;
  std::vector<std::pair<std::string, std::string>> properties;  // (property Ид, value or value Ид)
  std::vector<std::pair<std::string, std::string>> requisites;  // ЗначенияРеквизитов (name, value)
  std::string image;  // the first Картинка: a path under import_files/
  bool deleted = false;  // Статус "Удален" or ПометкаУдаления
};

struct Price {
  std::string type_id, amount, currency;
};

struct Offer {
  std::string id, sku, name;
  std::vector<Price> prices;
  bool has_prices = false;
  bool has_stock = false;
  std::string stock;          // Количество, or the sum of the warehouses' stock
  std::vector<std::pair<std::string, std::string>> features;  // ХарактеристикиТовара
};

struct Counterparty {
  std::string id, name, inn, kpp, role;
  std::string full_name;      // ПолноеНаименование
  std::string official_name;  // ОфициальноеНаименование (a company's)
  std::string surname, given_name, patronymic;  // a private person's Фамилия, Имя, Отчество
  std::vector<std::pair<std::string, std::string>> addresses;  // (kind, text)
  std::vector<std::string> phones, emails;
  bool deleted = false;
};

struct DocumentLine {
  std::string product_id, sku, name, unit, price, quantity, sum;
};

struct Document {
  std::string id, number, date, time, operation, currency, sum;
  std::vector<Counterparty> counterparties;
  std::vector<DocumentLine> lines;
  std::vector<std::pair<std::string, std::string>> requisites;  // (name, value)
};

// CommerceML 3.x (ВерсияСхемы "3.1"): a namespace, catalogs in portions, mode=deactivate
// at the end of a full exchange, documents inside Контейнер.
inline bool is_version_3(const std::string& schema_version) {
  return !schema_version.empty() && schema_version[0] >= '3';
}

// What the file is about, known once its sections have started.
struct FileFacts {
  std::string schema_version;       // ВерсияСхемы
  bool has_catalog = false;         // Каталог with goods
  bool catalog_changes_only = true; // СодержитТолькоИзменения of Каталог (absent: see reader)
  bool has_offers = false;
  bool offers_changes_only = true;
};

struct CommerceMlSink {
  std::function<void(const Product&)> product;
  std::function<void(const Offer&)> offer;
  std::function<void(const Counterparty&)> counterparty;  // outside documents (3.1 contragents)
  std::function<void(const Document&)> document;
};

// A malformed, truncated or wrongly encoded file: where and why.
struct ParseError {
  int line = 0;
  std::string reason;
};

// Reads the whole stream, calling the sink as elements close. Returns false and fills
// `error` on bad XML; the sink may have been called for what came before the error, so
// the caller applies nothing until this returns true (the import runs in one batch).
// A sink callback may throw to abort the read (the reason becomes the error).
bool read_commerceml(std::istream& in, Classifier& classifier, const CommerceMlSink& sink, FileFacts& facts,
                     ParseError& error);

}  // namespace salescore::onec
