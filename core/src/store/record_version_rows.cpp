#include "store/record_version_rows.h"

#include <charconv>
#include <tuple>
#include <vector>

#include "store/json_columns.h"
#include "salescore/record_fields.h"
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

Status raise_record_version(Connection& c, const std::string& source, const std::string& entity,
                            const std::string& external_id, std::int64_t version, Instant at) {
  // The WHERE of the upsert is SQLite's and PostgreSQL's alike: an older version leaves
  // the row as it is.
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(
                          "INSERT INTO connector_record_versions (source, entity, external_id, version, applied_at) "
                          "VALUES (?, ?, ?, ?, ?) ON CONFLICT (source, entity, external_id) DO UPDATE SET "
                          "version = excluded.version, applied_at = excluded.applied_at "
                          "WHERE connector_record_versions.version <= excluded.version")));
  StatementUse use(*s);
  s->bind_all(source, entity, external_id, version, at.ms);
  return s->run();
}

Status move_record_versions_out_of_orders(Connection& c, Instant at) {
  constexpr const char* kField = "record_version";
  // Read first, then write: a statement still stepping over orders is not updated under.
  std::vector<std::tuple<Id, std::string, std::string, std::map<std::string, std::string>>> kept;
  {
    SC_ASSIGN_OR_RETURN(Statement * s, c.prepare("SELECT id, source, external_id, custom FROM orders WHERE source IS "
                                                 "NOT NULL AND custom LIKE '%record_version%' ORDER BY id"));
    StatementUse use(*s);
    while (true) {
      SC_ASSIGN_OR_RETURN(bool row, s->step());
      if (!row) break;
      kept.emplace_back(s->column_int(0), s->column_text(1), s->column_text(2), parse_string_map(s->column_text(3)));
    }
  }
  for (auto& [id, source, external_id, custom] : kept) {
    auto field = custom.find(kField);
    if (field == custom.end()) continue;
    std::int64_t version = 0;
    const std::string& text = field->second;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
    if (ec == std::errc() && end == text.data() + text.size() && !external_id.empty())
      SC_RETURN_IF_ERROR(raise_record_version(c, source, "order", external_id, version, at));
    custom.erase(field);
    SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders("UPDATE orders SET custom = ? WHERE id = ?")));
    StatementUse use(*s);
    s->bind_all(custom.empty() ? std::string("{}") : json_of(custom), id);
    SC_RETURN_IF_ERROR(s->run());
  }
  return Status::ok();
}

}  // namespace salescore::store
