#include "api/api_body.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>

namespace salescore::cli {

Result<BodyReader> BodyReader::parse(const std::string& body) {
  if (!is_valid_utf8(body))
    return Status::invalid("the request body is not valid UTF-8", {{"body", "not valid UTF-8"}});
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var root = parser.parse(body);
    if (root.type() != typeid(Poco::JSON::Object::Ptr))
      return Status::invalid("the request body must be a JSON object", {{"body", "not a JSON object"}});
    return BodyReader(root.extract<Poco::JSON::Object::Ptr>(), "",
                      std::make_shared<std::map<std::string, std::string>>());
  } catch (const Poco::Exception& e) {
    return Status::invalid("the request body is not valid JSON: " + e.displayText(), {{"body", "malformed JSON"}});
  } catch (const std::exception& e) {
    return Status::invalid(std::string("the request body is not valid JSON: ") + e.what(),
                           {{"body", "malformed JSON"}});
  }
}

BodyReader BodyReader::empty() {
  return BodyReader(new Poco::JSON::Object, "", std::make_shared<std::map<std::string, std::string>>());
}

void BodyReader::allow_only(const std::vector<std::string>& writable) {
  for (const auto& name : object_->getNames())
    if (std::find(writable.begin(), writable.end(), name) == writable.end())
      error(name, "unknown or read-only field");
}

bool BodyReader::has(const std::string& name) const { return object_->has(name); }

void BodyReader::error(const std::string& name, const std::string& problem) {
  errors_->emplace(prefix_ + name, problem);
}

Status BodyReader::status(const std::string& what) const {
  if (!drift_->empty()) return Status::internal("the " + what + " route disagrees with its description: " + *drift_);
  if (errors_->empty()) return Status::ok();
  std::string msg = "invalid " + what + ": ";
  bool first = true;
  for (const auto& [field, problem] : *errors_) {
    msg += (first ? "" : "; ") + field + ": " + problem;
    first = false;
  }
  return Status::invalid(msg, *errors_);
}

std::optional<std::string> BodyReader::string_value(const std::string& name, bool null_is_empty) {
  if (!has(name)) return std::nullopt;
  Poco::Dynamic::Var v = object_->get(name);
  if (v.isEmpty()) {
    if (null_is_empty) return std::string();
    error(name, "may not be null");
    return std::nullopt;
  }
  if (!v.isString()) {
    error(name, "expected a string");
    return std::nullopt;
  }
  return v.extract<std::string>();
}

std::optional<std::string> BodyReader::text(const std::string& name) {
  expect(name, {FieldType::kText, FieldType::kChoice, FieldType::kDate}, "text");
  return string_value(name, true);
}

std::string BodyReader::required_text(const std::string& name) {
  const FieldSpec* spec = expect(name, {FieldType::kText, FieldType::kChoice, FieldType::kDate}, "required text");
  if (spec && !spec->required)
    drift(name + " is required by the route but not described so");
  auto t = string_value(name, true);
  if (!t || t->empty()) error(name, "required");
  return t.value_or("");
}

bool BodyReader::each_item(const std::string& name, const std::string& expected,
                           const std::function<bool(const Poco::Dynamic::Var&)>& take) {
  auto array = object_->getArray(name);
  if (!array) {
    error(name, "expected an array of " + expected + "s");
    return false;
  }
  bool ok = true;
  for (std::size_t i = 0; i < array->size(); ++i) {
    if (take(array->get(static_cast<unsigned>(i)))) continue;
    error(name + "[" + std::to_string(i) + "]", "expected a " + expected);
    ok = false;
  }
  return ok;
}

std::optional<std::vector<std::string>> BodyReader::texts(const std::string& name) {
  expect(name, {FieldType::kTexts}, "texts");
  if (!has(name)) return std::nullopt;
  std::vector<std::string> out;
  if (object_->get(name).isEmpty()) return out;
  bool ok = each_item(name, "string", [&](const Poco::Dynamic::Var& v) {
    if (v.isString()) out.push_back(v.extract<std::string>());
    return v.isString();
  });
  return ok ? std::optional(out) : std::nullopt;
}

std::optional<std::vector<Id>> BodyReader::ids(const std::string& name) {
  if (!has(name)) return std::nullopt;
  std::vector<Id> out;
  bool ok = each_item(name, "record id", [&](const Poco::Dynamic::Var& v) {
    Id id = 0;
    try {
      if (v.isInteger()) id = v.convert<Poco::Int64>();
    } catch (const Poco::Exception&) {  // past INT64_MAX
    }
    if (id > 0) out.push_back(id);
    return id > 0;
  });
  return ok ? std::optional(out) : std::nullopt;
}

std::optional<std::map<std::string, std::string>> BodyReader::text_map(const std::string& name) {
  expect(name, {FieldType::kTextMap}, "text map");
  if (!has(name)) return std::nullopt;
  std::map<std::string, std::string> out;
  if (object_->get(name).isEmpty()) return out;
  auto obj = object_->getObject(name);
  if (!obj) {
    error(name, "expected an object of strings");
    return std::nullopt;
  }
  bool ok = true;
  for (const auto& key : obj->getNames()) {
    Poco::Dynamic::Var v = obj->get(key);
    if (!v.isString()) {
      error(name + "." + key, "expected a string");
      ok = false;
    } else {
      out[key] = v.extract<std::string>();
    }
  }
  return ok ? std::optional(out) : std::nullopt;
}

std::optional<std::int64_t> BodyReader::integer(const std::string& name, std::int64_t min, std::int64_t max) {
  if (min != 1 || max != INT64_MAX) {  // else id() checked it
    // The described range wins over the code's: the document says what is checked.
    if (const FieldSpec* spec = expect(name, {FieldType::kInteger}, "integer")) {
      min = spec->minimum.value_or(min);
      max = spec->maximum.value_or(max);
    }
  }
  if (!has(name)) return std::nullopt;
  Poco::Dynamic::Var v = object_->get(name);
  if (v.isEmpty() || !v.isInteger()) {
    error(name, "expected a whole number");
    return std::nullopt;
  }
  try {
    const auto n = v.convert<Poco::Int64>();
    if (n < min || n > max) {
      error(name, "out of range (" + std::to_string(min) + ".." + std::to_string(max) + ")");
      return std::nullopt;
    }
    return n;
  } catch (const Poco::Exception&) {
    // An unsigned 64-bit number past INT64_MAX: Poco keeps it as UInt64.
    error(name, "out of range (" + std::to_string(min) + ".." + std::to_string(max) + ")");
    return std::nullopt;
  }
}

std::optional<Id> BodyReader::id(const std::string& name) {
  expect(name, {FieldType::kId}, "id");
  if (!has(name)) return std::nullopt;
  if (object_->get(name).isEmpty()) return Id{0};
  return integer(name, 1, INT64_MAX);
}

std::optional<bool> BodyReader::boolean(const std::string& name) {
  expect(name, {FieldType::kBool}, "boolean");
  if (!has(name)) return std::nullopt;
  Poco::Dynamic::Var v = object_->get(name);
  if (v.type() != typeid(bool)) {
    error(name, "expected true or false");
    return std::nullopt;
  }
  return v.extract<bool>();
}

std::optional<std::int64_t> BodyReader::amount(const std::string& name) {
  expect(name, {FieldType::kAmount}, "amount");
  if (has(name) && object_->get(name).isNumeric()) {
    error(name, "expected a decimal string such as \"1234.50\"");
    return std::nullopt;
  }
  auto t = string_value(name, false);
  if (!t) return std::nullopt;
  auto a = parse_amount(*t);
  if (!a.ok()) {
    error(name, a.status().message());
    return std::nullopt;
  }
  return *a;
}

std::optional<Money> BodyReader::money(const std::string& amount_name, const std::string& currency_name) {
  auto amount = this->amount(amount_name);
  expect(currency_name, {FieldType::kText, FieldType::kChoice}, "currency");
  auto currency = string_value(currency_name, true);
  if (currency && !has(amount_name)) error(amount_name, "required with " + currency_name);
  if (!amount && !currency) return std::nullopt;
  return Money{amount.value_or(0), currency.value_or("")};
}

std::optional<Quantity> BodyReader::quantity(const std::string& name) {
  expect(name, {FieldType::kQuantity}, "quantity");
  if (!has(name)) return std::nullopt;
  Poco::Dynamic::Var v = object_->get(name);
  std::string text;
  if (v.isInteger()) {
    try {
      text = std::to_string(v.convert<Poco::Int64>());
    } catch (const Poco::Exception&) {
      error(name, "out of range");
      return std::nullopt;
    }
  } else if (v.isString()) {
    text = v.extract<std::string>();
  } else {
    error(name, "expected a decimal string such as \"2.5\" or a whole number");
    return std::nullopt;
  }
  auto q = parse_quantity(text);
  if (!q.ok()) {
    error(name, q.status().message());
    return std::nullopt;
  }
  return *q;
}

std::optional<Instant> BodyReader::instant(const std::string& name) {
  expect(name, {FieldType::kInstant, FieldType::kDate}, "instant");
  return parse_instant(name);
}

std::optional<Instant> BodyReader::parse_instant(const std::string& name) {
  auto t = string_value(name, false);
  if (!t) return std::nullopt;
  auto i = parse_iso8601(*t);
  if (!i.ok()) {
    error(name, i.status().message());
    return std::nullopt;
  }
  return *i;
}

std::optional<std::optional<Instant>> BodyReader::nullable_instant(const std::string& name) {
  const FieldSpec* spec = expect(name, {FieldType::kInstant, FieldType::kDate}, "nullable instant");
  if (spec && !spec->nullable)
    drift(name + " may be null for the route but is not described so");
  if (!has(name)) return std::nullopt;
  if (object_->get(name).isEmpty()) return std::optional<Instant>();
  auto i = parse_instant(name);
  if (!i) return std::nullopt;
  return std::optional<Instant>(*i);
}

void BodyReader::objects(const std::string& name, const std::function<void(BodyReader&)>& read) {
  const FieldSpec* spec = expect(name, {FieldType::kObjects}, "objects");
  if (!has(name)) return;
  auto array = object_->getArray(name);
  if (!array) {
    error(name, "expected an array of objects");
    return;
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    auto obj = array->getObject(static_cast<unsigned>(i));
    const std::string at = name + "[" + std::to_string(i) + "]";
    if (!obj) {
      error(at, "expected an object");
      continue;
    }
    BodyReader inner = nested(obj, at + ".", spec);
    read(inner);
  }
}

void BodyReader::object_entries(const std::string& name,
                                const std::function<void(const std::string& key, BodyReader&)>& read) {
  const FieldSpec* spec = expect(name, {FieldType::kObjectMap}, "object map");
  if (!has(name)) return;
  auto obj = object_->getObject(name);
  if (!obj) {
    error(name, "expected an object");
    return;
  }
  for (const auto& key : obj->getNames()) {
    auto entry = obj->getObject(key);
    if (!entry) {
      error(name + "." + key, "expected an object");
      continue;
    }
    BodyReader inner = nested(entry, name + "." + key + ".", spec);
    read(key, inner);
  }
}

}  // namespace salescore::cli
