// What /metrics reports, in the Prometheus text format: requests by route and status, a
// latency histogram per route, and the state of the engine's queues (outbox backlog per
// connector, dead letters not yet replayed).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "salescore/engine.h"

namespace salescore::cli {

class ApiMetrics {
 public:
  static ApiMetrics& instance();

  // `route` is the route's pattern ("/api/v1/clients/{id}"), never the raw path, so the
  // number of series stays bounded whatever clients send.
  void record(const std::string& method, const std::string& route, int status, double seconds);
  // The connectors whose outbox backlog is reported (set once at startup).
  void set_connectors(std::vector<std::string> names);
  std::string render(Engine& engine) const;

  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5};

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> le{};  // cumulative counts per bucket
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  std::vector<std::string> connectors_;
};

}  // namespace salescore::cli
