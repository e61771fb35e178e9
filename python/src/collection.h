// One generic binding for the engine's services. Each service gets the methods it
// actually has (detected with requires-expressions), so a collection in Python never
// offers a call the engine cannot answer.
//
// Native methods take the acting user first: the Python Engine keeps it in one place and
// passes it on every call. Writes return (record dict, outcome, possible duplicate ids).
#pragma once

#include <pybind11/pybind11.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "fields.h"
#include "native_engine.h"

namespace salescore::python {

// The Python object for one service of one engine.
template <class Service>
struct NativeCollection {
  explicit NativeCollection(NativeEngineRef e) : engine(std::move(e)) {}
  NativeEngineRef engine;
};

struct NoPatch {};
struct NoQuery {};

template <class Service, class Record, class Patch = NoPatch, class Query = NoQuery>
struct CollectionSpec {
  const char* entity;  // "client": names what is invalid in errors
  Service& (Engine::*service)();
  const FieldTable<Record>* record;
  const FieldTable<Patch>* patch = nullptr;
  const FieldTable<Query>* query = nullptr;
};

template <class T>
py::tuple write_result(const FieldTable<T>& table, const Saved<T>& saved) {
  return py::make_tuple(to_dict(table, saved.record), write_outcome_name(saved.outcome),
                        py::cast(saved.possible_duplicates));
}

// Services that answer a plain record (contacts, tasks, users) did what was asked.
template <class T>
py::tuple write_result(const FieldTable<T>& table, const T& record, WriteOutcome outcome) {
  return py::make_tuple(to_dict(table, record), write_outcome_name(outcome), py::list());
}

template <class T>
py::tuple write_result(const FieldTable<T>& table, const Saved<T>& saved, WriteOutcome) {
  return write_result(table, saved);
}

// Keyset pagination over a list the service returns whole (users, a client's contacts).
template <class T>
std::vector<T> page_of(std::vector<T> all, Id after_id, int limit) {
  std::sort(all.begin(), all.end(), [](const T& a, const T& b) { return a.id < b.id; });
  std::vector<T> out;
  for (auto& item : all) {
    if (item.id <= after_id) continue;
    if (limit > 0 && static_cast<int>(out.size()) >= limit) break;
    out.push_back(std::move(item));
  }
  return out;
}

template <class T>
py::list dicts_of(const FieldTable<T>& table, const std::vector<T>& records) {
  py::list out;
  for (const auto& r : records) out.append(to_dict(table, r));
  return out;
}

// The keyword arguments a write or a filter takes: the table's fields the caller may set.
// Exposed to Python as the class's `_keywords` ({"add": [...], "update": [...], ...}),
// which tests/python/test_stubs.py holds the typed stubs' keywords to.
template <class T>
py::list keyword_names(const FieldTable<T>& table) {
  py::list out;
  for (const auto& f : table)
    if (f.write) out.append(f.name);
  return out;
}

template <class Service, class Record, class Patch, class Query>
py::class_<NativeCollection<Service>> bind_collection(py::module_& m, const char* class_name,
                                                      CollectionSpec<Service, Record, Patch, Query> spec) {
  using Native = NativeCollection<Service>;
  py::class_<Native> cls(m, class_name);
  py::dict keywords;
  cls.def(py::init<NativeEngineRef>(), py::arg("engine"));

  cls.def("get", [spec](const Native& c, Actor actor, Id id) {
    Record r = c.engine->call([&](Engine& e) { return (e.*spec.service)().get(actor, id); });
    return to_dict(*spec.record, r);
  });

  if constexpr (requires(Service& s, Actor a, Record r) { s.add(a, std::move(r)); }) {
    cls.def("add", [spec](const Native& c, Actor actor, const py::dict& fields) {
      Record r{};
      assign_or_raise(*spec.record, r, fields, c.engine->context(), spec.entity);
      auto written = c.engine->call([&](Engine& e) { return (e.*spec.service)().add(actor, std::move(r)); });
      return write_result(*spec.record, written, WriteOutcome::kCreated);
    });
    keywords["add"] = keyword_names(*spec.record);
  }

  if constexpr (requires(Service& s, Actor a, Record r) { s.upsert(a, std::move(r)); }) {
    cls.def("upsert", [spec](const Native& c, Actor actor, const py::dict& fields) {
      Record r{};
      assign_or_raise(*spec.record, r, fields, c.engine->context(), spec.entity);
      auto written = c.engine->call([&](Engine& e) { return (e.*spec.service)().upsert(actor, std::move(r)); });
      return write_result(*spec.record, written);
    });
    keywords["upsert"] = keyword_names(*spec.record);
  }

  if constexpr (requires(Service& s, Actor a, Id id, const Patch& p) { s.update(a, id, p); }) {
    std::set<std::string> fixed;
    for (const auto& name : names_of(*spec.record)) fixed.insert(name);
    cls.def("update", [spec, fixed](const Native& c, Actor actor, Id id, const py::dict& fields) {
      Patch patch{};
      assign_or_raise(*spec.patch, patch, fields, c.engine->context(), spec.entity + std::string(" update"),
                      fixed);
      auto written = c.engine->call([&](Engine& e) { return (e.*spec.service)().update(actor, id, patch); });
      return write_result(*spec.record, written, WriteOutcome::kUpdated);
    });
    keywords["update"] = keyword_names(*spec.patch);
  }

  if constexpr (requires(Service& s, Actor a, Query q) {
                  s.find(a, q);
                  q.page;
                }) {
    cls.def("find", [spec](const Native& c, Actor actor, const py::dict& filters, Id after_id, int limit) {
      Query q{};
      assign_or_raise(*spec.query, q, filters, c.engine->context(), spec.entity + std::string(" filter"));
      q.page = Page{after_id, limit};
      auto found = c.engine->call([&](Engine& e) { return (e.*spec.service)().find(actor, q); });
      return dicts_of(*spec.record, found);
    });
    keywords["find"] = keyword_names(*spec.query);
  }

  if constexpr (requires(Service& s, Actor a, Query q) { s.count(a, q); }) {
    cls.def("count", [spec](const Native& c, Actor actor, const py::dict& filters) {
      Query q{};
      assign_or_raise(*spec.query, q, filters, c.engine->context(), spec.entity + std::string(" filter"));
      return c.engine->call([&](Engine& e) { return (e.*spec.service)().count(actor, q); });
    });
  }
  cls.attr("_keywords") = keywords;
  return cls;
}

}  // namespace salescore::python
