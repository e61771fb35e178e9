// Users: the people who own clients and act in the engine.
#include "store/event_signal.h"
#include "engine/record_writes.h"
#include "rules/access.h"
#include "rules/scope_cache.h"
#include "store/event_rows.h"
#include "store/user_rows.h"

namespace salescore {
using namespace detail;

Result<User> UserService::add(const Actor& actor, User u) {
  return write<User>(*s_, [&]() -> Result<User> {
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    if (!scope.may_manage_people()) return deny(*s_, actor, "create", "user", 0, "only an admin or director adds users");
    FieldErrors errors;
    if (u.login.empty()) errors.add("login", "required");
    // Logins name integration users' sources in access conditions; keep them plain.
    for (char ch : u.login)
      if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '_' && ch != '-' && ch != '@')
        errors.add("login", "may contain only Latin letters, digits and . _ - @");
    if (u.name.empty()) errors.add("name", "required");
    if (u.role == Role::kAssistant && u.manager_id == 0)
      errors.add("manager_id", "an assistant needs the manager they assist");
    if (u.manager_id) {
      SC_ASSIGN_OR_RETURN(auto m, store::load_user(*s_->conn, u.manager_id));
      if (!m) errors.add("manager_id", "no such user");
      else if (m->role != Role::kManager) errors.add("manager_id", "user " + m->login + " is not a manager");
    }
    if (u.head_id) {
      SC_ASSIGN_OR_RETURN(auto h, store::load_user(*s_->conn, u.head_id));
      if (!h) errors.add("head_id", "no such user");
      else if (h->role != Role::kHead && h->role != Role::kDirector)
        errors.add("head_id", "user " + h->login + " is not a head of department or director");
    }
    SC_ASSIGN_OR_RETURN(auto same_login, store::load_user_by_login(*s_->conn, u.login));
    if (same_login) return Status::already_exists("login '" + u.login + "' is taken", {{"login", "taken"}});
    SC_RETURN_IF_ERROR(errors.to_status("user"));
    u.created_at = s_->now();
    SC_ASSIGN_OR_RETURN(u.id, store::insert_user(*s_->conn, u));
    forget_scopes();  // a head's team just grew
    SC_RETURN_IF_ERROR(log_created(*s_, actor, "user", u));
    return u;
  });
}

Result<User> UserService::get(const Actor& actor, Id id) {
  return read<User>(*s_, [&]() -> Result<User> {
    SC_ASSIGN_OR_RETURN(auto u, store::load_user(*s_->conn, id));
    if (!u) return not_found("user", id);
    return std::move(*u);
  });
}

Result<User> UserService::by_login(const Actor& actor, const std::string& login) {
  return read<User>(*s_, [&]() -> Result<User> {
    SC_ASSIGN_OR_RETURN(auto u, store::load_user_by_login(*s_->conn, login));
    if (!u) return Status::not_found("user '" + login + "' does not exist");
    return std::move(*u);
  });
}

Result<std::vector<User>> UserService::list(const Actor& actor) {
  return read<std::vector<User>>(*s_, [&] { return store::list_users(*s_->conn); });
}

Result<std::vector<Event>> EventService::since(std::int64_t after, int limit) {
  return read<std::vector<Event>>(*s_, [&] { return store::events_since(*s_->conn, after, limit); });
}

Result<std::int64_t> EventService::last_seq() {
  return read<std::int64_t>(*s_, [&] { return store::last_event_seq(*s_->conn); });
}

void EventService::wait_for_more(std::int64_t after, int at_most_ms) {
  store::EventSignal& signal = *s_->event_signal;
  const std::uint64_t seen = signal.generation();
  // Taken before this read: a commit after it wakes the wait below at once.
  auto last = last_seq();
  if (!last.ok() || *last > after) return;
  signal.wait_past(seen, at_most_ms);
}

}  // namespace salescore
