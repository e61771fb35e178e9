// Engine values <-> the Python values users see: aware UTC datetime for an Instant,
// decimal.Decimal for amounts and quantities, Money(amount, currency) for prices,
// lower-case strings for enumerations, None for an absent reference (id 0).
//
// Money never passes through a float. A float is accepted only when its shortest repr
// has no more decimals than the value allows (2 for amounts, 3 for quantities), so
// 99.9 is read as "99.9" and 0.1 + 0.2 is refused instead of rounded.
//
// A codec is a struct with `using type`, `static type from(py::handle, const
// ConvertContext&)` and `static py::object to(const type&)`; fields.h builds the field
// tables of each record from codecs. Codecs throw FieldProblems, never StatusError: the
// caller knows which field it was converting and names it.
#pragma once

#include <pybind11/pybind11.h>
// Everywhere or nowhere: stl.h changes how std containers convert (ODR).
#include <pybind11/stl.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "salescore/model.h"
#include "salescore/values.h"

namespace salescore::python {

namespace py = pybind11;

// What a conversion may need to know about the engine it converts for.
struct ConvertContext {
  std::string currency;  // for an amount given without its currency
};

// Field name (or path) -> what is wrong with its value.
using Problems = std::map<std::string, std::string>;

// Keys are paths relative to the value being converted: "" is the value itself,
// "[2].price" the price of its third item.
class FieldProblems : public std::exception {
 public:
  explicit FieldProblems(Problems problems) : problems_(std::move(problems)) {}
  const Problems& problems() const { return problems_; }
  const char* what() const noexcept override { return "invalid value"; }

 private:
  Problems problems_;
};

[[noreturn]] void reject(std::string problem);

// Caches the Python classes conversions build (Decimal, datetime, Money, ...). Called
// once from the module's init, while the import lock is held, so no thread races it.
void init_python_types();

std::string type_name(py::handle value);

Instant instant_from_py(py::handle value);
py::object instant_to_py(Instant t);
std::int64_t milliseconds_from_py(py::handle timedelta);
std::int64_t amount_from_py(py::handle value);
py::object amount_to_py(std::int64_t minor);
Quantity quantity_from_py(py::handle value);
py::object quantity_to_py(Quantity q);
Money money_from_py(py::handle value, const std::string& default_currency);
py::object money_to_py(const Money& m);
std::string currency_from_py(py::handle value);
py::object json_to_py(const std::string& json_text);

namespace codec {

struct Text {
  using type = std::string;
  static type from(py::handle v, const ConvertContext&);
  static py::object to(const type& v) { return py::str(v); }
};

struct Number {
  using type = std::int64_t;
  static type from(py::handle v, const ConvertContext&);
  static py::object to(type v) { return py::int_(v); }
};

// A reference to another record: 0 in the engine, None in Python.
struct Ref {
  using type = Id;
  static type from(py::handle v, const ConvertContext& ctx) { return v.is_none() ? 0 : Number::from(v, ctx); }
  static py::object to(type v) { return v ? py::object(py::int_(v)) : py::object(py::none()); }
};

struct Flag {
  using type = bool;
  static type from(py::handle v, const ConvertContext&);
  static py::object to(type v) { return py::bool_(v); }
};

struct When {
  using type = Instant;
  static type from(py::handle v, const ConvertContext&) { return instant_from_py(v); }
  static py::object to(type v) { return instant_to_py(v); }
};

struct MaybeWhen {
  using type = std::optional<Instant>;
  static type from(py::handle v, const ConvertContext&) {
    return v.is_none() ? type() : type(instant_from_py(v));
  }
  static py::object to(const type& v) { return v ? instant_to_py(*v) : py::object(py::none()); }
};

struct Amount {
  using type = std::int64_t;
  static type from(py::handle v, const ConvertContext&) { return amount_from_py(v); }
  static py::object to(type v) { return amount_to_py(v); }
};

struct Qty {
  using type = Quantity;
  static type from(py::handle v, const ConvertContext&) { return quantity_from_py(v); }
  static py::object to(type v) { return quantity_to_py(v); }
};

// Phones, emails: a list of strings; one string alone is taken as a list of one.
struct Texts {
  using type = std::vector<std::string>;
  static type from(py::handle v, const ConvertContext&);
  static py::object to(const type& v);
};

struct TextMap {
  using type = std::map<std::string, std::string>;
  static type from(py::handle v, const ConvertContext&);
  static py::object to(const type& v);
};

// Price type -> Money; a bare amount takes the engine's currency.
struct PriceList {
  using type = std::map<std::string, Money>;
  static type from(py::handle v, const ConvertContext& ctx);
  static py::object to(const type& v);
};

template <class E, const char* (*Name)(E), Result<E> (*Parse)(std::string_view)>
struct Enum {
  using type = E;
  static type from(py::handle v, const ConvertContext& ctx) {
    auto parsed = Parse(Text::from(v, ctx));
    if (!parsed.ok()) reject(parsed.status().message());
    return *parsed;
  }
  static py::object to(type v) { return py::str(Name(v)); }
};

using RoleName = Enum<Role, role_name, parse_role>;
using TierName = Enum<Tier, tier_name, parse_tier>;
using OrderStatusName = Enum<OrderStatus, order_status_name, parse_order_status>;
using InteractionKindName = Enum<InteractionKind, interaction_kind_name, parse_interaction_kind>;
using DirectionName = Enum<Direction, direction_name, parse_direction>;
using TaskStatusName = Enum<TaskStatus, task_status_name, parse_task_status>;

}  // namespace codec

}  // namespace salescore::python
