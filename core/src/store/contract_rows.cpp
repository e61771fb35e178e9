#include "store/contract_rows.h"

#include "store/row_helpers.h"

namespace salescore::store {
namespace {
const std::vector<std::string> kCols = {
    "type",          "client_id",  "deal_id",   "owner_id",   "number", "amount_minor", "currency",
    "deferral_days", "special_terms", "risk_note", "valid_from", "valid_to", "signed_at", "status",
    "approved",      "approval_id", "termination_reason", "created_at", "updated_at"};

std::vector<std::string> select_cols() {
  std::vector<std::string> cols = {"id"};
  cols.insert(cols.end(), kCols.begin(), kCols.end());
  return cols;
}

std::optional<std::int64_t> opt_ms(const std::optional<Instant>& t) {
  return t ? std::optional<std::int64_t>(t->ms) : std::nullopt;
}

std::optional<Instant> opt_instant(Statement& s, int col) {
  return s.column_is_null(col) ? std::nullopt : std::optional<Instant>(Instant{s.column_int(col)});
}

void bind_contract(Statement& s, const Contract& k) {
  s.bind_all(std::string(contract_type_name(k.type)), k.client_id, null_if_zero(k.deal_id), null_if_zero(k.owner_id),
             k.number, k.amount.minor, k.amount.currency, k.deferral_days, k.special_terms, k.risk_note,
             opt_ms(k.valid_from), opt_ms(k.valid_to), opt_ms(k.signed_at), std::string(contract_status_name(k.status)),
             k.approved, null_if_zero(k.approval_id), k.termination_reason, k.created_at.ms, k.updated_at.ms);
}

Contract map_contract(Statement& s) {
  Contract k;
  k.id = s.column_int(0);
  auto type = parse_contract_type(s.column_text(1));
  k.type = type.ok() ? *type : ContractType::kSale;
  k.client_id = s.column_int(2);
  k.deal_id = s.column_int(3);
  k.owner_id = s.column_int(4);
  k.number = s.column_text(5);
  k.amount = Money{s.column_int(6), s.column_text(7)};
  k.deferral_days = static_cast<int>(s.column_int(8));
  k.special_terms = s.column_text(9);
  k.risk_note = s.column_text(10);
  k.valid_from = opt_instant(s, 11);
  k.valid_to = opt_instant(s, 12);
  k.signed_at = opt_instant(s, 13);
  auto status = parse_contract_status(s.column_text(14));
  k.status = status.ok() ? *status : ContractStatus::kDraft;
  k.approved = s.column_int(15) != 0;
  k.approval_id = s.column_int(16);
  k.termination_reason = s.column_text(17);
  k.created_at = Instant{s.column_int(18)};
  k.updated_at = Instant{s.column_int(19)};
  return k;
}

Filter contract_filter(const ContractQuery& q, const std::string& visible) {
  Filter f;
  if (!visible.empty()) f.add(visible);
  f.eq_if("client_id", q.client_id);
  f.eq_if("deal_id", q.deal_id);
  f.eq_if("owner_id", q.owner_id);
  if (q.status) f.add("status = ?", {std::string(contract_status_name(*q.status))});
  return f;
}
}  // namespace

Result<Id> insert_contract(Connection& c, const Contract& k) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().insert("contracts", kCols))));
  StatementUse use(*s);
  bind_contract(*s, k);
  SC_RETURN_IF_ERROR(s->run());
  return c.last_insert_id();
}

Status update_contract(Connection& c, const Contract& k) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().update("contracts", kCols, "id = ?"))));
  StatementUse use(*s);
  bind_contract(*s, k);
  s->bind_int(static_cast<int>(kCols.size()) + 1, k.id);
  return s->run();
}

Result<std::optional<Contract>> load_contract(Connection& c, Id id) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().select(select_cols(), "contracts", "id = ?"))));
  StatementUse use(*s);
  s->bind_all(id);
  return map_first<Contract>(*s, map_contract);
}

Result<std::optional<Id>> contract_id_by_number(Connection& c, const std::string& number) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().select({"id"}, "contracts", "number = ?"))));
  StatementUse use(*s);
  s->bind_all(number);
  return map_first<Id>(*s, [](Statement& r) { return r.column_int(0); });
}

Result<std::vector<Contract>> find_contracts(Connection& c, const ContractQuery& q, const std::string& visible) {
  Filter f = contract_filter(q, visible);
  f.after("id", q.page);
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().select(select_cols(), "contracts", f.where(), "id", true))));
  StatementUse use(*s);
  s->bind_int(f.bind(*s), limit_value(q.page));
  return map_rows<Contract>(*s, map_contract);
}

Result<std::int64_t> count_contracts(Connection& c, const ContractQuery& q, const std::string& visible) {
  Filter f = contract_filter(q, visible);
  return scalar_int(c, "SELECT COUNT(*) FROM contracts" + (f.where().empty() ? "" : " WHERE " + f.where()), f);
}

Result<std::vector<Contract>> contracts_past_validity(Connection& c, Instant now) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         select_cols(), "contracts", "status = 'signed' AND valid_to <= ?",
                                         "valid_to, id"))));
  StatementUse use(*s);
  s->bind_all(now.ms);
  return map_rows<Contract>(*s, map_contract);
}

}  // namespace salescore::store
