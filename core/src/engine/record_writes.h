// The shape every aggregate's write takes: diff the record against what is stored,
// write only when something changed, and log the matching event and move the KPI
// aggregates (kpi/kpi_hook.h) in the same transaction. Keeps "the same record applied
// twice changes nothing and emits no second event" true for every service.
#pragma once

#include <string>

#include "engine/engine_state.h"
#include "engine/field_errors.h"
#include "kpi/kpi_hook.h"
#include "salescore/record_fields.h"

namespace salescore::detail {

// The event payloads: the whole record for "<entity>.created", the changed fields for
// "<entity>.updated" (empty when nothing but bookkeeping differs). Products have their
// own, written straight from the members (record_fields.h).
template <class T>
std::string created_payload(const T& record) {
  return fields_of(record).to_json();
}
inline std::string created_payload(const Product& p) { return product_json(p); }
template <class T>
std::string changes_payload(const T& before, const T& after) {
  return changed_fields_json(fields_of(before), fields_of(after));
}
inline std::string changes_payload(const Product& before, const Product& after) {
  return product_changes_json(before, after);
}

// Where a write's event goes: straight into the log. A bulk path may pass its own,
// called the same way, that gathers the events and inserts them together before its
// transaction can commit (catalog_import.cpp).
struct AppendEvent {
  Status operator()(EngineState& s, const Actor& actor, const std::string& type, const std::string& entity,
                    Id entity_id, const std::string& payload) const {
    return append_event(s, actor, type, entity, entity_id, payload);
  }
};

// Logs "<entity>.created" with the whole record.
template <class T, class Log = AppendEvent>
Status log_created(EngineState& s, const Actor& actor, const std::string& entity, const T& record, Log&& log = {}) {
  SC_RETURN_IF_ERROR(kpi_changed(s, static_cast<const T*>(nullptr), &record));
  return log(s, actor, entity + ".created", entity, record.id, created_payload(record));
}

// Writes `after` over `before` with `write` and logs "<entity>.updated" with the changed
// fields, unless nothing but bookkeeping differs: then nothing is written.
template <class T, class Write, class Log = AppendEvent>
Result<WriteOutcome> save_if_changed(EngineState& s, const Actor& actor, const std::string& entity, const T& before,
                                     T& after, Write&& write, Log&& log = {}) {
  std::string changed = changes_payload(before, after);
  if (changed.empty()) {
    after = before;
    return WriteOutcome::kUnchanged;
  }
  if constexpr (requires { after.updated_at; }) after.updated_at = s.now();
  SC_RETURN_IF_ERROR(write(after));
  SC_RETURN_IF_ERROR(kpi_changed(s, &before, static_cast<const T*>(&after)));
  SC_RETURN_IF_ERROR(log(s, actor, entity + ".updated", entity, after.id, "{\"changed\":" + changed + "}"));
  return WriteOutcome::kUpdated;
}

inline Status not_found(const std::string& entity, Id id) {
  return Status::not_found(entity + " " + std::to_string(id) + " does not exist");
}

inline Status need_source_key(const std::string& source, const std::string& external_id) {
  FieldErrors e;
  if (source.empty()) e.add("source", "required for an upsert");
  if (external_id.empty()) e.add("external_id", "required for an upsert");
  return e.to_status("upsert key");
}

}  // namespace salescore::detail
