// /api/v1/dead-letters: what the connectors gave up on, and sending it through again
// once the cause is fixed; the same as `salescore deadletters list|replay` and Python's
// (plugins/host/dead_letter_replay.h). For the people who run the connectors (a
// director, an admin): core's ConnectorService::check_operator refuses anyone else.
#include "api/api_router.h"
#include "host/dead_letter_replay.h"

namespace salescore::cli {
namespace {

HttpReply list(ApiCall& call) {
  if (Status st = call.engine.connectors().check_operator(call.actor, "list"); !st.is_ok()) return error_reply(st);
  auto page = page_of(call);
  if (!page.ok()) return error_reply(page.status());
  QueryReader q(call);
  DeadLetterQuery query;
  query.connector = q.text("connector");
  query.include_replayed = q.boolean("all").value_or(false);
  if (Status st = q.status(); !st.is_ok()) return error_reply(st);
  query.after_id = page->after_id;
  query.limit = page->limit;
  return list_reply(call.engine.connectors().dead_letters(query), *page);
}

HttpReply get(ApiCall& call) {
  if (Status st = call.engine.connectors().check_operator(call.actor, "read"); !st.is_ok()) return error_reply(st);
  auto letter = call.engine.connectors().dead_letter(call.id);
  if (!letter.ok()) return error_reply(letter.status());
  return json_reply(200, fields_of(*letter).to_json());
}

HttpReply replay(ApiCall& call) {
  if (Status st = call.engine.connectors().check_operator(call.actor, "replay"); !st.is_ok()) return error_reply(st);
  auto body = body_of(call, {});
  if (!body.ok()) return error_reply(body.status());
  if (Status st = body->status("dead letter replay"); !st.is_ok()) return error_reply(st);
  // Written as the letter's connector, as the CLI does: the record is the connector's.
  auto outcome = plugins::replay_dead_letter(call.engine, call.id);
  if (!outcome.ok()) return error_reply(outcome.status());
  auto letter = call.engine.connectors().dead_letter(call.id);
  if (!letter.ok()) return error_reply(letter.status());
  FieldList f = fields_of(*letter);
  f.string("outcome", plugins::replay_outcome_name(*outcome));
  return json_reply(200, f.to_json());
}

}  // namespace

void add_connector_routes(std::vector<Route>& out) {
  out.push_back({.method = "GET", .pattern = "/api/v1/dead-letters",
                 .summary = "Dead letters of the connectors, oldest first (?connector=, ?all=true with the replayed)",
                 .handler = list, .filters = {"connector", "all"}, .paged = true, .reply = Reply::page("DeadLetter")});
  out.push_back({.method = "GET", .pattern = "/api/v1/dead-letters/{id}", .summary = "One dead letter",
                 .handler = get, .reply = Reply::record("DeadLetter")});
  out.push_back({.method = "POST", .pattern = "/api/v1/dead-letters/{id}/replay",
                 .summary = "Replay a dead letter once its cause is fixed (each replay is recorded on it; its reason stays)",
                 .handler = replay, .reply = Reply::record("DeadLetterReplayed")});
}

}  // namespace salescore::cli
