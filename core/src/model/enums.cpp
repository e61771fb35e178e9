// Names of the model's enumerations as they appear in JSON, CSV, the CLI and Python.
#include "model/enum_names.h"
#include "salescore/engine.h"
#include "salescore/model.h"

namespace salescore {
using detail::name_of;
using detail::parse_from;

namespace {

constexpr std::array<std::pair<Role, const char*>, 6> kRoles{{{Role::kManager, "manager"},
                                                              {Role::kAssistant, "assistant"},
                                                              {Role::kHead, "head"},
                                                              {Role::kDirector, "director"},
                                                              {Role::kAdmin, "admin"},
                                                              {Role::kIntegration, "integration"}}};
constexpr std::array<std::pair<Tier, const char*>, 2> kTiers{{{Tier::kRegular, "regular"}, {Tier::kVip, "vip"}}};
constexpr std::array<std::pair<OrderStatus, const char*>, 6> kOrderStatuses{
    {{OrderStatus::kNew, "new"},
     {OrderStatus::kConfirmed, "confirmed"},
     {OrderStatus::kShipped, "shipped"},
     {OrderStatus::kDelivered, "delivered"},
     {OrderStatus::kCompleted, "completed"},
     {OrderStatus::kCancelled, "cancelled"}}};
constexpr std::array<std::pair<InteractionKind, const char*>, 6> kKinds{
    {{InteractionKind::kCall, "call"},
     {InteractionKind::kEmail, "email"},
     {InteractionKind::kMeeting, "meeting"},
     {InteractionKind::kVisit, "visit"},
     {InteractionKind::kMessage, "message"},
     {InteractionKind::kNote, "note"}}};
constexpr std::array<std::pair<Direction, const char*>, 3> kDirections{
    {{Direction::kNone, "none"}, {Direction::kInbound, "inbound"}, {Direction::kOutbound, "outbound"}}};
constexpr std::array<std::pair<TaskStatus, const char*>, 3> kTaskStatuses{
    {{TaskStatus::kOpen, "open"}, {TaskStatus::kDone, "done"}, {TaskStatus::kCancelled, "cancelled"}}};
constexpr std::array<std::pair<AbsenceReason, const char*>, 4> kAbsenceReasons{
    {{AbsenceReason::kTrip, "trip"},
     {AbsenceReason::kLeave, "leave"},
     {AbsenceReason::kSickness, "sickness"},
     {AbsenceReason::kOther, "other"}}};
constexpr std::array<std::pair<LeadChannel, const char*>, 5> kLeadChannels{{{LeadChannel::kPhone, "phone"},
                                                                          {LeadChannel::kEmail, "email"},
                                                                          {LeadChannel::kWeb, "web"},
                                                                          {LeadChannel::kSocial, "social"},
                                                                          {LeadChannel::kManual, "manual"}}};
constexpr std::array<std::pair<LeadStatus, const char*>, 4> kLeadStatuses{{{LeadStatus::kNew, "new"},
                                                                          {LeadStatus::kInProgress, "in_progress"},
                                                                          {LeadStatus::kConverted, "converted"},
                                                                          {LeadStatus::kLost, "lost"}}};
constexpr std::array<std::pair<WriteOutcome, const char*>, 3> kOutcomes{
    {{WriteOutcome::kCreated, "created"},
     {WriteOutcome::kUpdated, "updated"},
     {WriteOutcome::kUnchanged, "unchanged"}}};

}  // namespace

const char* role_name(Role r) { return name_of(kRoles, r); }
Result<Role> parse_role(std::string_view n) { return parse_from(kRoles, n, "role"); }
const char* tier_name(Tier t) { return name_of(kTiers, t); }
Result<Tier> parse_tier(std::string_view n) { return parse_from(kTiers, n, "tier"); }
const char* order_status_name(OrderStatus s) { return name_of(kOrderStatuses, s); }
Result<OrderStatus> parse_order_status(std::string_view n) {
  return parse_from(kOrderStatuses, n, "order status");
}
const char* interaction_kind_name(InteractionKind k) { return name_of(kKinds, k); }
Result<InteractionKind> parse_interaction_kind(std::string_view n) {
  return parse_from(kKinds, n, "interaction kind");
}
const char* direction_name(Direction d) { return name_of(kDirections, d); }
Result<Direction> parse_direction(std::string_view n) { return parse_from(kDirections, n, "direction"); }
const char* task_status_name(TaskStatus s) { return name_of(kTaskStatuses, s); }
Result<TaskStatus> parse_task_status(std::string_view n) {
  return parse_from(kTaskStatuses, n, "task status");
}
const char* absence_reason_name(AbsenceReason r) { return name_of(kAbsenceReasons, r); }
Result<AbsenceReason> parse_absence_reason(std::string_view n) {
  return parse_from(kAbsenceReasons, n, "absence reason");
}
const char* lead_channel_name(LeadChannel c) { return name_of(kLeadChannels, c); }
Result<LeadChannel> parse_lead_channel(std::string_view n) { return parse_from(kLeadChannels, n, "lead channel"); }
const char* lead_status_name(LeadStatus s) { return name_of(kLeadStatuses, s); }
Result<LeadStatus> parse_lead_status(std::string_view n) { return parse_from(kLeadStatuses, n, "lead status"); }
const char* write_outcome_name(WriteOutcome o) { return name_of(kOutcomes, o); }

}  // namespace salescore
