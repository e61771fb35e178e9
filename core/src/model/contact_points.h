// Normalization and validation of the ways to reach a client: phones, e-mails, and the
// Russian tax requisites that identify a company (INN, KPP).
#pragma once

#include <string>
#include <string_view>

#include "salescore/status.h"

namespace salescore {

// Parses a phone number written any way a person writes it ("8 (495) 123-45-67",
// "+7 495 1234567", "495 123 45 67") using libphonenumber with `default_region` for
// numbers without a country code, and returns it in E.164 ("+74951234567").
// Thread-safe.
Result<std::string> normalize_phone(std::string_view raw, const std::string& default_region);

// Lower-cases and trims; checks the shape local@domain.tld (not deliverability).
Result<std::string> normalize_email(std::string_view raw);

// INN: 10 digits for an organisation, 12 for an individual entrepreneur, with the
// check digits of the Federal Tax Service algorithm.
Status validate_inn(std::string_view inn);
// KPP: 9 characters, digits except positions 5-6 which may be Latin capitals.
Status validate_kpp(std::string_view kpp);

// Lower-case UTF-8 (Cyrillic included) for case-insensitive prefix search.
std::string search_key(std::string_view text);

}  // namespace salescore
