// The route table of /api/v1 and the dispatch over it.
//
// Every route is declared once, as a Route: method, path pattern, the query filters and
// body fields it takes, and its handler. The router matches requests against the same
// table that the OpenAPI document (/api/v1/openapi.json) is generated from, so the
// document cannot list a route that is not served or miss one that is.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/api_body.h"
#include "api/api_fields.h"
#include "api/api_reply.h"
#include "salescore/engine.h"

namespace salescore::cli {

// Limits that keep one request from costing the server much.
constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;   // a larger ?limit= is cut to this
constexpr std::size_t kMaxBodyBytes = 1 << 20;  // 1 MiB: larger bodies get 413
constexpr std::size_t kMaxUriBytes = 4096;      // longer request targets get 414

// One request as a route handler sees it.
struct ApiCall {
  Engine& engine;
  Actor actor;                               // the token's user (system for open routes)
  Id id = 0;                                 // the {id} of the path, when the route has one
  std::map<std::string, std::string> query;  // decoded query parameters
  const std::string& body;
  std::string remote_host = {};            // the client's address (login attempts are counted by it)
  std::string session_secret = {};         // the session cookie's secret, when it authenticated the call
  std::optional<SessionUser> session = {};  // the live session of the cookie
  // The route's query parameters (set by run_route): QueryReader holds each read to its
  // description, as BodyReader does a body's fields.
  const Fields* filters = nullptr;
};

using RouteHandler = std::function<HttpReply(ApiCall&)>;

struct Route {
  std::string method;   // "GET", "POST", "PATCH"
  std::string pattern;  // "/api/v1/deals/{id}/advance"
  std::string summary;  // one line for the OpenAPI document
  RouteHandler handler;
  // Query parameters besides after/limit, described (api_query.h): the OpenAPI document
  // types them from it and QueryReader holds every read to it. A bare name ("owner_id")
  // takes the shared description of that name when there is one.
  Fields filters = {};
  Fields fields = {};                     // body fields it accepts (writes), described (api_fields.h)
  bool paged = false;                     // takes ?after= and ?limit=
  bool needs_token = true;                // false: /healthz, /metrics, the document
  bool long_poll = false;                 // waits for new data: no one-snapshot read
  int success_status = 200;
  Reply reply = {};                       // what a success answers (Reply::record("Deal"), ...)
};

// Every route of the API, in the order the document lists them.
const std::vector<Route>& api_routes();

// The routes of one part of the API (routes_*.cpp), appended to `out`.
void add_meta_routes(std::vector<Route>& out);
void add_client_routes(std::vector<Route>& out);
void add_contact_routes(std::vector<Route>& out);
void add_product_routes(std::vector<Route>& out);
void add_deal_routes(std::vector<Route>& out);
void add_order_routes(std::vector<Route>& out);
void add_activity_routes(std::vector<Route>& out);  // interactions, tasks
void add_email_routes(std::vector<Route>& out);     // letters queued for the e-mail connector
void add_lead_routes(std::vector<Route>& out);
void add_payment_routes(std::vector<Route>& out);
void add_proposal_routes(std::vector<Route>& out);
void add_approval_routes(std::vector<Route>& out);  // approvals, deal discounts, contracts
void add_aftersales_routes(std::vector<Route>& out);  // shipments, claims
void add_visit_routes(std::vector<Route>& out);
void add_people_routes(std::vector<Route>& out);    // users, absences
void add_event_routes(std::vector<Route>& out);
void add_kpi_routes(std::vector<Route>& out);     // kpi, reports
void add_market_routes(std::vector<Route>& out);  // market and competitor information
void add_plan_routes(std::vector<Route>& out);    // plans, receivables
void add_connector_routes(std::vector<Route>& out);  // dead letters
void add_session_routes(std::vector<Route>& out);    // login, logout, the session, passwords
void add_daily_routes(std::vector<Route>& out);      // tasks today, route plans, suggested orders
void add_field_routes(std::vector<Route>& out);      // routes, outlet channels, must-have lists
void add_export_routes(std::vector<Route>& out);     // every entity as CSV or JSON Lines

// The route `method path` addresses. A path that matches a pattern under another method
// gives 405 with the Allow list; one that matches nothing, 404; an {id} that is not a
// positive whole number, 400.
struct RouteMatch {
  const Route* route = nullptr;
  Id id = 0;
  std::optional<HttpReply> refusal;  // set when there is no route to run
};
RouteMatch match_route(const std::string& method, const std::string& path);

// Runs the matched route: checks the query parameters against its filters first.
HttpReply run_route(const Route& route, ApiCall& call);

// ---- helpers for the route files ----

// The page a list asks for: ?after=<cursor>&limit=<n>. The returned Page asks the
// engine for one row more than the client wants (limit + 1), so that list_reply can set
// `next` to null exactly on the last page.
Result<Page> page_of(const ApiCall& call);

// A page of records as {"items":[...],"next":...}; `asked` is page_of's Page.
template <class T>
HttpReply list_reply(const Result<std::vector<T>>& rows, const Page& asked) {
  if (!rows.ok()) return error_reply(rows.status());
  const std::size_t page_size = static_cast<std::size_t>(asked.limit - 1);
  std::vector<std::string> items;
  items.reserve(std::min(rows->size(), page_size));
  for (std::size_t i = 0; i < rows->size() && i < page_size; ++i) items.push_back(fields_of((*rows)[i]).to_json());
  std::optional<std::string> next;
  if (rows->size() > page_size && page_size > 0) next = std::to_string((*rows)[page_size - 1].id);
  return page_reply(items, next);
}

// Query filters, read strictly: a bad value is a 400 naming the parameter.
class QueryReader {
 public:
  explicit QueryReader(const ApiCall& call) : call_(&call), query_(call.query) {}
  std::optional<std::string> text(const std::string& name);  // described as text or a date
  std::optional<Id> id(const std::string& name);
  // A user by id ("7") or by login ("petrova.ma"), as on every surface (docs/api.md).
  std::optional<Id> user(const std::string& name);
  std::optional<bool> boolean(const std::string& name);
  std::optional<Instant> instant(const std::string& name);
  // A whole number in [min, max].
  std::optional<std::int64_t> integer(const std::string& name, std::int64_t min, std::int64_t max);
  template <class E>
  std::optional<E> choice(const std::string& name, Result<E> (*parse)(std::string_view)) {
    // The described values must be exactly what the parser accepts.
    if (const FieldSpec* spec = expect(name, FieldType::kChoice, FieldType::kChoice, "choice");
        spec && spec->choices != choices_of(parse))
      drift_ += name + " is described with other values than it accepts; ";
    auto t = raw(name);
    if (!t) return std::nullopt;
    auto v = parse(*t);
    if (!v.ok()) {
      errors_.emplace(name, v.status().message());
      return std::nullopt;
    }
    return *v;
  }
  // kInvalidArgument naming every bad parameter; kInternal when the route read one
  // otherwise than its description says (a bug: tests/python/test_openapi.py meets it).
  Status status() const;

 private:
  std::optional<std::string> raw(const std::string& name) const;
  // The description of `name` when it is of type `a` or `b`; records the drift otherwise.
  // nullptr when the call has no described parameters (a route run without run_route).
  const FieldSpec* expect(const std::string& name, FieldType a, FieldType b, const char* read);
  const ApiCall* call_;
  const std::map<std::string, std::string>& query_;
  std::map<std::string, std::string> errors_;
  std::string drift_;
};

// The body of a write, with every field outside `writable` refused. An empty body reads
// as {} (the engine then names the required fields).
// Described fields are checked as the description says (api_fields.h).
Result<BodyReader> body_of(const ApiCall& call, const Fields& writable);

template <class T>
const T& record_of(const Saved<T>& saved) {
  return saved.record;
}
template <class T>
const T& record_of(const T& record) {
  return record;
}

// A write route: reads the body (fields outside `writable` refused) into the engine's
// input with `read`, and only when every field is well-formed calls `save` with it.
// Replies with the saved record.
template <class Read, class Save>
HttpReply write_record(ApiCall& call, const Fields& writable, const std::string& what, Read read,
                       Save save, int http_status = 200) {
  auto body = body_of(call, writable);
  if (!body.ok()) return error_reply(body.status());
  auto input = read(*body);
  if (Status st = body->status(what); !st.is_ok()) return error_reply(st);
  auto result = save(input);
  if (!result.ok()) return error_reply(result.status());
  return json_reply(http_status, fields_of(record_of(*result)).to_json());
}

// An action that takes no fields: an empty body or {}; any field is refused.
template <class Act>
HttpReply bodyless_action(ApiCall& call, const std::string& what, Act act) {
  return write_record(call, {}, what, [](BodyReader&) { return true; }, [&](bool) { return act(); });
}

// A list the engine returns whole (users, a client's contacts), paged here by id.
template <class T>
HttpReply list_whole(const Result<std::vector<T>>& rows, const Page& asked) {
  if (!rows.ok()) return error_reply(rows.status());
  std::vector<T> page;
  for (const T& row : *rows) {
    if (row.id <= asked.after_id) continue;
    if (static_cast<int>(page.size()) >= asked.limit) break;
    page.push_back(row);
  }
  return list_reply(Result<std::vector<T>>(std::move(page)), asked);
}

// Shutdown: long polls waiting for events return their (empty) page at once, so that
// stopping the server does not wait up to 20 s for each of them.
void end_long_polls();
bool long_polls_ended();

// Parses a record id ("42"): digits only, positive, within int64.
std::optional<Id> parse_id(std::string_view text);

}  // namespace salescore::cli
