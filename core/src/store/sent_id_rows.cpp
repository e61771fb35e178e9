#include "store/sent_id_rows.h"

#include "store/row_helpers.h"

namespace salescore::store {

Status insert_sent_id(Connection& c, const std::string& connector, const std::string& entity,
                      const std::string& external_id, Id entity_id, Instant at) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(
                          "INSERT INTO connector_sent_ids (connector, entity, external_id, entity_id, sent_at) "
                          "VALUES (?, ?, ?, ?, ?) ON CONFLICT (connector, entity, external_id) DO NOTHING")));
  StatementUse use(*s);
  s->bind_all(connector, entity, external_id, entity_id, at.ms);
  return s->run();
}

Result<std::optional<Id>> sent_id_of(Connection& c, const std::string& connector, const std::string& entity,
                                     const std::string& external_id) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().select(
                          {"entity_id"}, "connector_sent_ids", "connector = ? AND entity = ? AND external_id = ?"))));
  StatementUse use(*s);
  s->bind_all(connector, entity, external_id);
  return map_first<Id>(*s, [](Statement& r) { return r.column_int(0); });
}

}  // namespace salescore::store
