// Absences: who is away, who stands in for them, and for how long.
#include "engine/record_writes.h"
#include "rules/access.h"
#include "rules/scope_cache.h"
#include "store/absence_rows.h"
#include "store/user_rows.h"

namespace salescore {
using namespace detail;

namespace {
Result<Absence> load_or_not_found(EngineState& s, Id id) {
  SC_ASSIGN_OR_RETURN(auto a, store::load_absence(*s.conn, id));
  if (!a) return not_found("absence", id);
  return std::move(*a);
}

// The absent user themself, the head they report to, or whoever manages people.
Result<bool> may_arrange(EngineState& s, const Scope& scope, Id absent_user) {
  if (scope.may_manage_people() || scope.user_id == absent_user) return true;
  if (scope.role != Role::kHead) return false;
  SC_ASSIGN_OR_RETURN(auto user, store::load_user(*s.conn, absent_user));
  return user && user->head_id == scope.user_id;
}
}  // namespace

Result<Absence> AbsenceService::add(const Actor& actor, Absence a) {
  return write<Absence>(*s_, [&]() -> Result<Absence> {
    FieldErrors errors;
    SC_ASSIGN_OR_RETURN(auto user, store::load_user(*s_->conn, a.user_id));
    SC_ASSIGN_OR_RETURN(auto deputy, store::load_user(*s_->conn, a.deputy_id));
    if (!user) errors.add("user_id", "no such user");
    if (!deputy) errors.add("deputy_id", "no such user");
    else if (!deputy->active) errors.add("deputy_id", "user " + deputy->login + " is deactivated");
    if (a.deputy_id == a.user_id) errors.add("deputy_id", "an absent user cannot stand in for themself");
    if (a.ends_at <= a.starts_at) errors.add("ends_at", "must be after starts_at");
    SC_RETURN_IF_ERROR(errors.to_status("absence"));
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    SC_ASSIGN_OR_RETURN(bool allowed, may_arrange(*s_, scope, a.user_id));
    if (!allowed) return deny(*s_, actor, "arrange an absence of", "user", a.user_id);
    SC_ASSIGN_OR_RETURN(bool overlaps, store::absence_overlaps(*s_->conn, a.user_id, a.starts_at, a.ends_at));
    if (overlaps)
      return Status(Code::kConflict, "user " + user->login + " already has an absence overlapping " +
                                         format_iso8601(a.starts_at) + " .. " + format_iso8601(a.ends_at),
                    {{"starts_at", "overlaps another absence"}});
    a.cancelled = false;
    a.created_at = s_->now();
    SC_ASSIGN_OR_RETURN(a.id, store::insert_absence(*s_->conn, a));
    forget_scopes();  // the deputy's scope changes
    SC_RETURN_IF_ERROR(log_created(*s_, actor, "absence", a));
    return a;
  });
}

Result<Absence> AbsenceService::get(const Actor& actor, Id id) {
  return read<Absence>(*s_, [&] { return load_or_not_found(*s_, id); });
}

Result<Absence> AbsenceService::cancel(const Actor& actor, Id id) {
  return write<Absence>(*s_, [&]() -> Result<Absence> {
    SC_ASSIGN_OR_RETURN(Absence a, load_or_not_found(*s_, id));
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    SC_ASSIGN_OR_RETURN(bool allowed, may_arrange(*s_, scope, a.user_id));
    if (!allowed) return deny(*s_, actor, "cancel", "absence", id);
    if (a.cancelled) return a;
    SC_RETURN_IF_ERROR(store::set_absence_cancelled(*s_->conn, id));
    forget_scopes();
    SC_RETURN_IF_ERROR(append_event(*s_, actor, "absence.cancelled", "absence", id, "{}"));
    a.cancelled = true;
    return a;
  });
}

Result<std::vector<Absence>> AbsenceService::find(const Actor& actor, const AbsenceQuery& query) {
  return read<std::vector<Absence>>(*s_, [&] { return store::find_absences(*s_->conn, query); });
}

Result<std::int64_t> AbsenceService::count(const Actor& actor, const AbsenceQuery& query) {
  return read<std::int64_t>(*s_, [&] { return store::count_absences(*s_->conn, query); });
}

}  // namespace salescore
