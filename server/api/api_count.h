// A list route and its count route (GET /api/v1/<collection>/count) from one reader of
// the list's filters, so both take the same filters and the count is what the list would
// page through, as the engine's count() gives it (the caller's access scope).
#pragma once

#include <string>

#include "api/api_router.h"

namespace salescore::cli {

inline HttpReply count_reply(const Result<std::int64_t>& counted) {
  if (!counted.ok()) return error_reply(counted.status());
  return json_reply(200, "{\"count\":" + std::to_string(*counted) + "}");
}

// `read` turns the call's query into the service's query; `service` is the Engine's
// accessor (&Engine::clients).
template <class Query, class Service>
HttpReply list_of(ApiCall& call, Result<Query> (*read)(ApiCall&), Service& (Engine::*service)()) {
  auto page = page_of(call);
  if (!page.ok()) return error_reply(page.status());
  auto query = read(call);
  if (!query.ok()) return error_reply(query.status());
  query->page = *page;
  return list_reply(((call.engine).*service)().find(call.actor, *query), *page);
}

template <class Query, class Service>
HttpReply count_of(ApiCall& call, Result<Query> (*read)(ApiCall&), Service& (Engine::*service)()) {
  auto query = read(call);
  if (!query.ok()) return error_reply(query.status());
  return count_reply(((call.engine).*service)().count(call.actor, *query));
}

}  // namespace salescore::cli
