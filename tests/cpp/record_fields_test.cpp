// A product's event payloads are written straight from its members (product_json,
// product_changes_json); they must be the very text the generic field lists give.
#include <gtest/gtest.h>

#include "salescore/record_fields.h"

namespace salescore {
namespace {

Product drill() {
  Product p;
  p.id = 42;
  p.sku = "DR-1";
  p.name = "Дрель \"Ударная\"\n";
  p.prices = {{"Розничная", Money{450000, "RUB"}}, {"Оптовая", Money{-5, "EUR"}}};
  p.stock = Quantity{-1250};
  p.group = "Инструмент / Дрели";
  p.properties = {{"Цвет", "Синий"}, {"bad \xff utf-8", "tab\t"}};
  p.source = "onec";
  p.external_id = "p-1";
  p.created_at = Instant{1'700'000'000'123};
  p.updated_at = Instant{1'700'000'100'000};
  return p;
}

// Every member changed alone, then several together, then back and forth.
std::vector<Product> variants() {
  std::vector<Product> out;
  const Product base = drill();
  out.push_back(base);
  Product p = base;
  p.sku = "DR-2";
  out.push_back(p);
  p = base;
  p.name = "";
  out.push_back(p);
  p = base;
  p.unit = "kg";
  out.push_back(p);
  p = base;
  p.prices.clear();
  out.push_back(p);
  p = base;
  p.prices["Розничная"].minor = 1;
  out.push_back(p);
  p = base;
  p.prices["Розничная"].currency = "USD";
  out.push_back(p);
  p = base;
  p.stock = Quantity{3000};
  out.push_back(p);
  p = base;
  p.active = false;
  out.push_back(p);
  p = base;
  p.group = "";
  out.push_back(p);
  p = base;
  p.properties.clear();
  out.push_back(p);
  p = base;
  p.properties = {{"bad \xfe utf-8", "tab\t"}, {"Цвет", "Синий"}};  // other bytes, the same JSON
  out.push_back(p);
  p = base;
  p.source = "";
  p.external_id = "";
  out.push_back(p);
  p = base;
  p.id = 0;
  p.created_at = Instant{0};
  p.updated_at = Instant{5};  // bookkeeping only
  out.push_back(p);
  p = Product{};
  out.push_back(p);
  return out;
}

TEST(ProductPayloads, TheCreatedPayloadIsTheFieldListsJson) {
  for (const Product& p : variants()) EXPECT_EQ(product_json(p), fields_of(p).to_json()) << p.name;
}

TEST(ProductPayloads, TheChangesAreThoseTheFieldListsFind) {
  const auto all = variants();
  for (std::size_t a = 0; a < all.size(); ++a)
    for (std::size_t b = 0; b < all.size(); ++b)
      EXPECT_EQ(product_changes_json(all[a], all[b]), changed_fields_json(fields_of(all[a]), fields_of(all[b])))
          << a << " -> " << b;
}

}  // namespace
}  // namespace salescore
