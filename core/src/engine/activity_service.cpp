// Interactions (the communication history) and tasks (the day's work).
#include "engine/record_writes.h"
#include "rules/access.h"
#include "store/activity_rows.h"
#include "store/client_rows.h"
#include "store/order_rows.h"

#include <set>

namespace salescore {
using namespace detail;

namespace {

// Checks that each referenced record exists; errors are recorded under the field name.
Status check_links(EngineState& s, FieldErrors& errors, Id client_id, Id contact_id, Id deal_id, Id order_id) {
  if (client_id) {
    SC_ASSIGN_OR_RETURN(auto owner, store::client_owner(*s.conn, client_id));
    if (!owner) errors.add("client_id", "client " + std::to_string(client_id) + " does not exist");
  }
  if (contact_id) {
    SC_ASSIGN_OR_RETURN(auto contact, store::load_contact(*s.conn, contact_id));
    if (!contact) errors.add("contact_id", "contact " + std::to_string(contact_id) + " does not exist");
    else if (client_id && contact->client_id != client_id)
      errors.add("contact_id", "contact " + std::to_string(contact_id) + " belongs to another client");
  }
  if (deal_id) {
    SC_ASSIGN_OR_RETURN(auto deal, store::load_deal(*s.conn, deal_id));
    if (!deal) errors.add("deal_id", "deal " + std::to_string(deal_id) + " does not exist");
  }
  if (order_id) {
    SC_ASSIGN_OR_RETURN(auto loaded, store::load_order(*s.conn, order_id));
    if (!loaded) errors.add("order_id", "order " + std::to_string(order_id) + " does not exist");
  }
  return Status::ok();
}

// What a PBX says of a call (model.h CallFacts) belongs to calls, and its disposition is
// one the reports know.
void check_call_facts(Interaction& i, FieldErrors& errors) {
  if (i.call.disposition == "no answer") i.call.disposition = "no_answer";  // as PBXs and people write it
  if (i.kind != InteractionKind::kCall) {
    if (!(i.call == CallFacts{})) errors.add("disposition", "only a call has a caller, callee, disposition or recording");
    return;
  }
  static const std::set<std::string> kDispositions = {"", "answered", "busy", "no_answer", "failed"};
  if (!kDispositions.count(i.call.disposition))
    errors.add("disposition", "'" + i.call.disposition + "' is not answered, busy, no_answer or failed");
  if (i.call.ring_s < 0) errors.add("ring_s", "cannot be negative");
}

Status validate_interaction(EngineState& s, Interaction& i) {
  FieldErrors errors;
  if (i.occurred_at.ms == 0) i.occurred_at = s.now();
  if (i.duration_s < 0) errors.add("duration_s", "cannot be negative");
  check_call_facts(i, errors);
  if (i.client_id == 0 && i.contact_id) {
    // A call with a contact person is with their client: filled in, so that the access
    // check sees it (a colleague's contact is a colleague's client).
    SC_ASSIGN_OR_RETURN(auto contact, store::load_contact(*s.conn, i.contact_id));
    if (contact) i.client_id = contact->client_id;
  }
  SC_RETURN_IF_ERROR(check_links(s, errors, i.client_id, i.contact_id, 0, 0));
  errors.check("user_id", check_user_exists(s, i.user_id, "user_id"));
  check_mandatory(s, errors, "interaction", [&](const std::string& f) {
    if (f == "client" || f == "client_id") return i.client_id != 0;
    if (f == "user" || f == "user_id") return i.user_id != 0;
    if (f == "subject") return !i.subject.empty();
    if (f == "body") return !i.body.empty();
    return false;
  });
  return errors.to_status("interaction");
}

Status check_interaction(EngineState& s, const Actor& actor, const Interaction& i, const char* action) {
  SC_ASSIGN_OR_RETURN(Scope scope, scope_of(s, actor));
  const bool reading = std::string_view(action) == "read";
  SC_ASSIGN_OR_RETURN(bool ok, reading ? covers_activity(s, scope, i.user_id, i.client_id, i.source)
                                       : may_write_activity(s, scope, i.user_id, i.client_id, i.source));
  return ok ? Status::ok() : deny(s, actor, action, "interaction", i.id);
}

Result<Interaction> load_interaction_or_not_found(EngineState& s, Id id) {
  SC_ASSIGN_OR_RETURN(auto i, store::load_interaction(*s.conn, id));
  if (!i) return not_found("interaction", id);
  return std::move(*i);
}

Result<Saved<Interaction>> insert_interaction(EngineState& s, const Actor& actor, Interaction i) {
  if (i.user_id == 0) i.user_id = actor.user_id;  // who logged it, unless told otherwise
  SC_RETURN_IF_ERROR(validate_interaction(s, i));
  SC_RETURN_IF_ERROR(check_interaction(s, actor, i, "record"));
  i.created_at = s.now();
  SC_ASSIGN_OR_RETURN(i.id, store::insert_interaction(*s.conn, i));
  SC_RETURN_IF_ERROR(log_created(s, actor, "interaction", i));
  return Saved<Interaction>{std::move(i), WriteOutcome::kCreated, {}};
}

}  // namespace

Result<Saved<Interaction>> InteractionService::add(const Actor& actor, Interaction interaction) {
  return write<Saved<Interaction>>(*s_, [&] { return insert_interaction(*s_, actor, std::move(interaction)); });
}

Result<Interaction> InteractionService::get(const Actor& actor, Id id) {
  return read<Interaction>(*s_, [&]() -> Result<Interaction> {
    SC_ASSIGN_OR_RETURN(Interaction i, load_interaction_or_not_found(*s_, id));
    SC_RETURN_IF_ERROR(check_interaction(*s_, actor, i, "read"));
    return i;
  });
}

Result<Saved<Interaction>> InteractionService::upsert(const Actor& actor, Interaction interaction) {
  SC_RETURN_IF_ERROR(need_source_key(interaction.source, interaction.external_id));
  return write<Saved<Interaction>>(*s_, [&]() -> Result<Saved<Interaction>> {
    SC_ASSIGN_OR_RETURN(auto existing,
                        store::interaction_id_by_source(*s_->conn, interaction.source, interaction.external_id));
    if (!existing) return insert_interaction(*s_, actor, std::move(interaction));
    SC_ASSIGN_OR_RETURN(Interaction before, load_interaction_or_not_found(*s_, *existing));
    SC_RETURN_IF_ERROR(check_interaction(*s_, actor, before, "change"));
    Interaction after = std::move(interaction);
    if (after.user_id == 0) after.user_id = before.user_id;
    after.id = before.id;
    after.created_at = before.created_at;
    if (after.occurred_at.ms == 0) after.occurred_at = before.occurred_at;
    SC_RETURN_IF_ERROR(validate_interaction(*s_, after));
    SC_ASSIGN_OR_RETURN(auto outcome, save_if_changed(*s_, actor, "interaction", before, after,
                                                      [&](const Interaction& i) {
                                                        return store::update_interaction(*s_->conn, i);
                                                      }));
    return Saved<Interaction>{std::move(after), outcome, {}};
  });
}

Result<std::vector<Interaction>> InteractionService::find(const Actor& actor, const InteractionQuery& query) {
  return read<std::vector<Interaction>>(*s_, [&]() -> Result<std::vector<Interaction>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::find_interactions(*s_->conn, query, activity_condition(scope, "user_id", "source"));
  });
}

Result<std::int64_t> InteractionService::count(const Actor& actor, const InteractionQuery& query) {
  return read<std::int64_t>(*s_, [&]() -> Result<std::int64_t> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::count_interactions(*s_->conn, query, activity_condition(scope, "user_id", "source"));
  });
}

// ---- tasks ----

namespace {
Status validate_task(EngineState& s, Task& t) {
  FieldErrors errors;
  if (t.title.empty()) errors.add("title", "required");
  SC_RETURN_IF_ERROR(check_links(s, errors, t.client_id, 0, t.deal_id, t.order_id));
  errors.check("assignee_id", check_user_exists(s, t.assignee_id, "assignee_id"));
  check_mandatory(s, errors, "task", [&](const std::string& f) {
    if (f == "title") return !t.title.empty();
    if (f == "due_at" || f == "due") return t.due_at.has_value();
    if (f == "assignee" || f == "assignee_id") return t.assignee_id != 0;
    if (f == "client" || f == "client_id") return t.client_id != 0;
    return false;
  });
  return errors.to_status("task");
}
}  // namespace

namespace {
Status check_task(EngineState& s, const Actor& actor, const Task& t, const char* action) {
  SC_ASSIGN_OR_RETURN(Scope scope, scope_of(s, actor));
  const bool reading = std::string_view(action) == "read";
  SC_ASSIGN_OR_RETURN(bool ok, reading ? covers_activity(s, scope, t.assignee_id, t.client_id, "")
                                       : may_write_activity(s, scope, t.assignee_id, t.client_id, ""));
  return ok ? Status::ok() : deny(s, actor, action, "task", t.id);
}

// A new task may point only at a deal or an order the actor may act on: a task is no
// side door to a colleague's deal or order (their ids, their clients).
Status check_task_links(EngineState& s, const Actor& actor, const Task& t) {
  SC_ASSIGN_OR_RETURN(Scope scope, scope_of(s, actor));
  if (scope.everything) return Status::ok();
  if (t.deal_id) {
    SC_ASSIGN_OR_RETURN(auto deal, store::load_deal(*s.conn, t.deal_id));
    if (deal && !scope.covers_owned(deal->owner_id, deal->source))
      return deny(s, actor, "create", "task", 0, "deal " + std::to_string(t.deal_id) + " is not one of yours");
  }
  if (t.order_id) {
    SC_ASSIGN_OR_RETURN(auto order, store::load_order(*s.conn, t.order_id));
    if (order && !scope.covers_owned(order->owner_id, order->source))
      return deny(s, actor, "create", "task", 0, "order " + std::to_string(t.order_id) + " is not one of yours");
  }
  return Status::ok();
}
}  // namespace

Result<Task> TaskService::add(const Actor& actor, Task task) {
  return write<Task>(*s_, [&]() -> Result<Task> {
    if (task.assignee_id == 0) task.assignee_id = actor.user_id;
    SC_RETURN_IF_ERROR(validate_task(*s_, task));
    SC_RETURN_IF_ERROR(check_task(*s_, actor, task, "create"));
    SC_RETURN_IF_ERROR(check_task_links(*s_, actor, task));
    task.created_at = task.updated_at = s_->now();
    if (task.status == TaskStatus::kDone && !task.done_at) task.done_at = task.created_at;
    SC_ASSIGN_OR_RETURN(task.id, store::insert_task(*s_->conn, task));
    SC_RETURN_IF_ERROR(log_created(*s_, actor, "task", task));
    return task;
  });
}

Result<Task> TaskService::get(const Actor& actor, Id id) {
  return read<Task>(*s_, [&]() -> Result<Task> {
    SC_ASSIGN_OR_RETURN(auto t, store::load_task(*s_->conn, id));
    if (!t) return not_found("task", id);
    SC_RETURN_IF_ERROR(check_task(*s_, actor, *t, "read"));
    return std::move(*t);
  });
}

Result<Task> TaskService::update(const Actor& actor, Id id, const TaskPatch& p) {
  return write<Task>(*s_, [&]() -> Result<Task> {
    SC_ASSIGN_OR_RETURN(auto before, store::load_task(*s_->conn, id));
    if (!before) return not_found("task", id);
    SC_RETURN_IF_ERROR(check_task(*s_, actor, *before, "change"));
    Task after = *before;
    if (p.title) after.title = *p.title;
    if (p.notes) after.notes = *p.notes;
    if (p.due_at) after.due_at = *p.due_at;
    if (p.assignee_id) after.assignee_id = *p.assignee_id;
    if (p.status) {
      after.status = *p.status;
      if (after.status == TaskStatus::kOpen) after.done_at.reset();
      else if (before->status == TaskStatus::kOpen) after.done_at = s_->now();
    }
    SC_RETURN_IF_ERROR(validate_task(*s_, after));
    if (after.assignee_id != before->assignee_id) SC_RETURN_IF_ERROR(check_task(*s_, actor, after, "reassign"));
    SC_ASSIGN_OR_RETURN(auto outcome, save_if_changed(*s_, actor, "task", *before, after, [&](const Task& t) {
                          return store::update_task(*s_->conn, t);
                        }));
    (void)outcome;
    return after;
  });
}

Result<std::vector<Task>> TaskService::find(const Actor& actor, const TaskQuery& query) {
  return read<std::vector<Task>>(*s_, [&]() -> Result<std::vector<Task>> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::find_tasks(*s_->conn, query, activity_condition(scope, "assignee_id", ""));
  });
}

Result<std::int64_t> TaskService::count(const Actor& actor, const TaskQuery& query) {
  return read<std::int64_t>(*s_, [&]() -> Result<std::int64_t> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    return store::count_tasks(*s_->conn, query, activity_condition(scope, "assignee_id", ""));
  });
}

}  // namespace salescore
