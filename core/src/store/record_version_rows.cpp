#include "store/record_version_rows.h"

#include "store/row_helpers.h"

namespace salescore::store {

Result<std::optional<std::int64_t>> record_version_of(Connection& c, const std::string& source,
                                                      const std::string& entity, const std::string& external_id) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().select(
                          {"version"}, "connector_record_versions", "source = ? AND entity = ? AND external_id = ?"))));
  StatementUse use(*s);
  s->bind_all(source, entity, external_id);
  return map_first<std::int64_t>(*s, [](Statement& r) { return r.column_int(0); });
}

Status save_record_version(Connection& c, const std::string& source, const std::string& entity,
                           const std::string& external_id, std::int64_t version) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().upsert(
                                         "connector_record_versions", {"source", "entity", "external_id", "version"},
                                         {"source", "entity", "external_id"}))));
  StatementUse use(*s);
  s->bind_all(source, entity, external_id, version);
  return s->run();
}

}  // namespace salescore::store
