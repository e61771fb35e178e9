// The connector host's own bookkeeping of the records it applies (connector_ingest.h):
// the newest version of each incoming record, so an older one is known for stale.
#include "salescore/connector_ingest.h"

#include <map>
#include <utility>

#include "engine/engine_registry.h"
#include "engine/engine_state.h"
#include "store/payment_reference_rows.h"
#include "store/record_version_rows.h"

namespace salescore {
using namespace detail;

namespace {
// kInvalidArgument (`message`) naming each of the three keys that is empty; OK when none is.
Status three_keys(const char* message, std::pair<const char*, const std::string&> a,
                  std::pair<const char*, const std::string&> b, std::pair<const char*, const std::string&> c) {
  std::map<std::string, std::string> missing;
  for (const auto& [name, value] : {a, b, c})
    if (value.empty()) missing[name] = "required";
  if (missing.empty()) return Status::ok();
  return Status::invalid(message, missing);
}
}  // namespace

// The engine's state through the registry every service outside engine.h uses
// (engine_registry.h), so adding this one did not recompile the project.
ConnectorIngestService::ConnectorIngestService(Engine& engine) : s_(detail::state_of(engine)) {}

Result<std::optional<std::int64_t>> ConnectorIngestService::record_version(const std::string& source,
                                                                          const std::string& entity,
                                                                          const std::string& external_id) {
  return read<std::optional<std::int64_t>>(
      *s_, [&] { return store::record_version_of(*s_->conn, source, entity, external_id); });
}

Status ConnectorIngestService::raise_record_version(const std::string& source, const std::string& entity,
                                                    const std::string& external_id, std::int64_t version) {
  SC_RETURN_IF_ERROR(three_keys("a record version needs a source, an entity and an external id", {"source", source},
                                {"entity", entity}, {"external_id", external_id}));
  return in_write_tx(*s_, [&] {
    return store::raise_record_version(*s_->conn, source, entity, external_id, version, s_->now());
  });
}

Result<std::vector<std::string>> ConnectorIngestService::note_payment_reference(const std::string& source,
                                                                                const std::string& reference,
                                                                                const std::string& external_id) {
  SC_RETURN_IF_ERROR(three_keys("a payment reference needs a source, a reference and an external id",
                                {"source", source}, {"reference", reference}, {"external_id", external_id}));
  std::vector<std::string> others;
  SC_RETURN_IF_ERROR(in_write_tx(*s_, [&]() -> Status {
    SC_ASSIGN_OR_RETURN(others, store::note_payment_reference(*s_->conn, source, reference, external_id, s_->now()));
    return Status::ok();
  }));
  return others;
}

}  // namespace salescore
