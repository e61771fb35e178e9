#include "rules/stage_gates.h"

#include <algorithm>

namespace salescore::detail {
namespace {

// Is the requirement `name` met by the deal? Names are deal fields, documents the deal
// has reached, or custom fields. A document is met only by the deal's documents (derived
// from records or attested), never by a custom field of the same name.
bool has(const PipelineConfig& pipeline, const Deal& d, const std::string& name) {
  if (name == "expected_amount") return d.expected_amount.minor > 0;
  if (name == "expected_close") return d.expected_close.has_value();
  if (name == "title") return !d.title.empty();
  if (name == "owner" || name == "owner_id") return d.owner_id != 0;
  if (std::find(d.documents.begin(), d.documents.end(), name) != d.documents.end()) return true;
  if (is_deal_document(pipeline, name)) return false;
  auto it = d.custom.find(name);
  return it != d.custom.end() && !it->second.empty();
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace

bool is_closed_stage(const std::string& stage) { return stage == "won" || stage == "lost"; }

Status check_stage_move(const PipelineConfig& pipeline, const Scope& scope, const Deal& before, const Deal& after) {
  const auto& stages = pipeline.stages;
  auto target = std::find(stages.begin(), stages.end(), after.stage);
  if (target == stages.end())
    return Status::invalid("'" + after.stage + "' is not a stage of the pipeline (" + join(stages) + ")",
                           {{"stage", "unknown stage"}});
  if (after.stage == before.stage) return Status::ok();
  const std::string deal = "deal " + std::to_string(before.id);
  if (is_closed_stage(before.stage) && !scope.everything && scope.role != Role::kHead)
    return Status(Code::kPermissionDenied,
                  deal + " is " + before.stage + "; only a head, director or admin may reopen it", {}, "stage_gate");
  if (after.stage == "lost") {
    const auto& reasons = pipeline.lost_reasons;
    if (std::find(reasons.begin(), reasons.end(), after.lost_reason) == reasons.end())
      return Status(Code::kFailedPrecondition,
                    deal + " cannot be lost without a reason from the list: " + join(reasons),
                    {{"lost_reason", after.lost_reason.empty() ? "required" : "not in the list: " + join(reasons)}},
                    "stage_gate");
    return Status::ok();
  }
  std::map<std::string, std::string> missing;
  std::vector<std::string> names;
  for (auto stage = stages.begin(); stage != target + 1; ++stage) {
    if (*stage == "lost") continue;
    auto req = pipeline.requires_.find(*stage);
    if (req == pipeline.requires_.end()) continue;
    for (const auto& name : req->second) {
      if (has(pipeline, after, name) || missing.count(name)) continue;
      missing[name] = "required for stage " + *stage;
      names.push_back(name);
    }
  }
  if (missing.empty()) return Status::ok();
  return Status(Code::kFailedPrecondition, deal + " cannot move to " + after.stage + ": missing " + join(names),
                std::move(missing), "stage_gate");
}

}  // namespace salescore::detail
