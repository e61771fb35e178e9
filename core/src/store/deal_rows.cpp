#include "store/deal_rows.h"

#include "salescore/record_fields.h"
#include "store/json_columns.h"
#include "store/row_helpers.h"

namespace salescore::store {
namespace {
const std::vector<std::string> kCols = {"client_id",   "title",      "stage",         "amount_minor",  "currency",
                                        "expected_close", "owner_id", "lost_reason",  "documents",     "custom",
                                        "source",      "external_id", "stage_changed_at", "created_at", "updated_at"};

std::vector<std::string> select_cols() {
  std::vector<std::string> cols = {"id"};
  cols.insert(cols.end(), kCols.begin(), kCols.end());
  return cols;
}

void bind_deal(Statement& s, const Deal& d) {
  s.bind_all(d.client_id, d.title, d.stage, d.expected_amount.minor, d.expected_amount.currency,
             d.expected_close ? std::optional<std::int64_t>(d.expected_close->ms) : std::nullopt,
             null_if_zero(d.owner_id), d.lost_reason, json_of(d.documents), json_of(d.custom),
             null_if_empty(d.source), null_if_empty(d.external_id), d.stage_changed_at.ms, d.created_at.ms,
             d.updated_at.ms);
}

Deal map_deal(Statement& s) {
  Deal d;
  d.id = s.column_int(0);
  d.client_id = s.column_int(1);
  d.title = s.column_text(2);
  d.stage = s.column_text(3);
  d.expected_amount = Money{s.column_int(4), s.column_text(5)};
  if (!s.column_is_null(6)) d.expected_close = Instant{s.column_int(6)};
  d.owner_id = s.column_int(7);
  d.lost_reason = s.column_text(8);
  d.documents = parse_string_list(s.column_text(9));
  d.custom = parse_string_map(s.column_text(10));
  d.source = s.column_text(11);
  d.external_id = s.column_text(12);
  d.stage_changed_at = Instant{s.column_int(13)};
  d.created_at = Instant{s.column_int(14)};
  d.updated_at = Instant{s.column_int(15)};
  return d;
}

Filter deal_filter(const DealQuery& q, const std::string& visible) {
  Filter f;
  if (!visible.empty()) f.add(visible);
  f.eq_if("client_id", q.client_id);
  f.eq_if("owner_id", q.owner_id);
  f.eq_if("stage", q.stage);
  return f;
}
}  // namespace

Result<Id> insert_deal(Connection& c, const Deal& d) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().insert("deals", kCols))));
  StatementUse use(*s);
  bind_deal(*s, d);
  SC_RETURN_IF_ERROR(s->run());
  return c.last_insert_id();
}

Status update_deal(Connection& c, const Deal& d) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().update("deals", kCols, "id = ?"))));
  StatementUse use(*s);
  bind_deal(*s, d);
  s->bind_int(static_cast<int>(kCols.size()) + 1, d.id);
  return s->run();
}

Result<std::optional<Deal>> load_deal(Connection& c, Id id) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().select(select_cols(), "deals", "id = ?"))));
  StatementUse use(*s);
  s->bind_all(id);
  return map_first<Deal>(*s, map_deal);
}

Result<std::vector<Deal>> find_deals(Connection& c, const DealQuery& q, const std::string& visible) {
  Filter f = deal_filter(q, visible);
  f.after("id", q.page);
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().select(select_cols(), "deals", f.where(), "id", true))));
  StatementUse use(*s);
  s->bind_int(f.bind(*s), limit_value(q.page));
  return map_rows<Deal>(*s, map_deal);
}

Result<std::int64_t> count_deals(Connection& c, const DealQuery& q, const std::string& visible) {
  Filter f = deal_filter(q, visible);
  return scalar_int(c, "SELECT COUNT(*) FROM deals" + (f.where().empty() ? "" : " WHERE " + f.where()), f);
}

Status enter_stage(Connection& c, Id deal_id, const std::string& stage, Instant at) {
  {
    SC_ASSIGN_OR_RETURN(Statement * close, c.prepare(c.dialect().placeholders(
                                               c.dialect().update("deal_stages", {"left_at"}, "deal_id = ? AND left_at IS NULL"))));
    StatementUse use(*close);
    close->bind_all(at.ms, deal_id);
    SC_RETURN_IF_ERROR(close->run());
  }
  SC_ASSIGN_OR_RETURN(Statement * open, c.prepare(c.dialect().placeholders(
                                            c.dialect().insert("deal_stages", {"deal_id", "stage", "entered_at"}))));
  StatementUse use(*open);
  open->bind_all(deal_id, stage, at.ms);
  return open->run();
}

Result<std::vector<StageVisit>> stage_visits(Connection& c, Id deal_id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         {"stage", "entered_at", "left_at"}, "deal_stages", "deal_id = ?",
                                         "id"))));
  StatementUse use(*s);
  s->bind_all(deal_id);
  return map_rows<StageVisit>(*s, [](Statement& r) {
    StageVisit v;
    v.stage = r.column_text(0);
    v.entered_at = Instant{r.column_int(1)};
    if (!r.column_is_null(2)) v.left_at = Instant{r.column_int(2)};
    return v;
  });
}

}  // namespace salescore::store
