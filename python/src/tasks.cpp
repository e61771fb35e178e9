#include "bindings.h"
#include "collection.h"

namespace salescore::python {

namespace {

const FieldTable<Task>& task_fields() {
  static const FieldTable<Task> table = {
      computed<codec::Number>("id", &Task::id),
      field<codec::Text>("title", &Task::title),
      field<codec::MaybeWhen>("due_at", &Task::due_at),
      field<codec::Ref>("assignee_id", &Task::assignee_id),
      field<codec::Ref>("client_id", &Task::client_id),
      field<codec::Ref>("deal_id", &Task::deal_id),
      field<codec::Ref>("order_id", &Task::order_id),
      field<codec::TaskStatusName>("status", &Task::status),
      field<codec::Text>("notes", &Task::notes),
      computed<codec::When>("created_at", &Task::created_at),
      computed<codec::When>("updated_at", &Task::updated_at),
      computed<codec::MaybeWhen>("done_at", &Task::done_at),
  };
  return table;
}

const FieldTable<TaskPatch>& task_patch_fields() {
  static const FieldTable<TaskPatch> table = {
      optional<codec::Text>("title", &TaskPatch::title),
      optional<codec::Text>("notes", &TaskPatch::notes),
      optional<codec::MaybeWhen>("due_at", &TaskPatch::due_at),
      optional<codec::Ref>("assignee_id", &TaskPatch::assignee_id),
      optional<codec::TaskStatusName>("status", &TaskPatch::status),
  };
  return table;
}

const FieldTable<TaskQuery>& task_query_fields() {
  static const FieldTable<TaskQuery> table = {
      optional<codec::Ref>("assignee_id", &TaskQuery::assignee_id),
      optional<codec::Ref>("client_id", &TaskQuery::client_id),
      optional<codec::TaskStatusName>("status", &TaskQuery::status),
      optional<codec::When>("due_before", &TaskQuery::due_before),
  };
  return table;
}

}  // namespace

void bind_tasks(py::module_& m) {
  using Native = NativeCollection<TaskService>;
  auto cls = bind_collection(m, "Tasks",
                             CollectionSpec<TaskService, Task, TaskPatch, TaskQuery>{
                                 "task", &Engine::tasks, &task_fields(), &task_patch_fields(), &task_query_fields()});
  // A user's day: each line the task (as a dict), its section, its client's name and why
  // it exists.
  cls.def("today", [](const Native& c, Actor actor, Id user_id) {
    auto items = c.engine->call([&](Engine& e) { return e.tasks().today(actor, user_id); });
    py::list out;
    for (const auto& item : items) {
      py::dict d;
      d["section"] = today_section_name(item.section);
      d["task"] = to_dict(task_fields(), item.task);
      d["client_name"] = item.client_name;
      d["reason"] = item.reason;
      out.append(d);
    }
    return out;
  });
}

}  // namespace salescore::python
