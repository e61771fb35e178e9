// Reading a record's JSON object field by field, collecting every problem under the
// field's name ("lines[2].price") so that one dead letter says everything that is
// wrong with the record. A field that is absent reads as nullopt (keep what salescore
// has); a field that is null reads as its empty value (clear it).
#pragma once

#include <Poco/JSON/Object.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "salescore/values.h"

namespace salescore::plugins {

// kInvalidArgument "invalid <what>: field: problem; ..." naming every bad field, or OK.
Status fields_status(const std::string& what, const std::map<std::string, std::string>& errors);

class JsonFields {
 public:
  // Parses `json`, which must be one JSON object.
  static Result<JsonFields> parse(const std::string& json);

  bool has(const std::string& name) const;
  bool is_object(const std::string& name) const;
  std::vector<std::string> names() const;
  std::optional<std::string> text(const std::string& name);  // numbers are accepted as text
  std::optional<std::vector<std::string>> texts(const std::string& name);
  std::optional<std::map<std::string, std::string>> text_map(const std::string& name);
  std::optional<std::int64_t> integer(const std::string& name);
  std::optional<bool> boolean(const std::string& name);
  std::optional<std::int64_t> amount(const std::string& name);  // "1234.50" or 1234.5 -> minor units
  std::optional<Quantity> quantity(const std::string& name);
  std::optional<Instant> instant(const std::string& name);      // ISO 8601
  // A nested object, or the elements of an array of objects, reported under
  // "name.field" / "name[i].field".
  std::optional<JsonFields> object(const std::string& name);
  std::optional<std::vector<JsonFields>> objects(const std::string& name);

  void error(const std::string& name, const std::string& problem);
  // kInvalidArgument naming every bad field, or OK.
  Status to_status(const std::string& what) const;

 private:
  JsonFields(Poco::JSON::Object::Ptr object, std::string prefix,
             std::shared_ptr<std::map<std::string, std::string>> errors)
      : object_(std::move(object)), prefix_(std::move(prefix)), errors_(std::move(errors)) {}
  std::string path(const std::string& name) const { return prefix_ + name; }

  Poco::JSON::Object::Ptr object_;
  std::string prefix_;
  std::shared_ptr<std::map<std::string, std::string>> errors_;  // shared with nested readers
};

}  // namespace salescore::plugins
