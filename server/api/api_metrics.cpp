#include "api/api_metrics.h"

#include <cstdio>
#include <sstream>

#include "api/api_rate_limit.h"

namespace salescore::cli {
namespace {

// Label values are route patterns and connector names, but escape anyway: a label that
// breaks the format would break every scrape.
std::string label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

ApiMetrics& ApiMetrics::instance() {
  static ApiMetrics metrics;
  return metrics;
}

void ApiMetrics::record(const std::string& method, const std::string& route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{method, route, status}];
  Histogram& h = latency_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++h.le[i];
  ++h.count;
  h.sum += seconds;
}

void ApiMetrics::set_connectors(std::vector<std::string> names) {
  std::lock_guard lock(mutex_);
  connectors_ = std::move(names);
}

std::string ApiMetrics::render(Engine& engine) const {
  std::ostringstream out;
  std::vector<std::string> connectors;
  {
    std::lock_guard lock(mutex_);
    out << "# HELP salescore_http_requests_total HTTP requests answered, by route and status.\n"
        << "# TYPE salescore_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
      const auto& [method, route, status] = key;
      out << "salescore_http_requests_total{method=\"" << label(method) << "\",route=\"" << label(route)
          << "\",status=\"" << status << "\"} " << n << "\n";
    }
    out << "# HELP salescore_http_request_duration_seconds Time to answer a request, by route.\n"
        << "# TYPE salescore_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
      const std::string r = "route=\"" + label(route) + "\"";
      for (std::size_t i = 0; i < kBuckets.size(); ++i)
        out << "salescore_http_request_duration_seconds_bucket{" << r << ",le=\"" << number(kBuckets[i]) << "\"} "
            << h.le[i] << "\n";
      out << "salescore_http_request_duration_seconds_bucket{" << r << ",le=\"+Inf\"} " << h.count << "\n"
          << "salescore_http_request_duration_seconds_sum{" << r << "} " << number(h.sum) << "\n"
          << "salescore_http_request_duration_seconds_count{" << r << "} " << h.count << "\n";
    }
    connectors = connectors_;
  }
  // Engine reads outside the lock: they wait for the engine, and requests must not wait
  // for a scrape.
  out << "# HELP salescore_outbox_pending Items in a connector's outbox waiting for delivery.\n"
      << "# TYPE salescore_outbox_pending gauge\n";
  for (const auto& name : connectors) {
    auto pending = engine.connectors().pending(name);
    if (pending.ok()) out << "salescore_outbox_pending{connector=\"" << label(name) << "\"} " << *pending << "\n";
  }
  // Connector state: when it last worked and whether its last run failed, so an alert
  // can fire on a connector that stopped succeeding.
  out << "# HELP salescore_connector_last_success_seconds Unix time of a connector's last successful run.\n"
      << "# TYPE salescore_connector_last_success_seconds gauge\n"
      << "# HELP salescore_connector_failing 1 when a connector's last run failed.\n"
      << "# TYPE salescore_connector_failing gauge\n";
  for (const auto& name : connectors) {
    auto state = engine.connectors().state(name);
    if (!state.ok()) continue;
    const std::string l = "{connector=\"" + label(name) + "\"}";
    if (state->last_success_at)
      out << "salescore_connector_last_success_seconds" << l << " " << state->last_success_at->ms / 1000 << "\n";
    out << "salescore_connector_failing" << l << " " << (state->last_error.empty() ? 0 : 1) << "\n";
  }
  out << "# HELP salescore_dead_letters Dead letters not yet replayed, all connectors.\n"
      << "# TYPE salescore_dead_letters gauge\n";
  if (auto dead = engine.connectors().count_dead_letters(""); dead.ok())
    out << "salescore_dead_letters " << *dead << "\n";
  out << "# HELP salescore_serve_processes Live serve processes of the database sharing the API rate limit.\n"
      << "# TYPE salescore_serve_processes gauge\n"
      << "salescore_serve_processes " << RateLimiter::instance().processes() << "\n";
  out << "# HELP salescore_events_last_seq Sequence number of the newest event in the log.\n"
      << "# TYPE salescore_events_last_seq gauge\n";
  if (auto seq = engine.events().last_seq(); seq.ok()) out << "salescore_events_last_seq " << *seq << "\n";
  return out.str();
}

}  // namespace salescore::cli
