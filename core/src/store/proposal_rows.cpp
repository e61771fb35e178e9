#include "store/proposal_rows.h"

#include "store/row_helpers.h"

namespace salescore::store {
namespace {
const std::vector<std::string> kCols = {
    "kind",          "client_id",   "deal_id",     "owner_id",    "status",         "currency",
    "total_minor",   "payment_terms", "deferral_days", "shipping_terms", "valid_until", "special_terms",
    "notes",         "approval_id", "sent_at",     "received_at", "answered_at",    "decline_reason",
    "receipt_task_id", "created_at", "updated_at"};
const std::vector<std::string> kLineCols = {"proposal_id", "line_no",     "sku",         "product_id", "name",
                                            "quantity_milli", "price_minor", "discount_bp", "amount_minor"};

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

void bind_proposal(Statement& s, const Proposal& p) {
  s.bind_all(std::string(proposal_kind_name(p.kind)), p.client_id, null_if_zero(p.deal_id), null_if_zero(p.owner_id),
             std::string(proposal_status_name(p.status)), p.currency, p.total_minor, p.terms.payment_terms,
             p.terms.deferral_days, p.terms.shipping_terms, opt_ms(p.terms.valid_until), p.terms.special_terms,
             p.notes, null_if_zero(p.approval_id), opt_ms(p.sent_at), opt_ms(p.received_at), opt_ms(p.answered_at),
             p.decline_reason, null_if_zero(p.receipt_task_id), p.created_at.ms, p.updated_at.ms);
}

Proposal map_proposal(Statement& s) {
  Proposal p;
  p.id = s.column_int(0);
  auto kind = parse_proposal_kind(s.column_text(1));
  p.kind = kind.ok() ? *kind : ProposalKind::kStandard;
  p.client_id = s.column_int(2);
  p.deal_id = s.column_int(3);
  p.owner_id = s.column_int(4);
  auto status = parse_proposal_status(s.column_text(5));
  p.status = status.ok() ? *status : ProposalStatus::kDraft;
  p.currency = s.column_text(6);
  p.total_minor = s.column_int(7);
  p.terms.payment_terms = s.column_text(8);
  p.terms.deferral_days = static_cast<int>(s.column_int(9));
  p.terms.shipping_terms = s.column_text(10);
  p.terms.valid_until = opt_instant(s, 11);
  p.terms.special_terms = s.column_text(12);
  p.notes = s.column_text(13);
  p.approval_id = s.column_int(14);
  p.sent_at = opt_instant(s, 15);
  p.received_at = opt_instant(s, 16);
  p.answered_at = opt_instant(s, 17);
  p.decline_reason = s.column_text(18);
  p.receipt_task_id = s.column_int(19);
  p.created_at = Instant{s.column_int(20)};
  p.updated_at = Instant{s.column_int(21)};
  return p;
}

Status insert_lines(Connection& c, Id proposal_id, const std::vector<ProposalLine>& lines) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().insert("proposal_lines", kLineCols))));
  int line_no = 0;
  for (const auto& l : lines) {
    StatementUse use(*s);
    s->bind_all(proposal_id, ++line_no, l.sku, null_if_zero(l.product_id), l.name, l.quantity.milli, l.price_minor,
                l.discount_bp, l.amount_minor);
    SC_RETURN_IF_ERROR(s->run());
  }
  return Status::ok();
}

Status load_lines(Connection& c, Proposal& p) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         {"sku", "product_id", "name", "quantity_milli", "price_minor", "discount_bp",
                                          "amount_minor"},
                                         "proposal_lines", "proposal_id = ?", "line_no"))));
  StatementUse use(*s);
  s->bind_all(p.id);
  SC_ASSIGN_OR_RETURN(p.lines, map_rows<ProposalLine>(*s, [](Statement& r) {
                        ProposalLine l;
                        l.sku = r.column_text(0);
                        l.product_id = r.column_int(1);
                        l.name = r.column_text(2);
                        l.quantity = Quantity{r.column_int(3)};
                        l.price_minor = r.column_int(4);
                        l.discount_bp = r.column_int(5);
                        l.amount_minor = r.column_int(6);
                        return l;
                      }));
  return Status::ok();
}

Filter proposal_filter(const ProposalQuery& q, const std::string& visible) {
  Filter f;
  if (!visible.empty()) f.add(visible);
  f.eq_if("client_id", q.client_id);
  f.eq_if("deal_id", q.deal_id);
  f.eq_if("owner_id", q.owner_id);
  if (q.status) f.add("status = ?", {std::string(proposal_status_name(*q.status))});
  return f;
}
}  // namespace

Result<Id> insert_proposal(Connection& c, const Proposal& p) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().insert("proposals", kCols))));
  Id id = 0;
  {
    StatementUse use(*s);
    bind_proposal(*s, p);
    SC_RETURN_IF_ERROR(s->run());
    id = c.last_insert_id();
  }
  SC_RETURN_IF_ERROR(insert_lines(c, id, p.lines));
  return id;
}

Status update_proposal(Connection& c, const Proposal& p, bool lines_changed) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().update("proposals", kCols, "id = ?"))));
  {
    StatementUse use(*s);
    bind_proposal(*s, p);
    s->bind_int(static_cast<int>(kCols.size()) + 1, p.id);
    SC_RETURN_IF_ERROR(s->run());
  }
  if (!lines_changed) return Status::ok();
  {
    SC_ASSIGN_OR_RETURN(Statement * del,
                        c.prepare(c.dialect().placeholders("DELETE FROM proposal_lines WHERE proposal_id = ?")));
    StatementUse use(*del);
    del->bind_all(p.id);
    SC_RETURN_IF_ERROR(del->run());
  }
  return insert_lines(c, p.id, p.lines);
}

Result<std::optional<Proposal>> load_proposal(Connection& c, Id id) {
  std::optional<Proposal> p;
  {
    SC_ASSIGN_OR_RETURN(Statement * s,
                        c.prepare(c.dialect().placeholders(c.dialect().select(select_cols(), "proposals", "id = ?"))));
    StatementUse use(*s);
    s->bind_all(id);
    SC_ASSIGN_OR_RETURN(p, map_first<Proposal>(*s, map_proposal));
  }
  if (p) SC_RETURN_IF_ERROR(load_lines(c, *p));
  return p;
}

Result<std::vector<Proposal>> find_proposals(Connection& c, const ProposalQuery& q, const std::string& visible) {
  std::vector<Proposal> out;
  {
    Filter f = proposal_filter(q, visible);
    f.after("id", q.page);
    SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                           c.dialect().select(select_cols(), "proposals", f.where(), "id", true))));
    StatementUse use(*s);
    s->bind_int(f.bind(*s), limit_value(q.page));
    SC_ASSIGN_OR_RETURN(out, map_rows<Proposal>(*s, map_proposal));
  }
  for (auto& p : out) SC_RETURN_IF_ERROR(load_lines(c, p));
  return out;
}

Result<std::int64_t> count_proposals(Connection& c, const ProposalQuery& q, const std::string& visible) {
  Filter f = proposal_filter(q, visible);
  return scalar_int(c, "SELECT COUNT(*) FROM proposals" + (f.where().empty() ? "" : " WHERE " + f.where()), f);
}

}  // namespace salescore::store
