#include "convert.h"

#include <cctype>

namespace salescore::python {

namespace {

// Leaked on purpose: destroying Python objects after the interpreter has finalized
// crashes, and these live as long as the process anyway.
struct PythonTypes {
  py::object decimal;
  py::object datetime;
  py::object timedelta;
  py::object epoch;            // 1970-01-01T00:00:00+00:00
  py::object one_millisecond;  // timedelta(milliseconds=1)
  py::object money;            // salescore._records.Money
  py::object json_loads;
};

PythonTypes* g_types = nullptr;

const PythonTypes& types() { return *g_types; }

bool is_decimal(py::handle v) { return py::isinstance(v, types().decimal); }

// "12.500" -> "12.5", "3.00" -> "3": a Decimal's trailing zeros carry no value.
std::string drop_trailing_zeros(std::string text) {
  if (text.find('.') == std::string::npos) return text;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

std::size_t decimals_of(const std::string& text) {
  auto dot = text.find('.');
  return dot == std::string::npos ? 0 : text.size() - dot - 1;
}

// The decimal text of a number given as Decimal, int, float or str, for the core's
// parse_amount / parse_quantity, which own the grammar and the range checks.
std::string decimal_text(py::handle v, std::size_t max_decimals) {
  if (PyBool_Check(v.ptr())) reject("expected a Decimal, int or str, got bool");
  if (PyUnicode_Check(v.ptr())) return v.cast<std::string>();
  if (is_decimal(v)) {
    if (!v.attr("is_finite")().cast<bool>()) reject("not a finite number: " + py::repr(v).cast<std::string>());
    return drop_trailing_zeros(v.attr("__format__")("f").cast<std::string>());
  }
  if (PyFloat_Check(v.ptr())) {
    std::string shown = py::repr(v).cast<std::string>();
    py::object exact = types().decimal(py::str(shown));
    if (!exact.attr("is_finite")().cast<bool>()) reject("not a finite number: " + shown);
    std::string text = drop_trailing_zeros(exact.attr("__format__")("f").cast<std::string>());
    if (decimals_of(text) > max_decimals)
      reject("float " + shown + " is not exact to " + std::to_string(max_decimals) +
             " decimals; pass a Decimal or a str");
    return text;
  }
  if (PyIndex_Check(v.ptr())) return py::str(py::reinterpret_steal<py::object>(PyNumber_Index(v.ptr())));
  reject("expected a Decimal, int or str, got " + type_name(v));
}

}  // namespace

void reject(std::string problem) { throw FieldProblems({{"", std::move(problem)}}); }

void init_python_types() {
  if (g_types) return;
  auto datetime = py::module_::import("datetime");
  auto* t = new PythonTypes();
  t->decimal = py::module_::import("decimal").attr("Decimal");
  t->datetime = datetime.attr("datetime");
  t->timedelta = datetime.attr("timedelta");
  t->epoch = t->datetime(1970, 1, 1, py::arg("tzinfo") = datetime.attr("timezone").attr("utc"));
  t->one_millisecond = t->timedelta(py::arg("milliseconds") = 1);
  t->money = py::module_::import("salescore._records").attr("Money");
  t->json_loads = py::module_::import("json").attr("loads");
  g_types = t;
}

std::string type_name(py::handle value) { return py::str(py::type::handle_of(value).attr("__name__")); }

Instant instant_from_py(py::handle value) {
  if (PyUnicode_Check(value.ptr())) {
    auto parsed = parse_iso8601(value.cast<std::string>());
    if (!parsed.ok()) reject(parsed.status().message());
    return *parsed;
  }
  if (!py::isinstance(value, types().datetime))
    reject("expected an aware datetime or an ISO 8601 str, got " + type_name(value));
  if (value.attr("utcoffset")().is_none())
    reject("naive datetime " + py::str(value).cast<std::string>() +
           ": give it a tzinfo (e.g. timezone.utc) so the instant is unambiguous");
  // Floor division of timedeltas is exact; .timestamp() would go through a float.
  py::object elapsed = value.attr("__sub__")(types().epoch);
  return Instant{elapsed.attr("__floordiv__")(types().one_millisecond).cast<std::int64_t>()};
}

py::object instant_to_py(Instant t) {
  return types().epoch.attr("__add__")(types().timedelta(py::arg("milliseconds") = t.ms));
}

std::int64_t milliseconds_from_py(py::handle value) {
  if (!py::isinstance(value, types().timedelta)) reject("expected a timedelta, got " + type_name(value));
  return value.attr("__floordiv__")(types().one_millisecond).cast<std::int64_t>();
}

std::int64_t amount_from_py(py::handle value) {
  auto parsed = parse_amount(decimal_text(value, 2));
  if (!parsed.ok()) reject(parsed.status().message());
  return *parsed;
}

py::object amount_to_py(std::int64_t minor) { return types().decimal(py::str(format_amount(minor))); }

Quantity quantity_from_py(py::handle value) {
  auto parsed = parse_quantity(decimal_text(value, 3));
  if (!parsed.ok()) reject(parsed.status().message());
  return *parsed;
}

py::object quantity_to_py(Quantity q) { return types().decimal(py::str(format_quantity(q))); }

std::string currency_from_py(py::handle value) {
  if (!PyUnicode_Check(value.ptr())) reject("expected a currency code str such as 'RUB', got " + type_name(value));
  std::string code = value.cast<std::string>();
  for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (!is_currency_code(code)) reject("'" + value.cast<std::string>() + "' is not an ISO 4217 currency code");
  return code;
}

Money money_from_py(py::handle value, const std::string& default_currency) {
  // Money is a NamedTuple, so one branch takes it and a plain (amount, currency) pair.
  if (py::isinstance<py::tuple>(value)) {
    auto pair = py::reinterpret_borrow<py::tuple>(value);
    if (pair.size() != 2) reject("expected (amount, currency), got a tuple of " + std::to_string(pair.size()));
    return Money{amount_from_py(pair[0]), currency_from_py(pair[1])};
  }
  return Money{amount_from_py(value), default_currency};
}

py::object money_to_py(const Money& m) { return types().money(amount_to_py(m.minor), py::str(m.currency)); }

py::object json_to_py(const std::string& json_text) {
  return types().json_loads(py::str(json_text.empty() ? std::string("{}") : json_text));
}

namespace codec {

std::string Text::from(py::handle v, const ConvertContext&) {
  if (v.is_none()) return {};
  if (!PyUnicode_Check(v.ptr())) reject("expected a str, got " + type_name(v));
  return v.cast<std::string>();
}

std::int64_t Number::from(py::handle v, const ConvertContext&) {
  if (PyBool_Check(v.ptr()) || !PyIndex_Check(v.ptr())) reject("expected an int, got " + type_name(v));
  try {
    return py::reinterpret_steal<py::object>(PyNumber_Index(v.ptr())).cast<std::int64_t>();
  } catch (const py::cast_error&) {
    reject("integer out of range: " + py::repr(v).cast<std::string>());
  }
}

bool Flag::from(py::handle v, const ConvertContext&) {
  if (!PyBool_Check(v.ptr())) reject("expected True or False, got " + type_name(v));
  return v.ptr() == Py_True;
}

std::vector<std::string> Texts::from(py::handle v, const ConvertContext& ctx) {
  if (v.is_none()) return {};
  if (PyUnicode_Check(v.ptr())) return {v.cast<std::string>()};
  if (!py::isinstance<py::list>(v) && !py::isinstance<py::tuple>(v))
    reject("expected a list of str, got " + type_name(v));
  std::vector<std::string> out;
  Problems problems;
  std::size_t i = 0;
  for (py::handle item : v) {
    if (PyUnicode_Check(item.ptr()))
      out.push_back(item.cast<std::string>());
    else
      problems["[" + std::to_string(i) + "]"] = "expected a str, got " + type_name(item);
    ++i;
  }
  if (!problems.empty()) throw FieldProblems(std::move(problems));
  return out;
}

py::object Texts::to(const std::vector<std::string>& v) {
  py::list out;
  for (const auto& s : v) out.append(py::str(s));
  return out;
}

std::map<std::string, std::string> TextMap::from(py::handle v, const ConvertContext&) {
  if (v.is_none()) return {};
  if (!py::isinstance<py::dict>(v)) reject("expected a dict of str to str, got " + type_name(v));
  std::map<std::string, std::string> out;
  Problems problems;
  for (auto [key, value] : py::reinterpret_borrow<py::dict>(v)) {
    if (!PyUnicode_Check(key.ptr())) {
      problems["[" + py::repr(key).cast<std::string>() + "]"] = "keys must be str";
      continue;
    }
    std::string k = key.cast<std::string>();
    if (!PyUnicode_Check(value.ptr()))
      problems["[" + k + "]"] = "expected a str, got " + type_name(value);
    else
      out[k] = value.cast<std::string>();
  }
  if (!problems.empty()) throw FieldProblems(std::move(problems));
  return out;
}

py::object TextMap::to(const std::map<std::string, std::string>& v) {
  py::dict out;
  for (const auto& [k, s] : v) out[py::str(k)] = py::str(s);
  return out;
}

std::map<std::string, Money> PriceList::from(py::handle v, const ConvertContext& ctx) {
  if (v.is_none()) return {};
  if (!py::isinstance<py::dict>(v)) reject("expected a dict of price type to amount, got " + type_name(v));
  std::map<std::string, Money> out;
  Problems problems;
  for (auto [key, value] : py::reinterpret_borrow<py::dict>(v)) {
    std::string k = PyUnicode_Check(key.ptr()) ? key.cast<std::string>() : py::repr(key).cast<std::string>();
    if (!PyUnicode_Check(key.ptr())) {
      problems["[" + k + "]"] = "price types must be str";
      continue;
    }
    try {
      out[k] = money_from_py(value, ctx.currency);
    } catch (const FieldProblems& bad) {
      for (const auto& [path, problem] : bad.problems()) problems["[" + k + "]" + path] = problem;
    }
  }
  if (!problems.empty()) throw FieldProblems(std::move(problems));
  return out;
}

py::object PriceList::to(const std::map<std::string, Money>& v) {
  py::dict out;
  for (const auto& [k, m] : v) out[py::str(k)] = money_to_py(m);
  return out;
}

}  // namespace codec

}  // namespace salescore::python
