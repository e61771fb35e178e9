// Value types shared by every aggregate: ids, instants, money, quantities.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "salescore/status.h"

namespace salescore {

using Id = std::int64_t;  // row id; 0 means "none"

// A UTC instant in milliseconds since the Unix epoch. Report periods are cut in the
// company time zone elsewhere; storage and the API only ever see UTC.
struct Instant {
  std::int64_t ms = 0;
  auto operator<=>(const Instant&) const = default;
  static Instant from_seconds(std::int64_t s) { return Instant{s * 1000}; }
};

// ISO 8601 in UTC with milliseconds: "2026-11-22T10:15:00.000Z".
std::string format_iso8601(Instant t);
// Accepts "2026-11-22", "2026-11-22T10:15:00Z", "...+03:00", fractional seconds.
Result<Instant> parse_iso8601(std::string_view text);

// Money is an integer count of minor units (kopecks, cents) with an ISO 4217 code.
// Never a double: totals must add up to the kopeck.
struct Money {
  std::int64_t minor = 0;
  std::string currency;  // "RUB"
  bool operator==(const Money&) const = default;
};

// "1234.50" for 123450 minor units (two decimals; every currency we serve has two).
std::string format_amount(std::int64_t minor);
// Parses "1234.5", "1234,50", "-3", "1 234.50"; more than two decimals is an error.
Result<std::int64_t> parse_amount(std::string_view text);
// True for three upper-case ASCII letters.
bool is_currency_code(std::string_view code);

// Quantities (pieces, kilograms, metres) are kept in thousandths so that 0.25 kg is
// exact and a line amount is computed without floating point.
struct Quantity {
  std::int64_t milli = 0;
  static Quantity units(std::int64_t n) { return Quantity{n * 1000}; }
  auto operator<=>(const Quantity&) const = default;
};
std::string format_quantity(Quantity q);             // "2", "0.25"
Result<Quantity> parse_quantity(std::string_view text);

// price * quantity, rounded half away from zero to a minor unit.
std::int64_t line_amount(std::int64_t price_minor, Quantity qty);

}  // namespace salescore
