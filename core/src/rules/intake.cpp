#include "rules/intake.h"

#include "rules/lead_assignment.h"

namespace salescore::detail {

namespace {
// Ids of outside systems are short (a 1C GUID pair is 73 characters); a longer one is
// not an id but a mistake.
constexpr std::size_t kMaxExternalIdChars = 255;
}  // namespace

Status key_by_source(const Scope& scope, std::string& source, const std::string& external_id) {
  if (scope.user_id == 0) return Status::ok();
  if (scope.is_integration()) {
    if (source.empty()) source = scope.login;
    if (external_id.size() > kMaxExternalIdChars)
      return Status::invalid("external_id: longer than 255 characters", {{"external_id", "at most 255 characters"}});
    return Status::ok();
  }
  // A person's record keyed as a connector's would be that connector's to read and change.
  std::map<std::string, std::string> refused;
  const std::string why = "set only by an integration user (the id its system gave the record) or by an import";
  if (!external_id.empty()) refused["external_id"] = why;
  if (!source.empty()) refused["source"] = why;
  if (refused.empty()) return Status::ok();
  return Status::invalid("a record's source key is " + why, refused);
}

Result<Id> intake_owner(EngineState& s, const Scope& scope) {
  if (!scope.is_integration() || scope.everything) return Id{0};
  return pick_assignee(s, 0, 0);
}

}  // namespace salescore::detail
