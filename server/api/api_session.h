// The browser's credentials: the session cookie a login sets, and the CSRF check every
// state-changing request made with it must pass. API tokens do not need the check: a
// browser never sends an Authorization header on its own.
#pragma once

#include <string>

#include "http/http_message.h"
#include "salescore/engine.h"

namespace salescore::cli {

constexpr const char* kSessionCookie = "salescore_session";
constexpr const char* kCsrfHeader = "X-CSRF-Token";

// The session cookie's secret, or empty.
std::string session_cookie(const http::HttpRequest& request);

// The session of `secret`; for a method other than GET and HEAD also the request's
// X-CSRF-Token must be the session's token (kPermissionDenied otherwise).
Result<SessionUser> check_session(Engine& engine, const http::HttpRequest& request, const std::string& secret);

// Behind a TLS front end (`[server] secure_cookies = true`) the cookie is marked Secure, so a
// browser never sends it over plain HTTP. Off by default: `serve` itself speaks plain HTTP
// on loopback, where a Secure cookie would never come back. Set once at start.
void set_secure_session_cookies(bool on);

// Set-Cookie values: a new session's cookie, and the one that clears it.
std::string session_set_cookie(const std::string& secret, std::int64_t max_age_s);
std::string session_clear_cookie();

}  // namespace salescore::cli
