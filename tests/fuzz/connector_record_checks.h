// What must hold for any record a connector hands the host to apply (entity, source,
// external id, JSON fields: plugins/host/record_apply.h): it is applied, or refused
// with a status naming what is wrong, and the engine stays whole. The input is
// "entity\nexternal_id\njson"; the records go to one in-memory engine (a fresh one every
// 20,000 inputs), acting as the onec connector's integration user, so a record
// may meet what earlier ones made. connector_record_fuzz.cpp checks it on every input,
// FuzzCorpora on the checked-in seeds.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "host/integration_user.h"
#include "host/record_apply.h"
#include "salescore/engine.h"

namespace salescore::fuzz {

struct RecordEngine {
  std::unique_ptr<Engine> engine;
  Actor actor;
};

inline RecordEngine make_record_engine() {
  return [] {
    RecordEngine e;
    auto opened = Engine::open("sqlite::memory:");
    if (!opened.ok()) std::abort();
    e.engine = std::move(opened).value();
    auto actor = plugins::connector_actor(*e.engine, "onec");
    if (!actor.ok()) std::abort();
    e.actor = *actor;
    return e;
  }();
}

// A fresh engine every kRecordsPerEngine inputs: a catalog record looks at every product
// of its source that it does not name, and one engine for a whole run slowed the target
// from ~7,000 records a second to ~600 by 3 million (docs/reliability.md, seventh session).
constexpr int kRecordsPerEngine = 20'000;

inline RecordEngine& record_engine() {
  static RecordEngine held;
  static int records = 0;
  if (!held.engine || ++records > kRecordsPerEngine) {
    held.engine.reset();
    held = make_record_engine();
    records = 1;
  }
  return held;
}

inline std::string check_connector_record(std::string_view input) {
  const std::size_t a = input.find('\n');
  if (a == std::string_view::npos) return {};
  const std::size_t b = input.find('\n', a + 1);
  if (b == std::string_view::npos) return {};
  plugins::NormalizedRecord record{std::string(input.substr(0, a)), "onec",
                                   std::string(input.substr(a + 1, b - a - 1)), std::string(input.substr(b + 1)), ""};
  RecordEngine& e = record_engine();
  auto applied = plugins::apply_record(*e.engine, e.actor, record);
  if (!applied.ok()) {
    if (applied.status().message().empty()) return "a record refused without a reason";
    return {};
  }
  if (applied->id <= 0 && record.entity != "product_catalog") return "a record applied without an id";
  // Applied again unchanged, the same record changes nothing and lands on the same id.
  auto again = plugins::apply_record(*e.engine, e.actor, record);
  if (!again.ok()) return "a record applied once is refused the second time: " + again.status().message();
  if (again->id != applied->id) return "the same record applied twice made two records";
  return {};
}

}  // namespace salescore::fuzz
