// Rows of connector_record_versions: the newest version of each record a source sent
// (a shop's modified time), kept by the host beside the record rather than in a field
// a caller could edit, so a stale retry never overwrites a newer state (record_apply.h).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "salescore/values.h"
#include "store/sql.h"

namespace salescore::store {
Result<std::optional<std::int64_t>> record_version_of(Connection& c, const std::string& source,
                                                      const std::string& entity, const std::string& external_id);
// Keeps `version` unless a newer one is kept already: it never goes back.
Status raise_record_version(Connection& c, const std::string& source, const std::string& entity,
                            const std::string& external_id, std::int64_t version, Instant at);
// Migration 21: the versions the web-shop connector kept as orders' custom field
// "record_version" move into the table, and the field leaves the orders.
Status move_record_versions_out_of_orders(Connection& c, Instant at);
}  // namespace salescore::store
