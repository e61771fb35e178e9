// The CommerceML reader one element at a time: the input's first byte picks where the
// element sits (a product of a catalog, the classifier, an offer, a document, a
// counterparty of a 3.1 contragents file or of a document, a document's line, or the
// file's body as is) and whether the file is 2.08 or 3.1; the rest is the element's
// inside, wrapped in the fixed start and end of such a file. commerceml_fuzz reads whole
// files of up to 37 KB (~190 inputs a second under ASan); inputs of a few hundred bytes
// that start inside the element run much faster and reach the same code.
// commerceml_element_fuzz.cpp checks it on every input, FuzzCorpora on the seeds.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <sstream>
#include <string>
#include <string_view>

#include "commerceml.h"

namespace salescore::fuzz {

// Whether s is well-formed UTF-8 (RFC 3629: no overlong forms, surrogates or code
// points above U+10FFFF): what expat hands the reader must reach the records whole.
inline bool well_formed_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0x80) { ++i; continue; }
    if (c >= 0xC2 && c <= 0xDF) n = 1;
    else if (c >= 0xE0 && c <= 0xEF) { n = 2; if (c == 0xE0) lo = 0xA0; if (c == 0xED) hi = 0x9F; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 3; if (c == 0xF0) lo = 0x90; if (c == 0xF4) hi = 0x8F; }
    else return false;
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto b = static_cast<unsigned char>(s[i + k]);
      if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return false;
    }
    i += n + 1;
  }
  return true;
}

struct ElementFrame {
  const char* start;
  const char* end;
};

// Where the element sits; {2.08 frame, 3.1 frame}. 3.1 puts documents in Контейнер and
// counterparties of their own in a contragents file.
inline constexpr ElementFrame kElementFrames[][2] = {
    {{"<Каталог СодержитТолькоИзменения=\"false\"><Ид>c</Ид><Товары><Товар>", "</Товар></Товары></Каталог>"},
     {"<Каталог СодержитТолькоИзменения=\"true\"><Ид>c</Ид><Товары><Товар>", "</Товар></Товары></Каталог>"}},
    {{"<Классификатор>", "</Классификатор>"}, {"<Классификатор>", "</Классификатор>"}},
    {{"<ПакетПредложений><Предложения><Предложение>", "</Предложение></Предложения></ПакетПредложений>"},
     {"<ПакетПредложений><Предложения><Предложение>", "</Предложение></Предложения></ПакетПредложений>"}},
    {{"<Документ>", "</Документ>"}, {"<Контейнер><Документ>", "</Документ></Контейнер>"}},
    {{"<Контрагенты><Контрагент>", "</Контрагент></Контрагенты>"},
     {"<Контрагенты><Контрагент>", "</Контрагент></Контрагенты>"}},
    {{"<Документ><Контрагенты><Контрагент>", "</Контрагент></Контрагенты></Документ>"},
     {"<Контейнер><Документ><Контрагенты><Контрагент>", "</Контрагент></Контрагенты></Документ></Контейнер>"}},
    {{"<Документ><Товары><Товар>", "</Товар></Товары></Документ>"},
     {"<Контейнер><Документ><Товары><Товар>", "</Товар></Товары></Документ></Контейнер>"}},
    {{"", ""}, {"", ""}},
};

// The whole file for an input: its first byte's low 3 bits pick the frame, bit 3 the version.
inline std::string commerceml_element_file(std::string_view input) {
  const auto pick = static_cast<unsigned char>(input.empty() ? 0 : input[0]);
  const bool v3 = (pick & 8) != 0;
  const ElementFrame& frame = kElementFrames[pick & 7][v3 ? 1 : 0];
  std::string file = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  file += v3 ? "<КоммерческаяИнформация xmlns=\"urn:1C.ru:commerceml_3\" ВерсияСхемы=\"3.1\">"
             : "<КоммерческаяИнформация ВерсияСхемы=\"2.08\">";
  file += frame.start;
  if (!input.empty()) file.append(input.substr(1));
  file += frame.end;
  file += "</КоммерческаяИнформация>";
  return file;
}

// Read or refused with a reason (as commerceml_checks.h), and every field handed to the
// import well-formed UTF-8, with the Ид the import keys it by.
inline std::string check_commerceml_element(std::string_view input) {
  std::istringstream in{commerceml_element_file(input)};
  onec::Classifier classifier;
  onec::CommerceMlSink sink;
  std::string broken;
  const auto text = [&](const char* what, std::initializer_list<const std::string*> fields) {
    for (const std::string* f : fields)
      if (broken.empty() && !well_formed_utf8(*f)) broken = std::string("a field of ") + what + " is not UTF-8";
  };
  sink.product = [&](const onec::Product& p) {
    if (p.id.empty()) broken = "a product without Ид";
    text("a product", {&p.id, &p.sku, &p.name, &p.unit, &p.image});
    for (const auto& [name, value] : p.requisites) text("a product's requisite", {&name, &value});
  };
  sink.offer = [&](const onec::Offer& o) {
    if (o.id.empty()) broken = "an offer without Ид";
    text("an offer", {&o.id, &o.sku, &o.name, &o.stock});
    for (const auto& price : o.prices) text("a price", {&price.type_id, &price.amount, &price.currency});
  };
  const auto counterparty = [&](const onec::Counterparty& c) {
    text("a counterparty", {&c.id, &c.name, &c.inn, &c.kpp, &c.role, &c.full_name, &c.official_name, &c.surname,
                            &c.given_name, &c.patronymic});
    for (const auto& [kind, address] : c.addresses) text("an address", {&kind, &address});
    for (const auto& phone : c.phones) text("a phone", {&phone});
    for (const auto& email : c.emails) text("an e-mail", {&email});
  };
  sink.counterparty = counterparty;
  sink.document = [&](const onec::Document& d) {
    text("a document", {&d.id, &d.number, &d.date, &d.time, &d.operation, &d.currency, &d.sum});
    for (const auto& c : d.counterparties) counterparty(c);
    for (const auto& l : d.lines)
      text("a document line", {&l.product_id, &l.sku, &l.name, &l.unit, &l.price, &l.quantity, &l.sum});
  };
  onec::FileFacts facts;
  onec::ParseError error;
  const bool read = onec::read_commerceml(in, classifier, sink, facts, error);
  if (!broken.empty()) return broken;
  if (!read && error.reason.empty()) return "a file refused without a reason";
  for (const auto& [id, path] : classifier.group_paths) text("a group", {&id, &path});
  for (const auto& [id, name] : classifier.property_names) text("a property", {&id, &name});
  return broken;
}

}  // namespace salescore::fuzz
