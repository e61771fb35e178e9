// What only the connector host reads and writes while it applies incoming records
// (plugins/host/record_apply.h), kept by the engine because it must commit with the
// record it guards, and reached by no REST route or Python call.
//
// Declared in a header of its own, not in engine.h or connectors.h, so that adding to it
// recompiles the host and core files that use it rather than the whole project.
//
// Thread-safety: like every service, calls are serialized on the engine's connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "salescore/status.h"

namespace salescore {

class Engine;
namespace detail {
struct EngineState;
}

// Made where it is used (`ConnectorIngestService(engine).record_version(...)`): it is a
// view of the engine, as cheap as a pointer, not a member of Engine, so that engine.h
// (which every file of the project includes) does not change with it.
class ConnectorIngestService {
 public:
  explicit ConnectorIngestService(Engine& engine);

  // ---- versions of incoming records ----
  // The newest version (a shop's modified time) of `source`'s `entity` `external_id`
  // applied so far; nullopt before the first. Kept in a table of its own
  // (connector_record_versions), so editing the record, its custom fields included,
  // cannot make a stale retry look new.
  Result<std::optional<std::int64_t>> record_version(const std::string& source, const std::string& entity,
                                                     const std::string& external_id);
  // Keeps `version` as the newest, unless a newer one is kept already (it never goes
  // back). Joins an open Engine::batch, so it is kept with the write it guards or not at
  // all. An empty source, entity or external id is kInvalidArgument.
  Status raise_record_version(const std::string& source, const std::string& entity, const std::string& external_id,
                              std::int64_t version);

  // ---- payment transactions of incoming orders ----
  // Notes that `source`'s order `external_id` was paid by the payment transaction
  // `reference` (a shop's transaction id; noting it again changes nothing) and returns
  // the external ids of the source's other orders paid by the same one, so they can be
  // flagged. Joins an open Engine::batch. Empty arguments are kInvalidArgument.
  Result<std::vector<std::string>> note_payment_reference(const std::string& source, const std::string& reference,
                                                          const std::string& external_id);

 private:
  detail::EngineState* s_;
};

}  // namespace salescore
