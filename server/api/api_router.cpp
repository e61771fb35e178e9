#include "api/api_router.h"
#include "api/api_query.h"
#include "api/routes_fulfilment.h"
#include "api/routes_refunds.h"

#include <algorithm>
#include <array>
#include <charconv>

namespace salescore::cli {
namespace {

// The segments of a path, without allocating: no route has more than kMaxSegments, so
// a longer path matches none.
constexpr std::size_t kMaxSegments = 8;
struct Segments {
  std::array<std::string_view, kMaxSegments> part;
  std::size_t count = 0;
  bool too_many = false;
};

Segments split_path(std::string_view path) {
  Segments out;
  std::size_t start = 1;  // after the leading '/'
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (out.count == kMaxSegments) {
      out.too_many = true;
      break;
    }
    out.part[out.count++] = path.substr(start, slash - start);
    start = slash + 1;
  }
  return out;
}

// Does `path` fit `pattern`? On a fit, `id_text` is the segment in the {id} place.
bool fits(const Segments& pattern, const Segments& path, std::string_view& id_text) {
  if (pattern.count != path.count || path.too_many) return false;
  for (std::size_t i = 0; i < pattern.count; ++i) {
    if (pattern.part[i] == "{id}") {
      id_text = path.part[i];
      continue;
    }
    if (pattern.part[i] != path.part[i]) return false;
  }
  return true;
}

std::vector<Route> build_routes() {
  std::vector<Route> routes;
  add_meta_routes(routes);
  add_client_routes(routes);
  add_contact_routes(routes);
  add_product_routes(routes);
  add_deal_routes(routes);
  add_order_routes(routes);
  add_activity_routes(routes);
  add_email_routes(routes);
  add_lead_routes(routes);
  add_payment_routes(routes);
  add_proposal_routes(routes);
  add_approval_routes(routes);
  add_aftersales_routes(routes);
  add_fulfilment_routes(routes);
  add_refund_routes(routes);
  add_visit_routes(routes);
  add_people_routes(routes);
  add_event_routes(routes);
  add_kpi_routes(routes);
  add_market_routes(routes);
  add_plan_routes(routes);
  add_connector_routes(routes);
  add_session_routes(routes);
  add_daily_routes(routes);
  add_field_routes(routes);
  add_export_routes(routes);
  return routes;
}

}  // namespace

const std::vector<Route>& api_routes() {
  static const std::vector<Route> routes = [] {
    std::vector<Route> all = build_routes();
    for (Route& r : all) r.filters = with_shared_descriptions(r.filters);
    return all;
  }();
  return routes;
}

namespace {
// The patterns of api_routes(), split once (views into the routes, which live for ever).
const std::vector<Segments>& route_segments() {
  static const std::vector<Segments> segments = [] {
    std::vector<Segments> out;
    for (const Route& route : api_routes()) out.push_back(split_path(route.pattern));
    return out;
  }();
  return segments;
}

// The order routes are tried in: those without {id} first, so that a literal path such as
// /api/v1/tasks/today is not taken for /api/v1/tasks/{id} with the id "today".
const std::vector<std::size_t>& match_order() {
  static const std::vector<std::size_t> order = [] {
    std::vector<std::size_t> literal, with_id;
    const auto& routes = api_routes();
    for (std::size_t r = 0; r < routes.size(); ++r)
      (routes[r].pattern.find("{id}") == std::string::npos ? literal : with_id).push_back(r);
    literal.insert(literal.end(), with_id.begin(), with_id.end());
    return literal;
  }();
  return order;
}
}  // namespace

std::optional<Id> parse_id(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  for (char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  Id id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

RouteMatch match_route(const std::string& method, const std::string& path) {
  RouteMatch match;
  const Segments parts = split_path(path);
  std::string allow;
  std::string_view id_text;
  const auto& routes = api_routes();
  const auto& patterns = route_segments();
  bool literal_fit = false;  // a path a literal pattern names is never read as an {id}
  for (std::size_t r : match_order()) {
    const Route& route = routes[r];
    std::string_view candidate_id;
    const bool has_id = route.pattern.find("{id}") != std::string::npos;
    if (literal_fit && has_id) break;
    if (!fits(patterns[r], parts, candidate_id)) continue;
    literal_fit = literal_fit || !has_id;
    if (route.method != method) {
      if (allow.find(route.method) == std::string::npos) allow += (allow.empty() ? "" : ", ") + route.method;
      continue;
    }
    match.route = &route;
    id_text = candidate_id;
    break;
  }
  if (!match.route) {
    if (allow.empty()) {
      match.refusal = error_reply(404, code_name(Code::kNotFound), "no such resource: " + path);
    } else {
      match.refusal = error_reply(405, "method_not_allowed", method + " is not allowed on " + path);
      match.refusal->allow = allow;
    }
    return match;
  }
  if (match.route->pattern.find("{id}") != std::string::npos) {
    auto id = parse_id(id_text);
    if (!id) {
      std::string shown(id_text.substr(0, 64));
      match.refusal = error_reply(400, code_name(Code::kInvalidArgument),
                                  "'" + shown + "' is not a record id (expected a positive whole number)",
                                  {{"id", "expected a positive whole number"}});
      match.route = nullptr;
      return match;
    }
    match.id = *id;
  }
  return match;
}

HttpReply run_route(const Route& route, ApiCall& call) {
  std::map<std::string, std::string> unknown;
  for (const auto& [name, value] : call.query) {
    const bool paging = route.paged && (name == "after" || name == "limit");
    if (!paging && !route.filters.find(name))
      unknown.emplace(name.substr(0, 64), "unknown query parameter");
  }
  if (!unknown.empty())
    return error_reply(400, code_name(Code::kInvalidArgument), "unknown query parameter(s) for " + route.pattern,
                       unknown);
  call.filters = &route.filters;
  return route.handler(call);
}

Result<Page> page_of(const ApiCall& call) {
  Page page;
  page.limit = kDefaultPageSize;
  // An empty cursor or 0 is the start of the list.
  if (auto it = call.query.find("after"); it != call.query.end() && !it->second.empty() && it->second != "0") {
    auto after = parse_id(it->second);
    if (!after) return Status::invalid("?after= is not a cursor of this list", {{"after", "not a cursor"}});
    page.after_id = *after;
  }
  if (auto it = call.query.find("limit"); it != call.query.end()) {
    auto limit = parse_id(it->second);
    if (!limit) return Status::invalid("?limit= must be a positive whole number", {{"limit", "expected 1.." +
                                                                                       std::to_string(kMaxPageSize)}});
    page.limit = static_cast<int>(std::min<Id>(*limit, kMaxPageSize));
  }
  page.limit += 1;
  return page;
}

Result<BodyReader> body_of(const ApiCall& call, const Fields& writable) {
  const bool blank = call.body.find_first_not_of(" \t\r\n") == std::string::npos;
  BodyReader reader = BodyReader::empty();
  if (!blank) {
    SC_ASSIGN_OR_RETURN(reader, BodyReader::parse(call.body));
  }
  reader.describe(writable);
  return reader;
}

}  // namespace salescore::cli
