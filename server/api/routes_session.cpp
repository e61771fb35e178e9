// /api/v1/login, /logout, /session: people logging in to the screens (accounts.h), and
// the passwords and activation of users that admins set.
#include "api/api_router.h"
#include "api/api_session.h"

namespace salescore::cli {
namespace {

const Fields kLogin = {field::text("login", "The user's login").need().eg("\"smirnova.ev\""),
                       field::text("password", "The password").need()};
const Fields kLanguage = {field::choice("language", {"ru", "en", "zh", "bg"}, "The language of the screens").need()};
const Fields kPassword = {field::text("password", "The new password").need(),
                          field::text("current_password", "The current one, when users set their own")};

std::string session_json(const User& user, const std::string& language, const Session* session) {
  std::string out = "{\"user\":" + fields_of(user).to_json() + ",\"language\":" + json_string(language);
  if (session)
    out += ",\"csrf_token\":" + json_string(session->csrf_token) +
           ",\"expires_at\":" + json_string(format_iso8601(session->expires_at));
  return out + "}";
}

HttpReply log_in(ApiCall& call) {
  auto body = body_of(call, kLogin);
  if (!body.ok()) return error_reply(body.status());
  const std::string login = body->required_text("login");
  const std::string password = body->required_text("password");
  if (Status st = body->status("login"); !st.is_ok()) return error_reply(st);
  // A session the browser brought is never taken over: it ends, and a new one begins.
  if (!call.session_secret.empty()) (void)call.engine.accounts().log_out(call.session_secret);
  auto opened = call.engine.accounts().log_in(login, password, call.remote_host);
  if (!opened.ok()) return error_reply(opened.status());
  auto language = call.engine.accounts().resolve(opened->secret);
  HttpReply reply =
      json_reply(200, session_json(opened->user, language.ok() ? language->language : "", &opened->session));
  const std::int64_t max_age = (opened->session.expires_at.ms - opened->session.created_at.ms) / 1000;
  reply.headers.emplace_back("Set-Cookie", session_set_cookie(opened->secret, max_age));
  return reply;
}

HttpReply log_out(ApiCall& call) {
  if (!call.session_secret.empty()) {
    if (Status st = call.engine.accounts().log_out(call.session_secret); !st.is_ok()) return error_reply(st);
  }
  HttpReply reply = json_reply(200, "{\"logged_out\":true}");
  reply.headers.emplace_back("Set-Cookie", session_clear_cookie());
  return reply;
}

HttpReply current(ApiCall& call) {
  if (call.session) return json_reply(200, session_json(call.session->user, call.session->language, &call.session->session));
  auto user = call.engine.users().get(call.actor, call.actor.user_id);
  if (!user.ok()) return error_reply(user.status());
  return json_reply(200, session_json(*user, "", nullptr));
}

HttpReply set_language(ApiCall& call) {
  auto body = body_of(call, kLanguage);
  if (!body.ok()) return error_reply(body.status());
  const std::string language = body->required_text("language");
  if (Status st = body->status("language"); !st.is_ok()) return error_reply(st);
  if (Status st = call.engine.accounts().set_language(call.actor, language); !st.is_ok()) return error_reply(st);
  return json_reply(200, "{\"language\":" + json_string(language) + "}");
}

HttpReply set_password(ApiCall& call) {
  auto body = body_of(call, kPassword);
  if (!body.ok()) return error_reply(body.status());
  const std::string password = body->required_text("password");
  auto current_password = body->text("current_password");
  if (Status st = body->status("password"); !st.is_ok()) return error_reply(st);
  if (Status st = call.engine.accounts().set_password(call.actor, call.id, password, current_password); !st.is_ok())
    return error_reply(st);
  return json_reply(200, "{\"user_id\":" + std::to_string(call.id) + ",\"password_set\":true}");
}

HttpReply activate(ApiCall& call) {
  return bodyless_action(call, "user activation", [&] { return call.engine.accounts().set_active(call.actor, call.id, true); });
}

HttpReply deactivate(ApiCall& call) {
  return bodyless_action(call, "user deactivation",
                         [&] { return call.engine.accounts().set_active(call.actor, call.id, false); });
}

}  // namespace

void add_session_routes(std::vector<Route>& out) {
  out.push_back({.method = "POST", .pattern = "/api/v1/login",
                 .summary = "Log in with a login and password: sets the HttpOnly session cookie, returns the CSRF token",
                 .handler = log_in, .fields = kLogin, .needs_token = false, .reply = Reply::record("Session")});
  out.push_back({.method = "POST", .pattern = "/api/v1/logout", .summary = "End the cookie's session",
                 .handler = log_out, .reply = Reply::record("LoggedOut")});
  out.push_back({.method = "GET", .pattern = "/api/v1/session",
                 .summary = "Who is logged in: the user, their language, the session's CSRF token", .handler = current,
                 .reply = Reply::record("Session")});
  out.push_back({.method = "POST", .pattern = "/api/v1/session/language",
                 .summary = "Remember the user's language of the screens (ru, en, zh, bg)", .handler = set_language,
                 .fields = kLanguage, .reply = Reply::record("Language")});
  out.push_back({.method = "POST", .pattern = "/api/v1/users/{id}/password",
                 .summary = "Set a user's password (admin, director; a user their own with current_password)",
                 .handler = set_password, .fields = kPassword, .reply = Reply::record("PasswordSet")});
  out.push_back({.method = "POST", .pattern = "/api/v1/users/{id}/deactivate",
                 .summary = "Deactivate a user: their sessions end, their tokens stop working", .handler = deactivate,
                 .reply = Reply::record("User")});
  out.push_back({.method = "POST", .pattern = "/api/v1/users/{id}/activate", .summary = "Reactivate a user",
                 .handler = activate, .reply = Reply::record("User")});
}

}  // namespace salescore::cli
