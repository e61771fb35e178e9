// /api/v1/interactions and /api/v1/tasks: the day-to-day activity around clients.
#include "api/api_count.h"
#include "salescore/calls.h"

namespace salescore::cli {
namespace {

// ---- interactions: a call, an e-mail, a meeting is logged once and not edited ----

const Fields kInteraction =
    pick(schema("Interaction"), {"kind", "direction", "occurred_at", "duration_s", "user_id", "client_id", "contact_id",
                                 "subject", "body", "caller", "callee", "manager", "ring_s", "disposition",
                                 "hangup_cause", "recording", "pbx_call_id", "rang_not_answered"});

Result<InteractionQuery> list_interactions_query(ApiCall& call) {
  QueryReader q(call);
  InteractionQuery query;
  query.client_id = q.id("client_id");
  query.user_id = q.id("user_id");
  query.kind = q.choice("kind", parse_interaction_kind);
  query.from = q.instant("from");
  query.to = q.instant("to");
  if (Status st = q.status(); !st.is_ok()) return st;
  return query;
}

HttpReply list_interactions(ApiCall& call) { return list_of(call, list_interactions_query, &Engine::interactions); }
HttpReply count_interactions(ApiCall& call) { return count_of(call, list_interactions_query, &Engine::interactions); }

HttpReply get_interaction(ApiCall& call) { return record_reply(call.engine.interactions().get(call.actor, call.id)); }

HttpReply create_interaction(ApiCall& call) {
  return write_record(
      call, kInteraction, "interaction",
      [&](BodyReader& b) {
        Interaction i;
        i.kind = b.choice("kind", parse_interaction_kind).value_or(InteractionKind::kNote);
        i.direction = b.choice("direction", parse_direction).value_or(Direction::kNone);
        i.occurred_at = b.instant("occurred_at").value_or(Instant{});
        i.duration_s = b.integer("duration_s", 0, 7 * 24 * 3600).value_or(0);
        // Logged by the caller unless it names the colleague it logs for.
        i.user_id = b.id("user_id").value_or(call.actor.user_id);
        i.client_id = b.id("client_id").value_or(0);
        i.contact_id = b.id("contact_id").value_or(0);
        i.subject = b.text("subject").value_or("");
        i.body = b.text("body").value_or("");
        // A call's facts as a PBX would give them (core refuses them on other kinds).
        i.call.caller = b.text("caller").value_or("");
        i.call.callee = b.text("callee").value_or("");
        i.call.manager = b.text("manager").value_or("");
        i.call.ring_s = b.integer("ring_s", 0, 24 * 3600).value_or(0);
        i.call.disposition = b.text("disposition").value_or("");
        i.call.hangup_cause = b.text("hangup_cause").value_or("");
        i.call.recording = b.text("recording").value_or("");
        i.call.pbx_call_id = b.text("pbx_call_id").value_or("");
        i.call.rang_not_answered = b.text("rang_not_answered").value_or("");
        return i;
      },
      [&](const Interaction& i) { return call.engine.interactions().add(call.actor, i); }, 201);
}

// ---- click-to-call: the PBX rings the caller's phone, then the client's number ----

const Fields& kCall = schema("CallRequest");

HttpReply place_call(ApiCall& call) {
  auto body = body_of(call, kCall);
  if (!body.ok()) return error_reply(body.status());
  DialRequest r;
  r.client_id = body->id("client_id").value_or(0);
  r.contact_id = body->id("contact_id").value_or(0);
  r.phone = body->text("phone").value_or("");
  if (Status st = body->status("call"); !st.is_ok()) return error_reply(st);
  auto dialled = dial(call.engine, call.actor, r);
  if (!dialled.ok()) return error_reply(dialled.status());
  FieldList f;
  f.string("phone", dialled->phone);
  f.boolean("queued", dialled->outbox_id.has_value());  // false: this very call is queued already
  return json_reply(202, f.to_json());
}

// ---- tasks ----

const Fields kTaskCreate = pick(schema("Task"), {"title", "due_at", "assignee_id", "client_id", "deal_id", "order_id",
                                                 "lead_id", "notes"});
const Fields kTaskPatch = pick(schema("Task"), {"title", "notes", "due_at", "assignee_id", "status"});

TaskPatch task_patch_from(BodyReader& b) {
  TaskPatch p;
  p.title = b.text("title");
  p.notes = b.text("notes");
  p.due_at = b.nullable_instant("due_at");
  p.assignee_id = b.id("assignee_id");
  p.status = b.choice("status", parse_task_status);
  return p;
}

Result<TaskQuery> list_tasks_query(ApiCall& call) {
  QueryReader q(call);
  TaskQuery query;
  query.assignee_id = q.id("assignee_id");
  query.client_id = q.id("client_id");
  query.lead_id = q.id("lead_id");
  query.status = q.choice("status", parse_task_status);
  query.due_before = q.instant("due_before");
  if (Status st = q.status(); !st.is_ok()) return st;
  return query;
}

HttpReply list_tasks(ApiCall& call) { return list_of(call, list_tasks_query, &Engine::tasks); }
HttpReply count_tasks(ApiCall& call) { return count_of(call, list_tasks_query, &Engine::tasks); }

HttpReply get_task(ApiCall& call) { return record_reply(call.engine.tasks().get(call.actor, call.id)); }

HttpReply create_task(ApiCall& call) {
  return write_record(
      call, kTaskCreate, "task",
      [&](BodyReader& b) {
        Task t;
        t.title = b.text("title").value_or("");
        t.due_at = b.nullable_instant("due_at").value_or(std::nullopt);
        t.assignee_id = b.id("assignee_id").value_or(call.actor.user_id);
        t.client_id = b.id("client_id").value_or(0);
        t.deal_id = b.id("deal_id").value_or(0);
        t.order_id = b.id("order_id").value_or(0);
        t.lead_id = b.id("lead_id").value_or(0);
        t.notes = b.text("notes").value_or("");
        return t;
      },
      [&](const Task& t) { return call.engine.tasks().add(call.actor, t); }, 201);
}

HttpReply update_task(ApiCall& call) {
  return write_record(call, kTaskPatch, "task", task_patch_from,
                      [&](const TaskPatch& p) { return call.engine.tasks().update(call.actor, call.id, p); });
}

}  // namespace

void add_activity_routes(std::vector<Route>& out) {
  const Fields kInteractionFilters = {"client_id", "user_id",
                                      field::choice("kind", parse_interaction_kind, "Only interactions of this kind"),
                                      "from", "to"};
  const Fields kTaskFilters = {"assignee_id", "client_id", "lead_id",
                               field::choice("status", parse_task_status, "Only tasks in this status"), "due_before"};
  out.push_back({.method = "GET", .pattern = "/api/v1/interactions", .summary = "List calls, e-mails, meetings",
                 .handler = list_interactions, .filters = kInteractionFilters,
                 .paged = true, .reply = Reply::page("Interaction")});
  out.push_back({.method = "GET", .pattern = "/api/v1/interactions/count",
                 .summary = "Count the interactions the list would give with the same filters",
                 .handler = count_interactions, .filters = kInteractionFilters,
                 .reply = Reply::record("Count")});
  out.push_back({.method = "POST", .pattern = "/api/v1/interactions", .summary = "Log a call, e-mail or meeting",
                 .handler = create_interaction, .fields = kInteraction, .success_status = 201,
                 .reply = Reply::record("Interaction")});
  out.push_back({.method = "GET", .pattern = "/api/v1/interactions/{id}", .summary = "Get an interaction",
                 .handler = get_interaction, .reply = Reply::record("Interaction")});
  out.push_back({.method = "POST", .pattern = "/api/v1/calls",
                 .summary = "Click-to-call: ring the caller's phone, then the client's (or contact's) number",
                 .handler = place_call, .fields = kCall, .success_status = 202, .reply = Reply::record("CallPlaced")});
  out.push_back({.method = "GET", .pattern = "/api/v1/tasks", .summary = "List tasks", .handler = list_tasks,
                 .filters = kTaskFilters, .paged = true,
                 .reply = Reply::page("Task")});
  out.push_back({.method = "GET", .pattern = "/api/v1/tasks/count",
                 .summary = "Count the tasks the list would give with the same filters",
                 .handler = count_tasks, .filters = kTaskFilters,
                 .reply = Reply::record("Count")});
  out.push_back({.method = "POST", .pattern = "/api/v1/tasks", .summary = "Create a task", .handler = create_task,
                 .fields = kTaskCreate, .success_status = 201, .reply = Reply::record("Task")});
  out.push_back({.method = "GET", .pattern = "/api/v1/tasks/{id}", .summary = "Get a task", .handler = get_task,
                 .reply = Reply::record("Task")});
  out.push_back({.method = "PATCH", .pattern = "/api/v1/tasks/{id}",
                 .summary = "Change some fields of a task (status done closes it)", .handler = update_task,
                 .fields = kTaskPatch, .reply = Reply::record("Task")});
}

}  // namespace salescore::cli
