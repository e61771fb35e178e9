#include "api/api_query.h"

#include <map>

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

}  // namespace salescore::cli
