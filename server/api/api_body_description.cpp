// BodyReader held to a route's field description (api_fields.h): the half of the reader
// that keeps the OpenAPI document and the validation the same.
#include "api/api_body.h"

namespace salescore::cli {

void BodyReader::describe(const Fields& fields) {
  bool any = false;
  for (const FieldSpec& f : fields) any = any || f.described();
  if (!any) {
    allow_only(fields.names());
    return;
  }
  described_ = std::make_shared<const Fields>(fields);
  allow_only(fields.names());
  for (const FieldSpec& f : fields)
    if (f.required && !has(f.name)) error(f.name, "required");
}

void BodyReader::drift(const std::string& what) { *drift_ += (drift_->empty() ? "" : "; ") + prefix_ + what; }

const FieldSpec* BodyReader::expect(const std::string& name, std::initializer_list<FieldType> as, const char* read) {
  if (!described_) return nullptr;
  const FieldSpec* spec = described_->find(name);
  if (!spec) {
    drift(name + " is read (" + read + ") but not described");
    return nullptr;
  }
  if (!spec->described()) return nullptr;
  for (FieldType t : as)
    if (spec->type == t) return spec;
  drift(name + " is described as " + field_type_name(spec->type) + " but read as " + read);
  return nullptr;
}

BodyReader BodyReader::nested(Poco::JSON::Object::Ptr object, const std::string& at, const FieldSpec* spec) const {
  BodyReader inner(std::move(object), prefix_ + at, errors_, drift_);
  if (spec && !spec->items.empty()) inner.describe(Fields(spec->items));
  return inner;
}

}  // namespace salescore::cli
