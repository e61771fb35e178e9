// Field tables: one description per record, patch and query of what Python may set and
// what it reads back, built from codecs (convert.h). The same table converts a record to
// a dict, a dict of keyword arguments to a record, and names the field in every error.
#pragma once

#include <pybind11/pybind11.h>

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "convert.h"
#include "errors.h"

namespace salescore::python {

template <class T>
struct FieldDef {
  std::string name;
  std::function<py::object(const T&)> read;                         // null in patches and queries
  std::function<void(T&, py::handle, const ConvertContext&)> write;  // null: only the engine sets it
};

template <class T>
using FieldTable = std::vector<FieldDef<T>>;

// A field the caller sets and reads back.
template <class C, class T>
FieldDef<T> field(std::string name, typename C::type T::*member) {
  return {std::move(name), [member](const T& r) { return C::to(r.*member); },
          [member](T& r, py::handle v, const ConvertContext& ctx) { r.*member = C::from(v, ctx); }};
}

// A field kept in a part of the record (an interaction's call facts), read and set flat.
template <class C, class T, class Part>
FieldDef<T> field(std::string name, Part T::*part, typename C::type Part::*member) {
  return {std::move(name), [part, member](const T& r) { return C::to(r.*part.*member); },
          [part, member](T& r, py::handle v, const ConvertContext& ctx) { r.*part.*member = C::from(v, ctx); }};
}

// A field only the engine sets: ids, timestamps, computed totals.
template <class C, class T>
FieldDef<T> computed(std::string name, typename C::type T::*member) {
  return {std::move(name), [member](const T& r) { return C::to(r.*member); }, nullptr};
}

// A field of a patch or a query, where absent means "leave as is" or "don't filter".
template <class C, class T>
FieldDef<T> optional(std::string name, std::optional<typename C::type> T::*member) {
  return {std::move(name), nullptr,
          [member](T& r, py::handle v, const ConvertContext& ctx) { r.*member = C::from(v, ctx); }};
}

template <class T>
std::vector<std::string> names_of(const FieldTable<T>& table) {
  std::vector<std::string> names;
  for (const auto& f : table) names.push_back(f.name);
  return names;
}

// Sets `target` from `values`, collecting every problem rather than stopping at the
// first, so one ValidationError lists all that is wrong. `fixed` names fields that
// exist but may not be set here (what update cannot change). Nested items (order
// lines) pass `skip_computed` so a line read from an order can be written back as is.
template <class T>
Problems assign(const FieldTable<T>& table, T& target, const py::dict& values, const ConvertContext& ctx,
                const std::set<std::string>& fixed = {}, bool skip_computed = false) {
  Problems problems;
  for (auto [key, value] : values) {
    std::string name = py::str(key);
    const FieldDef<T>* def = nullptr;
    for (const auto& f : table)
      if (f.name == name) def = &f;
    if (!def) {
      problems[name] = fixed.count(name) ? "cannot be changed" : "unknown field";
      continue;
    }
    if (!def->write) {
      if (!skip_computed) problems[name] = "set by the engine";
      continue;
    }
    try {
      def->write(target, value, ctx);
    } catch (const FieldProblems& bad) {
      for (const auto& [path, problem] : bad.problems()) problems[name + path] = problem;
    } catch (py::error_already_set& e) {
      problems[name] = e.what();
    }
  }
  return problems;
}

// Throws the ValidationError for `problems`; `what` says what was being built ("client",
// "order filter") and `known` lists the names that would have been accepted.
[[noreturn]] void raise_invalid(const std::string& what, const Problems& problems,
                                const std::vector<std::string>& known);

template <class T>
void assign_or_raise(const FieldTable<T>& table, T& target, const py::dict& values, const ConvertContext& ctx,
                     const std::string& what, const std::set<std::string>& fixed = {}) {
  Problems problems = assign(table, target, values, ctx, fixed);
  if (!problems.empty()) {
    std::vector<std::string> known;
    for (const auto& f : table)
      if (f.write) known.push_back(f.name);
    raise_invalid(what, problems, known);
  }
}

template <class T>
py::dict to_dict(const FieldTable<T>& table, const T& record) {
  py::dict out;
  for (const auto& f : table) out[py::str(f.name)] = f.read(record);
  return out;
}

// A list of dicts (addresses, order lines), each converted with `table`.
template <class T>
std::vector<T> items_from(const FieldTable<T>& table, py::handle value, const ConvertContext& ctx) {
  if (value.is_none()) return {};
  if (!py::isinstance<py::list>(value) && !py::isinstance<py::tuple>(value))
    reject("expected a list of dicts, got " + type_name(value));
  std::vector<T> out;
  Problems problems;
  std::size_t i = 0;
  for (py::handle item : value) {
    std::string at = "[" + std::to_string(i++) + "]";
    if (!py::isinstance<py::dict>(item)) {
      problems[at] = "expected a dict, got " + type_name(item);
      continue;
    }
    T parsed{};
    for (auto& [name, problem] : assign(table, parsed, py::reinterpret_borrow<py::dict>(item), ctx, {}, true))
      problems[at + "." + name] = problem;
    out.push_back(std::move(parsed));
  }
  if (!problems.empty()) throw FieldProblems(std::move(problems));
  return out;
}

template <class T>
py::list items_to(const FieldTable<T>& table, const std::vector<T>& items) {
  py::list out;
  for (const auto& item : items) out.append(to_dict(table, item));
  return out;
}

// Converts one plain argument (a clock's start, a timestamp) and names it if it is wrong.
template <class F>
auto convert_argument(const std::string& name, F&& convert) {
  try {
    return convert();
  } catch (const FieldProblems& bad) {
    raise_invalid("argument", {{name, bad.problems().begin()->second}}, {});
  }
}

}  // namespace salescore::python
