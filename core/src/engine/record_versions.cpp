// The newest version of each record a source sent (connectors.h, "versions of records"),
// so a stale retry of a shop's webhook never overwrites a newer state of the order.
#include "engine/engine_state.h"
#include "salescore/connectors.h"
#include "store/record_version_rows.h"

namespace salescore {
using namespace detail;

Result<bool> ConnectorService::claim_version(const std::string& source, const std::string& entity,
                                             const std::string& external_id, std::int64_t version) {
  if (source.empty() || entity.empty() || external_id.empty())
    return Status::invalid("a record version needs a source, an entity and an external id",
                           {{"external_id", "required"}});
  return write<bool>(*s_, [&]() -> Result<bool> {
    SC_ASSIGN_OR_RETURN(auto kept, store::record_version_of(*s_->conn, source, entity, external_id));
    if (kept && *kept > version) return false;
    if (!kept || *kept < version) SC_RETURN_IF_ERROR(store::save_record_version(*s_->conn, source, entity, external_id, version));
    return true;
  });
}

}  // namespace salescore
