// Words the demo company is made of: Russian company and person names, cities with
// their phone area codes and tax regions, street addresses, and a building-materials
// catalogue. Data, plus the two text helpers the generator needs for it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "demo_random.h"

namespace salescore::cli {

struct DemoCity {
  std::string_view name;   // "Москва"
  std::string_view latin;  // "msk": for disambiguating web domains
  int tax_region;          // first two digits of INN and KPP
  int tax_offices;         // inspections to draw the next two digits from
  std::vector<std::string_view> area_codes;
  int postal_first, postal_last;  // the city's range of postal codes
  double weight;                  // share of clients
};
const std::vector<DemoCity>& demo_cities();

struct DemoPerson {
  std::string surname, first_name, patronymic;
  bool female = false;
  std::string full_name() const { return surname + " " + first_name + " " + patronymic; }
};
DemoPerson random_person(DemoRandom& random);

// A company's own name without its legal form: "Уралснаб", "Альфа-Строй", "Меридиан Плюс".
std::string random_company_name(DemoRandom& random);
// "620014, г. Екатеринбург, ул. Заводская, д. 12, оф. 305"
std::string random_address(const DemoCity& city, DemoRandom& random, bool office);
std::string_view random_industry(DemoRandom& random);

struct DemoProduct {
  std::string sku;  // "CAB-VVG-03"
  std::string name;
  std::string unit;      // "pcs", "pack", "m", "kg", "roll"
  std::string category;  // "Кабель и провод"
  std::int64_t retail_minor = 0;
};
// The catalogue, about two hundred items, always in the same order.
const std::vector<DemoProduct>& demo_catalogue();

// Lower-case Latin transliteration of Russian text ("Уралснаб" -> "uralsnab"); other
// letters and punctuation are dropped, ASCII letters and digits kept.
std::string transliterate(std::string_view text);
// The text with its first letter upper-cased (Cyrillic or ASCII).
std::string capitalized(std::string_view text);

}  // namespace salescore::cli
