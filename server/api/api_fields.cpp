#include "api/api_fields.h"

#include <algorithm>

namespace salescore::cli {

const char* field_type_name(FieldType type) {
  switch (type) {
    case FieldType::kUndescribed: return "undescribed";
    case FieldType::kText: return "text";
    case FieldType::kId: return "id";
    case FieldType::kInteger: return "integer";
    case FieldType::kBool: return "boolean";
    case FieldType::kAmount: return "amount";
    case FieldType::kQuantity: return "quantity";
    case FieldType::kInstant: return "instant";
    case FieldType::kDate: return "date";
    case FieldType::kChoice: return "choice";
    case FieldType::kTexts: return "texts";
    case FieldType::kIds: return "ids";
    case FieldType::kTextMap: return "text map";
    case FieldType::kObject: return "object";
    case FieldType::kObjects: return "objects";
    case FieldType::kObjectMap: return "object map";
    case FieldType::kAny: return "any";
  }
  return "?";
}

Fields::Fields(const std::vector<std::string>& names) {
  specs_.reserve(names.size());
  for (const auto& n : names) specs_.emplace_back(n);
}

std::vector<std::string> Fields::names() const {
  std::vector<std::string> out;
  out.reserve(specs_.size());
  for (const auto& s : specs_) out.push_back(s.name);
  return out;
}

const FieldSpec* Fields::find(std::string_view name) const {
  for (const auto& s : specs_)
    if (s.name == name) return &s;
  return nullptr;
}

Fields Fields::with(FieldSpec spec) const {
  Fields out = *this;
  for (FieldSpec& s : out.specs_)
    if (s.name == spec.name) {
      spec.required = s.required;
      s = std::move(spec);
      break;
    }
  return out;
}

Fields pick(const Fields& entity, const std::vector<std::string>& names, const std::vector<std::string>& need) {
  std::vector<FieldSpec> out;
  out.reserve(names.size());
  for (const auto& n : names) {
    const FieldSpec* s = entity.find(n);
    FieldSpec spec = s ? *s : FieldSpec(n);
    // A reply writes every field; a request requires only what the route says.
    spec.required = std::find(need.begin(), need.end(), n) != need.end();
    out.push_back(std::move(spec));
  }
  return Fields(std::move(out));
}

// The model's parsers end their refusal with "(expected one of: a, b, c)" or
// "(expected a, b or c)".
std::vector<std::string> choices_of(const std::string& refusal) {
  std::vector<std::string> out;
  auto at = refusal.rfind("(expected ");
  if (at == std::string::npos) return out;
  at += std::string("(expected ").size();
  if (refusal.compare(at, 8, "one of: ") == 0) at += 8;
  const auto end = refusal.find(')', at);
  std::string list = refusal.substr(at, end == std::string::npos ? std::string::npos : end - at);
  if (auto last = list.rfind(" or "); last != std::string::npos) list.replace(last, 4, ", ");
  std::size_t from = 0;
  while (from <= list.size()) {
    auto comma = list.find(", ", from);
    if (comma == std::string::npos) comma = list.size();
    if (comma > from) out.push_back(list.substr(from, comma - from));
    from = comma + 2;
  }
  return out;
}

namespace field {
namespace {
FieldSpec make(std::string name, FieldType type, std::string about, std::string example = {}) {
  FieldSpec s(std::move(name));
  s.type = type;
  s.about = std::move(about);
  s.example = std::move(example);
  return s;
}
}  // namespace

FieldSpec text(std::string name, std::string about) { return make(std::move(name), FieldType::kText, std::move(about)); }
FieldSpec id(std::string name, std::string about) {
  return make(std::move(name), FieldType::kId, std::move(about), "42").or_null();
}
FieldSpec key(std::string name, std::string about) {
  return make(std::move(name), FieldType::kId, std::move(about), "42");
}
FieldSpec integer(std::string name, std::string about) {
  return make(std::move(name), FieldType::kInteger, std::move(about));
}
FieldSpec boolean(std::string name, std::string about) {
  return make(std::move(name), FieldType::kBool, std::move(about));
}
FieldSpec amount(std::string name, std::string about) {
  return make(std::move(name), FieldType::kAmount, std::move(about), "\"1234.50\"");
}
FieldSpec quantity(std::string name, std::string about) {
  return make(std::move(name), FieldType::kQuantity, std::move(about), "\"2.5\"");
}
FieldSpec instant(std::string name, std::string about) {
  return make(std::move(name), FieldType::kInstant, std::move(about), "\"2026-11-30T09:15:00+03:00\"");
}
FieldSpec date(std::string name, std::string about) {
  return make(std::move(name), FieldType::kDate, std::move(about), "\"2026-11-30\"");
}
FieldSpec choice(std::string name, std::vector<std::string> values, std::string about) {
  FieldSpec s = make(std::move(name), FieldType::kChoice, std::move(about));
  s.choices = std::move(values);
  return s;
}
FieldSpec texts(std::string name, std::string about) {
  return make(std::move(name), FieldType::kTexts, std::move(about));
}
FieldSpec ids(std::string name, std::string about) { return make(std::move(name), FieldType::kIds, std::move(about)); }
FieldSpec text_map(std::string name, std::string about) {
  return make(std::move(name), FieldType::kTextMap, std::move(about));
}
FieldSpec object(std::string name, std::vector<FieldSpec> inside, std::string about) {
  FieldSpec s = make(std::move(name), FieldType::kObject, std::move(about));
  s.items = std::move(inside);
  return s;
}
FieldSpec objects(std::string name, std::vector<FieldSpec> each, std::string about) {
  FieldSpec s = make(std::move(name), FieldType::kObjects, std::move(about));
  s.items = std::move(each);
  return s;
}
FieldSpec object_map(std::string name, std::vector<FieldSpec> each, std::string about) {
  FieldSpec s = make(std::move(name), FieldType::kObjectMap, std::move(about));
  s.items = std::move(each);
  return s;
}
FieldSpec any(std::string name, std::string about) { return make(std::move(name), FieldType::kAny, std::move(about)); }
FieldSpec record_id() { return make("id", FieldType::kId, "The record's id", "42"); }
FieldSpec created_at() { return instant("created_at", "When the record was created"); }
FieldSpec updated_at() { return instant("updated_at", "When the record last changed"); }
FieldSpec source() { return text("source", "The integration user's source the record came from").or_null(); }
FieldSpec external_id() { return text("external_id", "The record's id in that source system").or_null(); }
}  // namespace field

const std::map<std::string, Fields>& api_schemas() {
  static const std::map<std::string, Fields> schemas = [] {
    std::map<std::string, Fields> out;
    add_party_schemas(out);
    add_sales_schemas(out);
    add_activity_schemas(out);
    add_money_schemas(out);
    add_figure_schemas(out);
    return out;
  }();
  return schemas;
}

const Fields& schema(const std::string& name) {
  static const Fields none;
  const auto& all = api_schemas();
  auto it = all.find(name);
  return it == all.end() ? none : it->second;
}

}  // namespace salescore::cli
