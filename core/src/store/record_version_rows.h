// Rows of connector_record_versions: the newest version of each record a source sent
// (ConnectorService::claim_version).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "salescore/values.h"
#include "store/sql.h"

namespace salescore::store {
Result<std::optional<std::int64_t>> record_version_of(Connection& c, const std::string& source,
                                                      const std::string& entity, const std::string& external_id);
Status save_record_version(Connection& c, const std::string& source, const std::string& entity,
                           const std::string& external_id, std::int64_t version);
}  // namespace salescore::store
