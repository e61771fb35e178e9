#include "api/api_query.h"

#include <charconv>
#include <map>

#include "api/api_router.h"

namespace salescore::cli {
namespace {

using namespace field;  // NOLINT: the table reads as a list of builders

const std::map<std::string, FieldSpec>& shared() {
  static const auto* table = [] {
    auto* t = new std::map<std::string, FieldSpec>();
    auto add = [t](FieldSpec f) { t->emplace(f.name, std::move(f)); };
    for (const char* name : {"client_id", "owner_id", "order_id", "deal_id", "user_id", "assignee_id", "rep_id",
                             "outlet_id", "subject_id", "requester_id", "approver_id", "deputy_id", "lead_id",
                             "head_id", "product_id", "recorded_by"})
      add(key(name, std::string("Only records with this ") + name));
    add(instant("from", "From this instant on (inclusive)"));
    add(instant("to", "Before this instant (exclusive)"));
    add(instant("due_before", "Due before this instant"));
    add(instant("active_at", "Only those covering this instant"));
    add(instant("breached_from", "Missed their SLA at or after this instant"));
    add(instant("breached_to", "Missed their SLA before this instant"));
    add(instant("received_from", "Received at or after this instant"));
    add(instant("received_to", "Received before this instant"));
    add(instant("at", "The instant to compute at; absent: now"));
    for (const char* name : {"user", "rep", "team"})
      add(text(name, "A user's id or login").eg("\"petrova.ma\""));
    add(text("name_prefix", "The name starts with this (case-insensitive)"));
    add(text("phone", "A phone in any format"));
    add(text("email", "An e-mail address (case-insensitive)"));
    add(text("inn", "The INN"));
    add(text("sku", "The SKU"));
    add(text("competitor", "The competitor's name"));
    add(text("product_group", "The product group"));
    add(text("region", "The region"));
    add(text("connector", "The connector's name"));
    add(text("channel", "The outlet channel").eg("\"supermarket\""));
    add(text("stage", "The deal stage (the pipeline's names)").eg("\"proposal\""));
    add(text("segment", "The client's segment: new, hot, warm, cooling or sleeping").eg("\"sleeping\""));
    add(boolean("open", "true: only open ones; false: only closed ones"));
    add(boolean("active", "true: only active ones; false: only inactive ones"));
    add(boolean("include_cancelled", "true: cancelled ones too"));
    add(boolean("all", "true: replayed ones too"));
    return t;
  }();
  return *table;
}

}  // namespace

Fields with_shared_descriptions(const Fields& given) {
  std::vector<FieldSpec> out;
  for (const FieldSpec& f : given) {
    auto it = f.described() ? shared().end() : shared().find(f.name);
    out.push_back(it == shared().end() ? f : it->second);
  }
  return Fields(std::move(out));
}

// ---- QueryReader: every read held to the route's description ----

std::optional<std::string> QueryReader::raw(const std::string& name) const {
  auto it = query_.find(name);
  if (it == query_.end()) return std::nullopt;
  return it->second;
}

const FieldSpec* QueryReader::expect(const std::string& name, FieldType a, FieldType b, const char* read) {
  if (!call_->filters) return nullptr;
  const FieldSpec* spec = call_->filters->find(name);
  if (!spec || !spec->described()) {
    drift_ += name + " is read (" + read + ") but not described; ";
    return nullptr;
  }
  if (spec->type == a || spec->type == b) return spec;
  drift_ += name + " is described as " + field_type_name(spec->type) + " but read as " + read + "; ";
  return nullptr;
}

std::optional<std::string> QueryReader::text(const std::string& name) {
  expect(name, FieldType::kText, FieldType::kDate, "text");
  return raw(name);
}

std::optional<std::int64_t> QueryReader::integer(const std::string& name, std::int64_t min, std::int64_t max) {
  // The described range wins over the code's: the document says what is checked.
  if (const FieldSpec* spec = expect(name, FieldType::kInteger, FieldType::kInteger, "integer")) {
    min = spec->minimum.value_or(min);
    max = spec->maximum.value_or(max);
  }
  auto t = raw(name);
  if (!t) return std::nullopt;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(t->data(), t->data() + t->size(), n);
  if (ec != std::errc() || end != t->data() + t->size() || n < min || n > max) {
    errors_.emplace(name, "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    return std::nullopt;
  }
  return n;
}

std::optional<Id> QueryReader::id(const std::string& name) {
  expect(name, FieldType::kId, FieldType::kId, "id");
  auto t = raw(name);
  if (!t) return std::nullopt;
  auto id = parse_id(*t);
  if (!id) errors_.emplace(name, "expected a positive whole number");
  return id;
}

std::optional<Id> QueryReader::user(const std::string& name) {
  expect(name, FieldType::kText, FieldType::kText, "a user's id or login");
  auto t = raw(name);
  if (!t) return std::nullopt;
  if (auto id = parse_id(*t)) return id;
  auto found = call_->engine.users().by_login(call_->actor, *t);
  if (found.ok()) return found->id;
  errors_.emplace(name, "no user with the id or login '" + t->substr(0, 64) + "'");
  return std::nullopt;
}

std::optional<bool> QueryReader::boolean(const std::string& name) {
  expect(name, FieldType::kBool, FieldType::kBool, "boolean");
  auto t = raw(name);
  if (!t) return std::nullopt;
  if (*t == "true") return true;
  if (*t == "false") return false;
  errors_.emplace(name, "expected true or false");
  return std::nullopt;
}

std::optional<Instant> QueryReader::instant(const std::string& name) {
  expect(name, FieldType::kInstant, FieldType::kInstant, "instant");
  auto t = raw(name);
  if (!t) return std::nullopt;
  auto i = parse_iso8601(*t);
  if (!i.ok()) {
    errors_.emplace(name, i.status().message());
    return std::nullopt;
  }
  return *i;
}

Status QueryReader::status() const {
  if (!drift_.empty()) return Status::internal("the route disagrees with its query's description: " + drift_);
  if (errors_.empty()) return Status::ok();
  std::string msg = "invalid query: ";
  bool first = true;
  for (const auto& [name, problem] : errors_) {
    msg += (first ? "" : "; ") + name + ": " + problem;
    first = false;
  }
  return Status::invalid(msg, errors_);
}

}  // namespace salescore::cli
