#include "store/payment_reference_rows.h"

#include "store/row_helpers.h"

namespace salescore::store {

Result<std::vector<std::string>> note_payment_reference(Connection& c, const std::string& source,
                                                        const std::string& reference, const std::string& external_id,
                                                        Instant at) {
  {
    SC_ASSIGN_OR_RETURN(Statement * s,
                        c.prepare(c.dialect().placeholders(
                            "INSERT INTO connector_payment_references (source, reference, external_id, noted_at) "
                            "VALUES (?, ?, ?, ?) ON CONFLICT (source, reference, external_id) DO NOTHING")));
    StatementUse use(*s);
    s->bind_all(source, reference, external_id, at.ms);
    SC_RETURN_IF_ERROR(s->run());
  }
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(
                          "SELECT external_id FROM connector_payment_references WHERE source = ? AND reference = ? "
                          "AND external_id <> ? ORDER BY external_id")));
  StatementUse use(*s);
  s->bind_all(source, reference, external_id);
  return map_rows<std::string>(*s, [](Statement& r) { return r.column_text(0); });
}

}  // namespace salescore::store
