// Writes a realistic demo sales department through the engine: staff, catalogue,
// clients with contacts, deals, tasks and interaction history, and a year of orders.
//
// Everything goes through the engine services inside Engine::batch, so the rules and the
// event log apply exactly as for any other writer. Running it again with the same seed
// and day changes nothing: clients, products, interactions and orders are upserted by
// their demo external ids, users are found by login, and a client's contacts, deals and
// tasks are only written when the client itself is new.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "salescore/engine.h"

namespace salescore::cli {

struct DemoOptions {
  std::int64_t clients = 3000;
  std::int64_t orders = 30000;
  std::uint64_t seed = 1;
  Instant today;  // orders fall in the 365 days before it; tasks are due around it
};

// What the writes did to one kind of record.
struct DemoTally {
  std::string entity;
  std::int64_t created = 0, updated = 0, unchanged = 0;
  void count(WriteOutcome outcome);
};

// Called after each committed batch.
using DemoProgress = std::function<void(std::string_view phase, std::int64_t done, std::int64_t total)>;

Result<std::vector<DemoTally>> write_demo_company(Engine& engine, const DemoOptions& options,
                                                  const DemoProgress& progress);

}  // namespace salescore::cli
