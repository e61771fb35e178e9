// Russian requisites for demo clients: tax ids with correct check digits, KPP, and phone
// numbers in the ranges libphonenumber accepts for Russia.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "demo_random.h"

namespace salescore::cli {

// 10-digit INN of an organisation: region (2 digits), tax office (2), record number (5),
// and the check digit of the Federal Tax Service algorithm.
std::string company_inn(int region, int tax_office, std::uint32_t record);
// 12-digit INN of an individual (an ИП): region, tax office, record number (6), two check
// digits.
std::string person_inn(int region, int tax_office, std::uint32_t record);
// KPP of an organisation registered at its own address: region, tax office, reason 01,
// sequence 001.
std::string company_kpp(int region, int tax_office);

// "+7 (495) 123-45-67": written the way people type it; the engine stores E.164.
std::string landline_phone(std::string_view area_code, DemoRandom& random);
std::string mobile_phone(DemoRandom& random);

}  // namespace salescore::cli
