#include "store/segment_rows.h"

#include "store/row_helpers.h"

namespace salescore::store {
namespace {

std::optional<Instant> opt_instant(Statement& r, int col) {
  return r.column_is_null(col) ? std::nullopt : std::optional<Instant>(Instant{r.column_int(col)});
}

// Columns first..first+3: the segment row (segment, last_order_at, since, next_change_at).
ClientSegment map_segment(Statement& r, Id client_id, int first) {
  ClientSegment s;
  s.client_id = client_id;
  auto seg = parse_segment(r.column_text(first));
  s.segment = seg.ok() ? *seg : Segment::kNew;
  s.last_order_at = opt_instant(r, first + 1);
  s.since = Instant{r.column_int(first + 2)};
  s.next_change_at = opt_instant(r, first + 3);
  return s;
}

// `from` joins clients `c` and client_segments `s`. The last order is read backwards
// through the orders(client_id, ordered_at) index, stopping at the first one not
// cancelled, one client at a time: only the clients the condition picks are touched.
std::string candidates_sql(const std::string& from, const std::string& where, bool limit = false) {
  return "SELECT c.id, c.name, COALESCE(c.owner_id, 0), c.created_at, "
         "(SELECT o.ordered_at FROM orders o WHERE o.client_id = c.id AND o.status <> 'cancelled' "
         "ORDER BY o.ordered_at DESC LIMIT 1), "
         "s.segment, s.last_order_at, s.since, s.next_change_at FROM " +
         from + " WHERE " + where + " ORDER BY c.id" + (limit ? " LIMIT ?" : "");
}

SegmentCandidate map_candidate(Statement& r) {
  SegmentCandidate s;
  s.client_id = r.column_int(0);
  s.client_name = r.column_text(1);
  s.owner_id = r.column_int(2);
  s.created_at = Instant{r.column_int(3)};
  s.last_order_at = opt_instant(r, 4);
  if (!r.column_is_null(5)) s.recorded = map_segment(r, s.client_id, 5);
  return s;
}

}  // namespace

Result<std::vector<SegmentCandidate>> unclassified_clients(Connection& c) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(candidates_sql(
                                         "clients c LEFT JOIN client_segments s ON s.client_id = c.id",
                                         "s.client_id IS NULL"))));
  StatementUse use(*s);
  return map_rows<SegmentCandidate>(*s, map_candidate);
}

Result<std::vector<SegmentCandidate>> clients_due_to_move(Connection& c, Instant now) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(candidates_sql(
                                         "client_segments s JOIN clients c ON c.id = s.client_id",
                                         "s.next_change_at IS NOT NULL AND s.next_change_at <= ?"))));
  StatementUse use(*s);
  s->bind_all(now.ms);
  return map_rows<SegmentCandidate>(*s, map_candidate);
}

Result<std::optional<SegmentCandidate>> segment_candidate(Connection& c, Id client_id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(candidates_sql(
                                         "clients c LEFT JOIN client_segments s ON s.client_id = c.id", "c.id = ?"))));
  StatementUse use(*s);
  s->bind_all(client_id);
  return map_first<SegmentCandidate>(*s, map_candidate);
}

Result<std::optional<ClientSegment>> load_client_segment(Connection& c, Id client_id) {
  // Built once: this runs for every order the ingest path writes (bench/run ingest).
  static const std::string sql = c.dialect().select({"segment", "last_order_at", "since", "next_change_at"},
                                                    "client_segments", "client_id = ?");
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(sql)));
  StatementUse use(*s);
  s->bind_all(client_id);
  return map_first<ClientSegment>(*s, [client_id](Statement& r) { return map_segment(r, client_id, 0); });
}

Status save_client_segment(Connection& c, const ClientSegment& seg) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().upsert(
                                         "client_segments",
                                         {"client_id", "segment", "last_order_at", "since", "next_change_at"},
                                         {"client_id"}))));
  StatementUse use(*s);
  s->bind_all(seg.client_id, std::string(segment_name(seg.segment)),
              seg.last_order_at ? std::optional<std::int64_t>(seg.last_order_at->ms) : std::nullopt, seg.since.ms,
              seg.next_change_at ? std::optional<std::int64_t>(seg.next_change_at->ms) : std::nullopt);
  return s->run();
}

Result<std::vector<SegmentCandidate>> find_client_segments(Connection& c, const SegmentQuery& q,
                                                           const std::string& visible) {
  Filter f;
  if (!visible.empty()) f.add(visible);
  if (q.segment) f.add("s.segment = ?", {std::string(segment_name(*q.segment))});
  f.eq_if("c.owner_id", q.owner_id);
  f.after("c.id", q.page);
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(candidates_sql(
                                         "client_segments s JOIN clients c ON c.id = s.client_id",
                                         f.where().empty() ? "1 = 1" : f.where(), true))));
  StatementUse use(*s);
  s->bind_int(f.bind(*s), limit_value(q.page));
  return map_rows<SegmentCandidate>(*s, map_candidate);
}

}  // namespace salescore::store
