#include "store/claim_rows.h"

#include "model/contact_points.h"
#include "store/row_helpers.h"

namespace salescore::store {
namespace {
const std::vector<std::string> kCols = {"client_id", "order_id", "contract_id", "kind",        "description",
                                        "cause",     "cause_key", "measures",   "status",      "resolved_at",
                                        "owner_id",  "registered_by", "created_at", "updated_at"};

std::vector<std::string> select_cols() {
  std::vector<std::string> cols = {"id"};
  cols.insert(cols.end(), kCols.begin(), kCols.end());
  return cols;
}

// The key recurring causes are counted by: "Брак упаковки " and "брак  упаковки" are one.
std::string cause_key(const std::string& cause) {
  std::string key, word;
  for (char ch : search_key(cause) + " ") {
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      if (!word.empty()) key += (key.empty() ? "" : " ") + word;
      word.clear();
    } else {
      word += ch;
    }
  }
  return key;
}

void bind_claim(Statement& s, const Claim& c) {
  s.bind_all(c.client_id, null_if_zero(c.order_id), null_if_zero(c.contract_id), std::string(claim_kind_name(c.kind)),
             c.description, c.cause, cause_key(c.cause), c.measures, std::string(claim_status_name(c.status)),
             c.resolved_at ? std::optional<std::int64_t>(c.resolved_at->ms) : std::nullopt, null_if_zero(c.owner_id),
             null_if_zero(c.registered_by), c.created_at.ms, c.updated_at.ms);
}

Claim map_claim(Statement& r) {
  Claim c;
  c.id = r.column_int(0);
  c.client_id = r.column_int(1);
  c.order_id = r.column_int(2);
  c.contract_id = r.column_int(3);
  auto kind = parse_claim_kind(r.column_text(4));
  c.kind = kind.ok() ? *kind : ClaimKind::kOther;
  c.description = r.column_text(5);
  c.cause = r.column_text(6);
  // column 7 is cause_key
  c.measures = r.column_text(8);
  auto st = parse_claim_status(r.column_text(9));
  c.status = st.ok() ? *st : ClaimStatus::kOpen;
  if (!r.column_is_null(10)) c.resolved_at = Instant{r.column_int(10)};
  c.owner_id = r.column_int(11);
  c.registered_by = r.column_int(12);
  c.created_at = Instant{r.column_int(13)};
  c.updated_at = Instant{r.column_int(14)};
  return c;
}
}  // namespace

std::string claim_cause_key(const std::string& cause) { return cause_key(cause); }

Result<Id> insert_claim(Connection& c, const Claim& claim) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().insert("claims", kCols))));
  StatementUse use(*s);
  bind_claim(*s, claim);
  SC_RETURN_IF_ERROR(s->run());
  return c.last_insert_id();
}

Status update_claim(Connection& c, const Claim& claim) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().update("claims", kCols, "id = ?"))));
  StatementUse use(*s);
  bind_claim(*s, claim);
  s->bind_int(static_cast<int>(kCols.size()) + 1, claim.id);
  return s->run();
}

Result<std::optional<Claim>> load_claim(Connection& c, Id id) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().select(select_cols(), "claims", "id = ?"))));
  StatementUse use(*s);
  s->bind_all(id);
  return map_first<Claim>(*s, map_claim);
}

namespace {
Filter claim_filter(const ClaimQuery& q, const std::string& visible) {
  Filter f;
  if (!visible.empty()) f.add(visible);
  f.eq_if("client_id", q.client_id);
  f.eq_if("order_id", q.order_id);
  f.eq_if("owner_id", q.owner_id);
  if (q.status) f.add("status = ?", {std::string(claim_status_name(*q.status))});
  if (q.kind) f.add("kind = ?", {std::string(claim_kind_name(*q.kind))});
  if (q.from) f.add("created_at >= ?", {q.from->ms});
  if (q.to) f.add("created_at < ?", {q.to->ms});
  return f;
}
}  // namespace

Result<std::int64_t> count_claims(Connection& c, const ClaimQuery& q, const std::string& visible) {
  Filter f = claim_filter(q, visible);
  return scalar_int(c, "SELECT COUNT(*) FROM claims" + (f.where().empty() ? "" : " WHERE " + f.where()), f);
}

Result<std::vector<Claim>> find_claims(Connection& c, const ClaimQuery& q, const std::string& visible) {
  Filter f = claim_filter(q, visible);
  f.after("id", q.page);
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().select(select_cols(), "claims", f.where(), "id", true))));
  StatementUse use(*s);
  s->bind_int(f.bind(*s), limit_value(q.page));
  return map_rows<Claim>(*s, map_claim);
}

Result<std::vector<CauseCount>> claims_by_cause(Connection& c, const ClaimCauseQuery& q, const std::string& visible) {
  Filter f;
  f.add("cause_key <> ''");
  if (!visible.empty()) f.add(visible);
  if (q.kind) f.add("kind = ?", {std::string(claim_kind_name(*q.kind))});
  if (q.from) f.add("created_at >= ?", {q.from->ms});
  if (q.to) f.add("created_at < ?", {q.to->ms});
  // The spelling shown is the one registered first.
  const std::string sql =
      "SELECT first.cause, g.n FROM (SELECT cause_key, COUNT(*) AS n, MIN(id) AS first_id FROM claims WHERE " +
      f.where() + " GROUP BY cause_key) g JOIN claims first ON first.id = g.first_id ORDER BY g.n DESC, g.cause_key";
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(sql)));
  StatementUse use(*s);
  f.bind(*s);
  return map_rows<CauseCount>(*s, [](Statement& r) { return CauseCount{r.column_text(0), r.column_int(1)}; });
}

}  // namespace salescore::store
