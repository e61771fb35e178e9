#include "host/json_fields.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <charconv>

namespace salescore::plugins {
namespace {

// A JSON scalar as text: numbers in their shortest exact form, so 1234.5 reads as
// "1234.5" and goes through the same parser as the string "1234.5".
std::optional<std::string> scalar_text(const Poco::Dynamic::Var& v) {
  if (v.isString()) return v.extract<std::string>();
  if (v.isInteger()) return std::to_string(v.convert<Poco::Int64>());
  if (v.isNumeric()) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.convert<double>());
    if (ec == std::errc()) return std::string(buf, end);
  }
  return std::nullopt;
}

}  // namespace

Result<JsonFields> JsonFields::parse(const std::string& json) {
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var root = parser.parse(json);
    if (root.type() != typeid(Poco::JSON::Object::Ptr))
      return Status::invalid("the record's JSON is not an object", {{"json", "not an object"}});
    return JsonFields(root.extract<Poco::JSON::Object::Ptr>(), "",
                      std::make_shared<std::map<std::string, std::string>>());
  } catch (const Poco::Exception& e) {
    return Status::invalid("the record's JSON cannot be parsed: " + e.displayText(), {{"json", e.displayText()}});
  } catch (const std::exception& e) {
    return Status::invalid(std::string("the record's JSON cannot be parsed: ") + e.what(), {{"json", e.what()}});
  }
}

bool JsonFields::has(const std::string& name) const { return object_->has(name); }

bool JsonFields::is_object(const std::string& name) const { return has(name) && object_->getObject(name); }

std::vector<std::string> JsonFields::names() const { return object_->getNames(); }

void JsonFields::error(const std::string& name, const std::string& problem) {
  errors_->emplace(path(name), problem);
}

Status JsonFields::to_status(const std::string& what) const { return fields_status(what, *errors_); }

Status fields_status(const std::string& what, const std::map<std::string, std::string>& errors) {
  if (errors.empty()) return Status::ok();
  std::string msg = "invalid " + what + ": ";
  bool first = true;
  for (const auto& [field, problem] : errors) {
    msg += (first ? "" : "; ") + field + ": " + problem;
    first = false;
  }
  return Status::invalid(msg, errors);
}

std::optional<std::string> JsonFields::text(const std::string& name) {
  if (!has(name)) return std::nullopt;
  Poco::Dynamic::Var v = object_->get(name);
  if (v.isEmpty()) return std::string();
  auto t = scalar_text(v);
  if (!t) error(name, "expected a string");
  return t;
}

std::optional<std::vector<std::string>> JsonFields::texts(const std::string& name) {
  if (!has(name)) return std::nullopt;
  std::vector<std::string> out;
  if (object_->get(name).isEmpty()) return out;
  auto array = object_->getArray(name);
  if (!array) {
    error(name, "expected an array of strings");
    return std::nullopt;
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    auto t = scalar_text(array->get(static_cast<unsigned>(i)));
    if (!t) error(name + "[" + std::to_string(i) + "]", "expected a string");
    else out.push_back(*t);
  }
  return out;
}

std::optional<std::map<std::string, std::string>> JsonFields::text_map(const std::string& name) {
  if (!has(name)) return std::nullopt;
  std::map<std::string, std::string> out;
  if (object_->get(name).isEmpty()) return out;
  auto obj = object_->getObject(name);
  if (!obj) {
    error(name, "expected an object of strings");
    return std::nullopt;
  }
  for (const auto& key : obj->getNames()) {
    auto t = scalar_text(obj->get(key));
    if (!t) error(name + "." + key, "expected a string");
    else out[key] = *t;
  }
  return out;
}

std::optional<std::int64_t> JsonFields::integer(const std::string& name) {
  auto t = text(name);
  if (!t) return std::nullopt;
  if (t->empty()) return 0;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(t->data(), t->data() + t->size(), v);
  if (ec != std::errc() || end != t->data() + t->size()) {
    error(name, "expected an integer, got '" + *t + "'");
    return std::nullopt;
  }
  return v;
}

std::optional<bool> JsonFields::boolean(const std::string& name) {
  if (!has(name)) return std::nullopt;
  Poco::Dynamic::Var v = object_->get(name);
  if (v.isEmpty()) return false;
  if (v.type() == typeid(bool)) return v.extract<bool>();
  auto t = scalar_text(v);
  if (t && (*t == "true" || *t == "1")) return true;
  if (t && (*t == "false" || *t == "0")) return false;
  error(name, "expected true or false");
  return std::nullopt;
}

std::optional<std::int64_t> JsonFields::amount(const std::string& name) {
  auto t = text(name);
  if (!t) return std::nullopt;
  if (t->empty()) return 0;
  auto a = parse_amount(*t);
  if (!a.ok()) {
    error(name, a.status().message());
    return std::nullopt;
  }
  return *a;
}

std::optional<Quantity> JsonFields::quantity(const std::string& name) {
  auto t = text(name);
  if (!t) return std::nullopt;
  if (t->empty()) return Quantity{};
  auto q = parse_quantity(*t);
  if (!q.ok()) {
    error(name, q.status().message());
    return std::nullopt;
  }
  return *q;
}

std::optional<Instant> JsonFields::instant(const std::string& name) {
  auto t = text(name);
  if (!t) return std::nullopt;
  if (t->empty()) return Instant{};
  auto i = parse_iso8601(*t);
  if (!i.ok()) {
    error(name, i.status().message());
    return std::nullopt;
  }
  return *i;
}

std::optional<JsonFields> JsonFields::object(const std::string& name) {
  if (!has(name) || object_->get(name).isEmpty()) return std::nullopt;
  auto obj = object_->getObject(name);
  if (!obj) {
    error(name, "expected an object");
    return std::nullopt;
  }
  return JsonFields(obj, path(name) + ".", errors_);
}

std::optional<std::vector<JsonFields>> JsonFields::objects(const std::string& name) {
  if (!has(name)) return std::nullopt;
  std::vector<JsonFields> out;
  if (object_->get(name).isEmpty()) return out;
  auto array = object_->getArray(name);
  if (!array) {
    error(name, "expected an array of objects");
    return std::nullopt;
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    auto obj = array->getObject(static_cast<unsigned>(i));
    const std::string at = name + "[" + std::to_string(i) + "]";
    if (!obj) error(at, "expected an object");
    else out.push_back(JsonFields(obj, path(at) + ".", errors_));
  }
  return out;
}

}  // namespace salescore::plugins
