// The deal pipeline's gates: a deal moves to a stage only with what that stage needs.
#pragma once

#include "rules/access.h"

namespace salescore::detail {

// Checks a stage move from `before` to `after` (after.stage is the target):
//   - the stage exists in the configured pipeline;
//   - "lost" carries a reason from the configured list;
//   - entering an open stage or "won" needs everything required by that stage and by
//     every stage before it (skipping a stage does not skip its requirements);
//   - a closed deal (won or lost) is reopened only by a head, director or admin.
// A refusal has reason "stage_gate" and names each missing field or document.
Status check_stage_move(const PipelineConfig& pipeline, const Scope& scope, const Deal& before, const Deal& after);

bool is_closed_stage(const std::string& stage);

}  // namespace salescore::detail
