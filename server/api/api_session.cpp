#include "api/api_session.h"

#include <sodium.h>

#include <atomic>

namespace salescore::cli {
namespace {
std::atomic<bool> secure_cookies{false};
std::string cookie_attributes() {
  return std::string("; Path=/; HttpOnly; SameSite=Strict") + (secure_cookies.load() ? "; Secure" : "");
}
}  // namespace

void set_secure_session_cookies(bool on) { secure_cookies.store(on); }

std::string session_cookie(const http::HttpRequest& request) {
  const std::string prefix = std::string(kSessionCookie) + "=";
  // Every Cookie line and every pair in it: "a=1; salescore_session=scs_...".
  for (const auto& h : request.headers) {
    if (!http::iequals(h.name, "Cookie")) continue;
    std::string_view rest = h.value;
    while (!rest.empty()) {
      const std::size_t semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      if (pair.substr(0, prefix.size()) == prefix) return std::string(pair.substr(prefix.size()));
      if (semi == std::string_view::npos) break;
      rest.remove_prefix(semi + 1);
    }
  }
  return {};
}

Result<SessionUser> check_session(Engine& engine, const http::HttpRequest& request, const std::string& secret) {
  auto session = engine.accounts().resolve(secret);
  if (!session.ok()) return session.status();
  if (request.method == "GET" || request.method == "HEAD") return session;
  const std::string* sent = request.header(kCsrfHeader);
  const std::string& expected = session->session.csrf_token;
  // Compared in constant time: the token is a secret of the page.
  if (!sent || sent->size() != expected.size() || sodium_memcmp(sent->data(), expected.data(), expected.size()) != 0)
    return Status::permission_denied(std::string("a change made with a login needs the page's ") + kCsrfHeader +
                                     " header (reload the page)");
  return session;
}

std::string session_set_cookie(const std::string& secret, std::int64_t max_age_s) {
  return std::string(kSessionCookie) + "=" + secret + cookie_attributes() + "; Max-Age=" + std::to_string(max_age_s);
}

std::string session_clear_cookie() {
  return std::string(kSessionCookie) + "=" + cookie_attributes() + "; Max-Age=0";
}

}  // namespace salescore::cli
