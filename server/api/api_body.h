// Reading a request's JSON body strictly: the body must be valid UTF-8 and one JSON
// object, every field must be on the route's allow-list (ids, audit fields and source
// keys never are), and every value must have the field's type. Problems are collected
// under the field's name so one 400 names all of them.
//
// Absent fields read as nullopt (a PATCH keeps them); null reads as the empty value
// (clears them) where the field may be empty.
#pragma once

#include <Poco/JSON/Object.h>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "api/api_fields.h"
#include "salescore/model.h"

namespace salescore::cli {

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool is_valid_utf8(std::string_view text);

class BodyReader {
 public:
  // kInvalidArgument for invalid UTF-8, malformed JSON or anything but an object.
  static Result<BodyReader> parse(const std::string& body);
  // A reader of an empty object, for actions whose body is optional.
  static BodyReader empty();

  // Reports every field of the body that is not in `writable` as an error.
  void allow_only(const std::vector<std::string>& writable);
  // Holds the body to its description: refuses fields outside it, requires the required
  // ones, and from then on checks that every read matches the described type (a route
  // reading "amount" as text while the document says decimal string is a bug: the
  // status turns kInternal naming it, and tests/python/test_openapi.py meets it on every
  // route). Undescribed fields (bare names) are not checked.
  void describe(const Fields& fields);
  bool has(const std::string& name) const;

  std::optional<std::string> text(const std::string& name);
  // A text the action cannot do without: an error "required" when absent or empty.
  std::string required_text(const std::string& name);
  std::optional<std::vector<std::string>> texts(const std::string& name);
  // A list of record ids ([12, 15]): each a positive whole number.
  std::optional<std::vector<Id>> ids(const std::string& name);
  std::optional<std::map<std::string, std::string>> text_map(const std::string& name);
  // A reference to another record: a positive whole number, or null for none (0).
  std::optional<Id> id(const std::string& name);
  std::optional<std::int64_t> integer(const std::string& name, std::int64_t min, std::int64_t max);
  std::optional<bool> boolean(const std::string& name);
  // A decimal string ("1234.50"); a JSON number is refused because it may not be exact.
  std::optional<std::int64_t> amount(const std::string& name);
  std::optional<Quantity> quantity(const std::string& name);  // "2.5" or a whole number
  // A sum and its currency, given as two fields ("expected_amount" and "currency"):
  // nullopt when neither is there; a currency without its sum is an error. An empty
  // currency means the record's or the configured one (the engine decides).
  std::optional<Money> money(const std::string& amount_name, const std::string& currency_name);
  std::optional<Instant> instant(const std::string& name);    // ISO 8601 with offset
  // An instant that may be cleared with null.
  std::optional<std::optional<Instant>> nullable_instant(const std::string& name);
  // A name from a fixed set, parsed by the model's parser (parse_tier, ...).
  template <class E>
  std::optional<E> choice(const std::string& name, Result<E> (*parse)(std::string_view)) {
    // The described values must be exactly what the parser accepts.
    if (const FieldSpec* spec = expect(name, {FieldType::kChoice}, "choice"); spec && spec->choices != choices_of(parse))
      drift(name + " is described with other values than it accepts");
    auto t = string_value(name, true);
    if (!t) return std::nullopt;
    auto v = parse(*t);
    if (!v.ok()) {
      error(name, v.status().message());
      return std::nullopt;
    }
    return *v;
  }
  // The elements of an array of objects, each read by `read` with errors reported as
  // "name[i].field".
  void objects(const std::string& name, const std::function<void(BodyReader&)>& read);
  // The entries of an object of objects ({"retail": {...}, ...}), each read by `read`
  // with errors reported as "name.key.field".
  void object_entries(const std::string& name,
                      const std::function<void(const std::string& key, BodyReader&)>& read);

  void error(const std::string& name, const std::string& problem);
  // kInvalidArgument naming every bad field, or OK.
  Status status(const std::string& what) const;

 private:
  BodyReader(Poco::JSON::Object::Ptr object, std::string prefix,
             std::shared_ptr<std::map<std::string, std::string>> errors,
             std::shared_ptr<std::string> drift = std::make_shared<std::string>())
      : object_(std::move(object)), prefix_(std::move(prefix)), errors_(std::move(errors)), drift_(std::move(drift)) {}
  std::optional<std::string> string_value(const std::string& name, bool null_is_empty);
  // The description of `name` when the read `as` agrees with it; records the drift
  // otherwise. nullptr when the body is not described.
  const FieldSpec* expect(const std::string& name, std::initializer_list<FieldType> as, const char* read);
  BodyReader nested(Poco::JSON::Object::Ptr object, const std::string& at, const FieldSpec* spec) const;
  void drift(const std::string& what);  // `what` is "name ...": the field, then the disagreement
  std::optional<Instant> parse_instant(const std::string& name);  // the value, read and parsed
  // Calls `take` on each item of the array `name`; an item it refuses is reported as not
  // a `expected`. False when anything was refused.
  bool each_item(const std::string& name, const std::string& expected,
                 const std::function<bool(const Poco::Dynamic::Var&)>& take);

  Poco::JSON::Object::Ptr object_;
  std::string prefix_;
  std::shared_ptr<std::map<std::string, std::string>> errors_;
  std::shared_ptr<std::string> drift_;     // reads that disagree with the description
  std::shared_ptr<const Fields> described_;  // null: not described
};

}  // namespace salescore::cli
