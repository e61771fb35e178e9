// Each record as an ordered list of named fields. One description per aggregate serves
// the event payloads, the "changed fields" of update events, idempotent upserts (an
// upsert with no changed field is a no-op), the JSON and CSV exports, and the server.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "salescore/connectors.h"
#include "salescore/model.h"

namespace salescore {

struct Field {
  enum class Kind { kNull, kNumber, kBool, kString, kJson };
  std::string name;
  Kind kind = Kind::kNull;
  std::string text;  // number digits, string content, or raw JSON for kJson
  bool operator==(const Field&) const = default;
};

class FieldList {
 public:
  // Room for a whole record up front: grown one field at a time, the list was moved
  // five times on the way to a client's 25 fields (every API read and event builds one).
  FieldList() { fields_.reserve(32); }
  void null(std::string name) { fields_.push_back({std::move(name), Field::Kind::kNull, {}}); }
  void number(std::string name, std::int64_t v) {
    fields_.push_back({std::move(name), Field::Kind::kNumber, std::to_string(v)});
  }
  // 0 means "no reference" and is written as null.
  void id(std::string name, Id v) { v ? number(std::move(name), v) : null(std::move(name)); }
  void boolean(std::string name, bool v) {
    fields_.push_back({std::move(name), Field::Kind::kBool, v ? "true" : "false"});
  }
  void string(std::string name, std::string v) {
    fields_.push_back({std::move(name), Field::Kind::kString, std::move(v)});
  }
  void json(std::string name, std::string raw) {
    fields_.push_back({std::move(name), Field::Kind::kJson, std::move(raw)});
  }
  void instant(std::string name, Instant t) { string(std::move(name), format_iso8601(t)); }
  void instant(std::string name, const std::optional<Instant>& t) {
    t ? instant(std::move(name), *t) : null(std::move(name));
  }
  void amount(std::string name, std::int64_t minor) { string(std::move(name), format_amount(minor)); }

  const std::vector<Field>& fields() const { return fields_; }
  std::string to_json() const;

 private:
  std::vector<Field> fields_;
};

// Field names that are bookkeeping, not content: an upsert ignores them when deciding
// whether anything changed.
bool is_bookkeeping_field(std::string_view name);

FieldList fields_of(const User& u);
FieldList fields_of(const DeadLetter& d);
FieldList fields_of(const Client& c);
FieldList fields_of(const Contact& c);
FieldList fields_of(const Product& p);
FieldList fields_of(const Deal& d);
FieldList fields_of(const Order& o);
FieldList fields_of(const Interaction& i);
FieldList fields_of(const Task& t);
FieldList fields_of(const Event& e);
FieldList fields_of(const Absence& a);
FieldList fields_of(const Lead& l);

// {"field": [old, new], ...} for every content field that differs; empty string when
// nothing does.
std::string changed_fields_json(const FieldList& before, const FieldList& after);

// A product's event payloads, written straight from its members: the same text as
// fields_of(p).to_json() and changed_fields_json(fields_of(before), fields_of(after)),
// without building the two field lists per write (a 1C catalog import writes 100,000 of
// them; bench/run onec).
std::string product_json(const Product& p);
std::string product_changes_json(const Product& before, const Product& after);

// JSON text of the nested values records carry, shared by storage and the API.
std::string json_of(const std::vector<std::string>& items);
std::string json_of(const std::map<std::string, std::string>& map);
std::string json_of(const std::vector<Address>& addresses);

// `s` as a JSON string literal, quotes included; invalid UTF-8 becomes U+FFFD so the
// output is always valid JSON. (Defined with the engine's JSON text helpers.)
std::string json_string(std::string_view s);
// The same, appended to `out` (no temporary string).
void append_json_string(std::string& out, std::string_view s);

// JSON value text of one field ("null", "42", "\"x\"", raw).
std::string field_json_value(const Field& f);

}  // namespace salescore
