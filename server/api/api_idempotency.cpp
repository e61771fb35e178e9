#include "api/api_idempotency.h"

namespace salescore::cli {

HttpReply run_route_once(const Route& route, ApiCall& call, const http::HttpRequest& request) {
  const std::string* key = request.header("Idempotency-Key");
  if (!key || request.method == "GET") return run_route(route, call);
  // What "the same request" means under one key: the same method, target and body bytes.
  std::string identity;
  identity.reserve(request.method.size() + request.target.size() + request.body.size() + 2);
  identity.append(request.method).append(" ").append(request.target).append("\n").append(request.body);
  auto once = call.engine.idempotency().once(call.actor, *key, identity, [&] {
    HttpReply reply = run_route(route, call);
    const bool done = reply.status >= 200 && reply.status < 300;
    return WriteReply{KeptReply{reply.status, std::move(reply.body)}, done};
  });
  if (!once.ok()) return error_reply(once.status());
  HttpReply reply = json_reply(once->reply.status, once->reply.body);
  reply.replayed = once->replayed;
  return reply;
}

}  // namespace salescore::cli
