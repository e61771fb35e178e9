// Exports of every entity, with the caller's access scope: the one list `salescore
// export NAME`, GET /api/v1/exports/NAME and Python's engine.export / to_pandas read, so
// the surfaces export the same entities with the same fields (fields_of, the REST
// record) and the same scope (each service's find, as the acting user).
//
// Thread-safety: as the services it reads through.
#pragma once

#include <string>
#include <vector>

#include "salescore/engine.h"
#include "salescore/record_fields.h"

namespace salescore {

// "clients", "orders", "deals", "leads", "tasks", "claims", "payments", "visits",
// "interactions", "calls" (interactions of kind call, with the PBX's facts), "products",
// "events", "proposals", "contracts", "shipments", "market" (market information).
const std::vector<std::string>& export_entities();

// The fields every record of `entity` has, in order (a CSV header); kInvalidArgument
// naming "entity" for a name not in export_entities().
Result<FieldList> export_columns(const std::string& entity);

struct ExportPage {
  std::vector<FieldList> rows;
  Id last_key = 0;  // the key of the last row (the id; an event's seq): the next page's after_id
};

// The records of `entity` the actor may see with a key above `page.after_id`, in key
// order, at most `page.limit` of them (the event log: only for those who see everything,
// as EventService::since).
Result<ExportPage> export_page(Engine& engine, const Actor& actor, const std::string& entity, Page page);

}  // namespace salescore
