// /api/v1/users and /api/v1/absences: the people who act in the engine, and who stands
// in for whom. Who may add users and record absences is the engine's rule.
#include "api/api_count.h"

namespace salescore::cli {
namespace {

const Fields kUser = pick(schema("User"), {"login", "name", "role", "manager_id", "head_id"}, {"login", "name"});
const Fields kAbsence = pick(schema("Absence"), {"user_id", "deputy_id", "starts_at", "ends_at", "reason", "note"},
                             {"deputy_id", "starts_at", "ends_at"});

HttpReply list_users(ApiCall& call) {
  auto page = page_of(call);
  if (!page.ok()) return error_reply(page.status());
  return list_whole(call.engine.users().list(call.actor), *page);
}

HttpReply get_user(ApiCall& call) { return record_reply(call.engine.users().get(call.actor, call.id)); }

HttpReply create_user(ApiCall& call) {
  return write_record(
      call, kUser, "user",
      [](BodyReader& b) {
        User u;
        u.login = b.text("login").value_or("");
        u.name = b.text("name").value_or("");
        u.role = b.choice("role", parse_role).value_or(Role::kManager);
        u.manager_id = b.id("manager_id").value_or(0);
        u.head_id = b.id("head_id").value_or(0);
        return u;
      },
      [&](const User& u) { return call.engine.users().add(call.actor, u); }, 201);
}

Result<AbsenceQuery> list_absences_query(ApiCall& call) {
  QueryReader q(call);
  AbsenceQuery query;
  query.user_id = q.id("user_id");
  query.deputy_id = q.id("deputy_id");
  query.active_at = q.instant("active_at");
  query.include_cancelled = q.boolean("include_cancelled").value_or(false);
  if (Status st = q.status(); !st.is_ok()) return st;
  return query;
}

HttpReply list_absences(ApiCall& call) { return list_of(call, list_absences_query, &Engine::absences); }
HttpReply count_absences(ApiCall& call) { return count_of(call, list_absences_query, &Engine::absences); }

HttpReply get_absence(ApiCall& call) { return record_reply(call.engine.absences().get(call.actor, call.id)); }

HttpReply create_absence(ApiCall& call) {
  return write_record(
      call, kAbsence, "absence",
      [&](BodyReader& b) {
        Absence a;
        a.user_id = b.id("user_id").value_or(call.actor.user_id);
        a.deputy_id = b.id("deputy_id").value_or(0);
        a.starts_at = b.instant("starts_at").value_or(Instant{});
        a.ends_at = b.instant("ends_at").value_or(Instant{});
        a.reason = b.choice("reason", parse_absence_reason).value_or(AbsenceReason::kLeave);
        a.note = b.text("note").value_or("");
        return a;
      },
      [&](const Absence& a) { return call.engine.absences().add(call.actor, a); }, 201);
}

HttpReply cancel_absence(ApiCall& call) {
  return bodyless_action(call, "absence cancellation",
                         [&] { return call.engine.absences().cancel(call.actor, call.id); });
}

}  // namespace

void add_people_routes(std::vector<Route>& out) {
  out.push_back({.method = "GET", .pattern = "/api/v1/users", .summary = "List users", .handler = list_users,
                 .paged = true, .reply = Reply::page("User")});
  out.push_back({.method = "POST", .pattern = "/api/v1/users", .summary = "Add a user (admin, director)",
                 .handler = create_user, .fields = kUser, .success_status = 201, .reply = Reply::record("User")});
  out.push_back({.method = "GET", .pattern = "/api/v1/users/{id}", .summary = "Get a user", .handler = get_user,
                 .reply = Reply::record("User")});
  out.push_back({.method = "GET", .pattern = "/api/v1/absences", .summary = "List absences",
                 .handler = list_absences, .filters = {"user_id", "deputy_id", "active_at", "include_cancelled"},
                 .paged = true, .reply = Reply::page("Absence")});
  out.push_back({.method = "GET", .pattern = "/api/v1/absences/count",
                 .summary = "Count the absences the list would give with the same filters",
                 .handler = count_absences, .filters = {"user_id", "deputy_id", "active_at", "include_cancelled"},
                 .reply = Reply::record("Count")});
  out.push_back({.method = "POST", .pattern = "/api/v1/absences", .summary = "Record an absence and its deputy",
                 .handler = create_absence, .fields = kAbsence, .success_status = 201,
                 .reply = Reply::record("Absence")});
  out.push_back({.method = "GET", .pattern = "/api/v1/absences/{id}", .summary = "Get an absence",
                 .handler = get_absence, .reply = Reply::record("Absence")});
  out.push_back({.method = "POST", .pattern = "/api/v1/absences/{id}/cancel",
                 .summary = "End an absence early or withdraw it", .handler = cancel_absence,
                 .reply = Reply::record("Absence")});
}

}  // namespace salescore::cli
