#include "bindings.h"
#include "collection.h"

namespace salescore::python {

namespace {

const FieldTable<User>& user_fields() {
  static const FieldTable<User> table = {
      computed<codec::Number>("id", &User::id),
      field<codec::Text>("login", &User::login),
      field<codec::Text>("name", &User::name),
      field<codec::RoleName>("role", &User::role),
      field<codec::Ref>("manager_id", &User::manager_id),
      field<codec::Ref>("head_id", &User::head_id),
      field<codec::Flag>("active", &User::active),
      computed<codec::When>("created_at", &User::created_at),
  };
  return table;
}

}  // namespace

void bind_users(py::module_& m) {
  using Native = NativeCollection<UserService>;
  auto cls = bind_collection(m, "Users", CollectionSpec<UserService, User>{"user", &Engine::users, &user_fields()});
  cls.def("by_login", [](const Native& c, Actor actor, const std::string& login) {
    return to_dict(user_fields(), c.engine->call([&](Engine& e) { return e.users().by_login(actor, login); }));
  });
  // The service lists every user and takes no filters yet.
  cls.def("find", [](const Native& c, Actor actor, const py::dict& filters, Id after_id, int limit) {
    FieldTable<User> no_filters;
    User unused;
    assign_or_raise(no_filters, unused, filters, c.engine->context(), "user filter");
    auto all = c.engine->call([&](Engine& e) { return e.users().list(actor); });
    return dicts_of(user_fields(), page_of(std::move(all), after_id, limit));
  });
  // Passwords and deactivation are AccountService's rules (who manages people), the same
  // ones POST /api/v1/users/{id}/password|activate|deactivate and `salescore user` meet.
  cls.def("set_password", [](const Native& c, Actor actor, Id user_id, const std::string& password,
                             std::optional<std::string> current_password) {
    c.engine->call([&](Engine& e) { return e.accounts().set_password(actor, user_id, password, current_password); });
  });
  cls.def("set_active", [](const Native& c, Actor actor, Id user_id, bool active) {
    return to_dict(user_fields(),
                   c.engine->call([&](Engine& e) { return e.accounts().set_active(actor, user_id, active); }));
  });
}

}  // namespace salescore::python
