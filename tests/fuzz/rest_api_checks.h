// What must hold for any REST call a client with a valid token makes: its query string
// and JSON body are read strictly, and the answer is a reply, never a crash, a hang or a
// 500 (an exception escaping a route). The input is "METHOD TARGET\n" and then the
// body; the calls go to the API service of `salescore serve` (server/http_api.h) on one
// in-memory engine that serves 20,000 inputs, as its director with a bearer token, so a
// call may meet what earlier ones made. rest_api_fuzz.cpp checks it on every
// input, FuzzCorpora on the checked-in seeds.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "http_api.h"
#include "salescore/engine.h"
#include "salescore/tokens.h"

namespace salescore::fuzz {

struct RestEngine {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<cli::ApiService> api;
  std::string bearer;
};

inline RestEngine make_rest_engine() {
  return [] {
    RestEngine e;
    auto opened = Engine::open("sqlite::memory:");
    if (!opened.ok()) std::abort();
    e.engine = std::move(opened).value();
    User director;
    director.login = "orlov.vp";
    director.name = "Орлов Виктор Петрович";
    director.role = Role::kDirector;
    auto user = e.engine->users().add(Actor::system(), director);
    if (!user.ok()) std::abort();
    auto token = e.engine->tokens().create(Actor::system(), user->id, "fuzz");
    if (!token.ok()) std::abort();
    e.bearer = "Bearer " + token->secret;
    e.api = std::make_unique<cli::ApiService>(*e.engine);
    return e;
  }();
}

// A fresh engine every kCallsPerEngine inputs: each call that lists or exports reads what
// all the earlier ones made, and one engine for a whole run slowed the target from ~7,000
// calls a second to ~400 by 2.5 million (docs/reliability.md, seventh session).
constexpr int kCallsPerEngine = 20'000;

inline RestEngine& rest_engine() {
  static RestEngine held;
  static int calls = 0;
  if (!held.engine || ++calls > kCallsPerEngine) {
    held.api.reset();  // the service holds the engine: it goes first
    held.engine.reset();
    held = make_rest_engine();
    calls = 1;
  }
  return held;
}

inline std::string check_rest_api(std::string_view input) {
  const std::size_t space = input.find(' ');
  const std::size_t eol = input.find('\n');
  if (space == std::string_view::npos || eol == std::string_view::npos || space > eol) return {};
  RestEngine& e = rest_engine();
  http::HttpRequest request;
  request.method.assign(input.substr(0, space));
  request.target.assign(input.substr(space + 1, eol - space - 1));
  request.headers.push_back({"Host", "127.0.0.1"});
  request.headers.push_back({"Authorization", e.bearer});
  request.remote = request.remote_host = "127.0.0.1";
  const std::string_view body = input.substr(eol + 1);
  if (!body.empty()) request.headers.push_back({"Content-Type", "application/json"});
  // What the front end does before the service sees the request.
  if (body.size() > e.api->body_limit(request))
    request.body_too_large = true;
  else
    request.body.assign(body);
  // The long poll waits for events by design: not a hang.
  if (e.api->lane(request) == http::HttpService::Lane::kWaiting) return {};
  const http::HttpResponse response = e.api->answer(request);
  if (response.status < 200 || response.status > 599) return "a status out of range";
  if (response.status == 500) return "a 500 for " + request.method + " " + request.target + ": " + response.body;
  // A streamed reply (an export) is produced to its end, as the event loop would.
  for (int piece = 0; response.stream && piece < 10'000; ++piece) {
    std::string data;
    const http::StreamStep step = response.stream(data);
    if (step == http::StreamStep::kFailed) return "a streamed reply failed for " + request.target;
    if (step == http::StreamStep::kDone) break;
  }
  return {};
}

}  // namespace salescore::fuzz
