// /api/v1/events: the event log, read after a sequence number, optionally waiting for
// new events (long poll) so a consumer need not poll in a tight loop.
#include <algorithm>
#include <atomic>
#include <chrono>

#include <limits>

#include "api/api_router.h"

namespace salescore::cli {
namespace {

constexpr std::int64_t kMaxWaitSeconds = 20;  // a long poll holds a worker: keep it short
// A waiting poll wakes when the log moves (EventService::wait_for_more: a commit here, a
// NOTIFY from another process on PostgreSQL), and at least this often anyway: to end
// when the server stops, and to read again should a notice be lost.
constexpr int kRecheckMs = 500;

int wait_ms(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return static_cast<int>(std::clamp<std::int64_t>(left.count(), 1, kRecheckMs));
}

// ?wait=N: how long a long poll may wait, 0..20 s (the described range: more is a 400).
Result<std::int64_t> wait_seconds(QueryReader& q) {
  auto n = q.integer("wait", 0, kMaxWaitSeconds);
  if (Status st = q.status(); !st.is_ok()) return st;  // "wait: expected a whole number from 0 to 20"
  return n.value_or(0);
}

HttpReply list(ApiCall& call) {
  // The event log pages like every list, by its seq instead of an id.
  auto page = page_of(call);
  if (!page.ok()) return error_reply(page.status());
  const std::int64_t after = page->after_id;
  const int limit = page->limit - 1;  // a page, without the look-ahead row of page_of
  QueryReader q(call);
  auto wait_s = wait_seconds(q);
  if (!wait_s.ok()) return error_reply(wait_s.status());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(*wait_s);
  for (;;) {
    auto events = call.engine.events().since(call.actor, after, limit);
    if (!events.ok()) return error_reply(events.status());
    if (!events->empty() || std::chrono::steady_clock::now() >= deadline || long_polls_ended()) {
      std::vector<std::string> items;
      for (const Event& e : *events) items.push_back(fields_of(e).to_json());
      std::optional<std::string> next;
      // The cursor of an event list is the last seq: always set, so a consumer resumes
      // from it whether or not the page was full.
      next = std::to_string(events->empty() ? after : events->back().seq);
      return page_reply(items, next);
    }
    call.engine.events().wait_for_more(after, wait_ms(deadline));
  }
}

// Whether anything changed after ?after=: only the latest seq, never what changed, so
// every logged-in user may wait on it (the log itself is for those who see everything).
// The screens refetch their figures, through the access rules, when it moves.
HttpReply changes(ApiCall& call) {
  QueryReader q(call);
  std::int64_t after = 0;
  if (auto t = q.integer("after", 0, std::numeric_limits<std::int64_t>::max()); t) after = *t;
  if (Status st = q.status(); !st.is_ok()) return error_reply(st);
  auto wait_s = wait_seconds(q);
  if (!wait_s.ok()) return error_reply(wait_s.status());
  if (Status st = q.status(); !st.is_ok()) return error_reply(st);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(*wait_s);
  for (;;) {
    auto seq = call.engine.events().last_seq();
    if (!seq.ok()) return error_reply(seq.status());
    if (*seq != after || std::chrono::steady_clock::now() >= deadline || long_polls_ended())
      return json_reply(200, "{\"seq\":" + std::to_string(*seq) + "}");
    call.engine.events().wait_for_more(*seq, wait_ms(deadline));
  }
}

std::atomic<bool> g_long_polls_ended{false};

}  // namespace

void end_long_polls() { g_long_polls_ended = true; }
bool long_polls_ended() { return g_long_polls_ended.load(); }

void add_event_routes(std::vector<Route>& out) {
  const FieldSpec kWait = field::integer("wait", "Seconds to wait for news").range(0, kMaxWaitSeconds).eg("20");
  out.push_back({.method = "GET", .pattern = "/api/v1/events",
                 .summary = "Events after a seq, oldest first (?wait=N long-polls up to 20 s)", .handler = list,
                 .filters = {kWait}, .paged = true, .long_poll = true, .reply = Reply::page("Event")});
  out.push_back({.method = "GET", .pattern = "/api/v1/changes",
                 .summary = "The latest event seq, once it differs from ?after= (?wait=N long-polls up to 20 s); "
                            "any user: it says that something changed, not what",
                 .handler = changes,
                 .filters = {field::integer("after", "The seq the caller knows; absent: 0").range(0, std::numeric_limits<std::int64_t>::max()).eg("1200"), kWait},
                 .long_poll = true,
                 .reply = Reply::record("Seq")});
}

}  // namespace salescore::cli
