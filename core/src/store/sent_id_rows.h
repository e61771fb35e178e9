// Rows of connector_sent_ids: the id under which a connector sent one of salescore's
// records to its system (ConnectorService::note_sent, id_sent).
#pragma once
#include <optional>
#include <string>

#include "salescore/values.h"
#include "store/sql.h"

namespace salescore::store {
// Keeps the first time it was sent: sending the same record again under the same id
// changes nothing.
Status insert_sent_id(Connection& c, const std::string& connector, const std::string& entity,
                      const std::string& external_id, Id entity_id, Instant at);
Result<std::optional<Id>> sent_id_of(Connection& c, const std::string& connector, const std::string& entity,
                                     const std::string& external_id);
}  // namespace salescore::store
