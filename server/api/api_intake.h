// A create that an integration user (a web shop's script, a site's form) may key with
// the id its own system gave the record: `external_id` in the body. Keyed, it is the
// engine's upsert by (source, external_id), the path connectors take, so a record sent
// again is the same record; the source is the user's own (core: rules/intake.h). A person
// who sends external_id is refused by the engine, naming the field.
#pragma once

#include <optional>
#include <string>

#include "api/api_router.h"

namespace salescore::cli {

template <class T, class Service>
Result<Saved<T>> add_or_upsert(Service& service, const Actor& actor, T record,
                               const std::optional<std::string>& external_id) {
  if (!external_id) return service.add(actor, std::move(record));
  record.external_id = *external_id;
  return service.upsert(actor, std::move(record));
}

// 201 for a record the write created, 200 for one its source had sent before.
inline int created_or_found(WriteOutcome outcome) { return outcome == WriteOutcome::kCreated ? 201 : 200; }

}  // namespace salescore::cli
