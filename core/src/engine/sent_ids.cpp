// The ids under which connectors sent salescore's records out (connectors.h, "ids sent
// out"), so that what comes back under them is known for ours and nothing else is.
#include "engine/engine_state.h"
#include "salescore/connectors.h"
#include "store/sent_id_rows.h"

namespace salescore {
using namespace detail;

Status ConnectorService::note_sent(const std::string& connector, const std::string& entity, Id id,
                                   const std::string& external_id) {
  std::map<std::string, std::string> missing;
  if (connector.empty()) missing["connector"] = "required";
  if (entity.empty()) missing["entity"] = "required";
  if (id <= 0) missing["id"] = "required";
  if (external_id.empty()) missing["external_id"] = "required";
  if (!missing.empty()) return Status::invalid("a sent id needs a connector, an entity, an id and an external id", missing);
  return in_write_tx(*s_, [&] {
    return store::insert_sent_id(*s_->conn, connector, entity, external_id, id, s_->now());
  });
}

Result<std::optional<Id>> ConnectorService::id_sent(const std::string& connector, const std::string& entity,
                                                    const std::string& external_id) {
  return read<std::optional<Id>>(*s_, [&] { return store::sent_id_of(*s_->conn, connector, entity, external_id); });
}

}  // namespace salescore
