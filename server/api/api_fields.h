// Field descriptions: what each field of a request or reply body is (type, whether it is
// required, its allowed values, an example). One table per entity (fields_*.cpp) serves
// both the body validation (BodyReader checks every read against the route's
// description) and the OpenAPI document (api_openapi.cpp renders them as JSON Schema),
// so the two cannot drift apart.
//
// Describing a route is a few lines in its routes_*.cpp:
//   .fields = {field::text("reason", "Why the deal was lost").required()},
//   .reply = Reply::record("Deal"),
// and an entity's table is a list of the same builders, registered by name
// (add_*_schemas). A bare name ({"reason"}) still compiles but counts as undescribed:
// tests/python/test_openapi.py fails naming the route until it is described.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "salescore/status.h"

namespace salescore::cli {

enum class FieldType {
  kUndescribed,  // a bare name: no checks, and the document says nothing about it
  kText,         // a string
  kId,           // a reference to a record: a positive int64 (null for none where nullable)
  kInteger,      // a whole number (int64)
  kBool,
  kAmount,       // money as a decimal string ("1234.50"), never a JSON number
  kQuantity,     // a decimal string ("2.5") or a whole number; replies write the string
  kInstant,      // ISO 8601 with offset (format date-time)
  kDate,         // YYYY-MM-DD (format date)
  kChoice,       // a string from a fixed set (enum)
  kTexts,        // an array of strings
  kIds,          // an array of record ids
  kTextMap,      // an object of strings ({"color": "red"})
  kObject,       // a nested object, described by `items`
  kObjects,      // an array of objects, each described by `items`
  kObjectMap,    // an object of objects ({"retail": {...}}), each described by `items`
  kAny,          // any JSON value (an event's payload as the engine wrote it)
};

const char* field_type_name(FieldType type);

struct FieldSpec {
  std::string name;
  FieldType type = FieldType::kUndescribed;
  std::string about;                  // one line for the document
  std::vector<std::string> choices;   // kChoice: the allowed values
  std::string example;                // JSON text; empty: none
  bool required = false;              // request: must be present; reply: always written
  bool nullable = false;              // null is a value (clears it, or "none")
  bool sometimes = false;             // reply: written only when set (an order line's product_id)
  std::vector<FieldSpec> items;       // kObject, kObjects, kObjectMap: the fields inside
  // kInteger: the smallest and largest values accepted. The readers (BodyReader,
  // QueryReader) refuse a value outside them, and the document writes them as minimum
  // and maximum, so the range said is the range checked.
  std::optional<std::int64_t> minimum, maximum;

  FieldSpec() = default;
  FieldSpec(const char* bare_name) : name(bare_name) {}       // NOLINT: undescribed
  FieldSpec(std::string bare_name) : name(std::move(bare_name)) {}  // NOLINT: undescribed

  FieldSpec& need() {
    required = true;
    return *this;
  }
  FieldSpec& or_null() {
    nullable = true;
    return *this;
  }
  FieldSpec& eg(std::string json) {
    example = std::move(json);
    return *this;
  }
  FieldSpec& when_set() {
    sometimes = true;
    return *this;
  }
  FieldSpec& range(std::int64_t lo, std::int64_t hi) {
    minimum = lo;
    maximum = hi;
    return *this;
  }
  bool described() const { return type != FieldType::kUndescribed; }
};

// The fields of one body (a route's request) or one record (a reply schema).
class Fields {
 public:
  Fields() = default;
  Fields(std::initializer_list<FieldSpec> specs) : specs_(specs) {}
  Fields(std::vector<FieldSpec> specs) : specs_(std::move(specs)) {}  // NOLINT
  // Bare names: undescribed (how routes were declared before descriptions).
  Fields(const std::vector<std::string>& names);  // NOLINT

  const std::vector<FieldSpec>& specs() const { return specs_; }
  bool empty() const { return specs_.empty(); }
  std::vector<std::string> names() const;
  const FieldSpec* find(std::string_view name) const;
  // A copy with the field of `spec`'s name described as `spec` (a request's own form of
  // a field, such as order lines without their computed amounts); required stays as it was.
  Fields with(FieldSpec spec) const;
  std::vector<FieldSpec>::const_iterator begin() const { return specs_.begin(); }
  std::vector<FieldSpec>::const_iterator end() const { return specs_.end(); }

 private:
  std::vector<FieldSpec> specs_;
};

// The fields `names` of an entity's table, in that order, for a route's request body.
// `need` names those the route requires (a create's client_id); the rest are optional.
// A name the table does not have comes back undescribed (the document test names it).
Fields pick(const Fields& entity, const std::vector<std::string>& names, const std::vector<std::string>& need = {});

// The values a model parser (parse_tier, ...) accepts, read from its own error message,
// so the document's enum is exactly what the server accepts.
std::vector<std::string> choices_of(const std::string& refusal);
template <class E>
std::vector<std::string> choices_of(Result<E> (*parse)(std::string_view)) {
  auto r = parse("\x01");
  return r.ok() ? std::vector<std::string>{} : choices_of(r.status().message());
}

// The builders the tables are written with.
namespace field {
FieldSpec text(std::string name, std::string about);
FieldSpec id(std::string name, std::string about);   // nullable: null means "none"
FieldSpec key(std::string name, std::string about);  // an id that is always set
FieldSpec integer(std::string name, std::string about);
FieldSpec boolean(std::string name, std::string about);
FieldSpec amount(std::string name, std::string about);
FieldSpec quantity(std::string name, std::string about);
FieldSpec instant(std::string name, std::string about);
FieldSpec date(std::string name, std::string about);
FieldSpec choice(std::string name, std::vector<std::string> values, std::string about);
template <class E>
FieldSpec choice(std::string name, Result<E> (*parse)(std::string_view), std::string about) {
  return choice(std::move(name), choices_of(parse), std::move(about));
}
FieldSpec texts(std::string name, std::string about);
FieldSpec ids(std::string name, std::string about);
FieldSpec text_map(std::string name, std::string about);
FieldSpec object(std::string name, std::vector<FieldSpec> inside, std::string about);
FieldSpec objects(std::string name, std::vector<FieldSpec> each, std::string about);
FieldSpec object_map(std::string name, std::vector<FieldSpec> each, std::string about);
FieldSpec any(std::string name, std::string about);
// The bookkeeping every stored record carries: id, created_at, updated_at.
FieldSpec record_id();
FieldSpec created_at();
FieldSpec updated_at();
// The key of a record an integration user wrote: its source and its id there (null: none).
FieldSpec source();
FieldSpec external_id();
}  // namespace field

// What a route answers on success.
struct Reply {
  enum class Shape { kUndescribed, kRecord, kPage, kText, kDocument };
  Shape shape = Shape::kUndescribed;
  std::string schema;  // a name of api_schemas() (kRecord, kPage); the media type (kText)

  static Reply record(std::string schema) { return {Shape::kRecord, std::move(schema)}; }
  static Reply page(std::string schema) { return {Shape::kPage, std::move(schema)}; }  // {"items":[...],"next"}
  static Reply text(std::string media_type) { return {Shape::kText, std::move(media_type)}; }
  static Reply document() { return {Shape::kDocument, {}}; }  // a JSON object of its own kind (this document)
};

// Every reply schema by name ("Client", "StageVisit"), each a record's fields as the
// server writes them (every field always present).
const std::map<std::string, Fields>& api_schemas();

// The tables of one part of the API (fields_*.cpp), added to `out`.
void add_party_schemas(std::map<std::string, Fields>& out);     // users, clients, contacts, products
void add_sales_schemas(std::map<std::string, Fields>& out);     // deals, orders, proposals, leads
void add_activity_schemas(std::map<std::string, Fields>& out);  // interactions, tasks, visits, events
void add_money_schemas(std::map<std::string, Fields>& out);     // payments, approvals, contracts, shipments, claims
void add_figure_schemas(std::map<std::string, Fields>& out);    // kpi, reports, plans, receivables, meta

// The entity tables request bodies pick their fields from.
const Fields& schema(const std::string& name);

}  // namespace salescore::cli
