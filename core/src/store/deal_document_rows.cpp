#include "store/deal_document_rows.h"

#include <algorithm>

#include "salescore/record_fields.h"
#include "store/json_columns.h"
#include "store/row_helpers.h"

namespace salescore {
namespace store {
namespace {

// Each engine-known document and the record that backs it, as an EXISTS over the deal
// (one `?`). The one place that says what each document means.
struct Backing {
  std::string document;
  std::string record_exists;
};

const std::vector<Backing>& backings() {
  static const std::vector<Backing> kAll = {
      {"proposal_sent", "SELECT 1 FROM proposals WHERE deal_id = ? AND sent_at IS NOT NULL"},
      {"proposal_received", "SELECT 1 FROM proposals WHERE deal_id = ? AND received_at IS NOT NULL"},
      // An expired contract was signed and ran its term; a terminated one no longer binds.
      {"contract_signed", std::string("SELECT 1 FROM contracts WHERE deal_id = ? AND status IN ('") +
                              contract_status_name(ContractStatus::kSigned) + "', '" +
                              contract_status_name(ContractStatus::kExpired) + "')"},
      {"discount_approved", std::string("SELECT 1 FROM approvals WHERE subject = '") +
                                approval_subject_name(ApprovalSubject::kDealDiscount) +
                                "' AND subject_id = ? AND status = '" +
                                approval_status_name(ApprovalStatus::kApproved) + "'"},
  };
  return kAll;
}

const std::vector<std::string> kAttestationCols = {"deal_id", "document", "attested_by", "by_migration", "note",
                                                   "attested_at"};

DocumentAttestation map_attestation(Statement& s) {
  DocumentAttestation a;
  a.id = s.column_int(0);
  a.deal_id = s.column_int(1);
  a.document = s.column_text(2);
  a.attested_by = s.column_int(3);
  a.by_migration = s.column_int(4) != 0;
  a.note = s.column_text(5);
  a.attested_at = Instant{s.column_int(6)};
  return a;
}

}  // namespace

Result<std::vector<std::string>> documents_backed_by_records(Connection& c, Id deal_id) {
  static const std::string kSql = [] {
    std::string sql;
    for (const Backing& b : backings()) sql += (sql.empty() ? "SELECT " : ", ") + ("EXISTS(" + b.record_exists + ")");
    return sql;
  }();
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(kSql)));
  StatementUse use(*s);
  for (int i = 1; i <= static_cast<int>(backings().size()); ++i) s->bind_int(i, deal_id);
  SC_ASSIGN_OR_RETURN(bool row, s->step());
  std::vector<std::string> backed;
  if (!row) return backed;
  for (std::size_t i = 0; i < backings().size(); ++i)
    if (s->column_int(static_cast<int>(i)) != 0) backed.push_back(backings()[i].document);
  return backed;
}

Result<std::vector<std::string>> derived_documents(Connection& c, Id deal_id) {
  SC_ASSIGN_OR_RETURN(auto documents, documents_backed_by_records(c, deal_id));
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(
                                         c.dialect().select({"document"}, "deal_attestations", "deal_id = ?", "id"))));
  StatementUse use(*s);
  s->bind_all(deal_id);
  while (true) {
    SC_ASSIGN_OR_RETURN(bool row, s->step());
    if (!row) break;
    std::string attested = s->column_text(0);
    if (std::find(documents.begin(), documents.end(), attested) == documents.end())
      documents.push_back(std::move(attested));
  }
  return documents;
}

Result<bool> is_attested(Connection& c, Id deal_id, const std::string& document) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         {"id"}, "deal_attestations", "deal_id = ? AND document = ?"))));
  StatementUse use(*s);
  s->bind_all(deal_id, document);
  return s->step();
}

Result<Id> insert_attestation(Connection& c, const DocumentAttestation& a) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().insert("deal_attestations", kAttestationCols))));
  StatementUse use(*s);
  s->bind_all(a.deal_id, a.document, null_if_zero(a.attested_by), a.by_migration, a.note, a.attested_at.ms);
  SC_RETURN_IF_ERROR(s->run());
  return c.last_insert_id();
}

Result<std::vector<DocumentAttestation>> find_attestations(Connection& c, const AttestationQuery& q,
                                                           const std::string& visible) {
  Filter f;
  if (!visible.empty()) f.add(visible);
  f.eq_if("a.deal_id", q.deal_id);
  if (q.by_migration_only) f.add("a.by_migration = 1");
  f.after("a.id", q.page);
  std::vector<std::string> cols = {"a.id"};
  for (const auto& col : kAttestationCols) cols.push_back("a." + col);
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(c.dialect().select(
                          cols, "deal_attestations a JOIN deals d ON d.id = a.deal_id", f.where(), "a.id", true))));
  StatementUse use(*s);
  s->bind_int(f.bind(*s), limit_value(q.page));
  return map_rows<DocumentAttestation>(*s, map_attestation);
}

Status derive_documents_of_every_deal(Connection& c, Instant at) {
  // Read first, then write: a statement still stepping over deals is not updated under.
  std::vector<std::pair<Id, std::vector<std::string>>> typed;
  {
    SC_ASSIGN_OR_RETURN(Statement * s, c.prepare("SELECT id, documents FROM deals WHERE documents <> '[]' ORDER BY id"));
    StatementUse use(*s);
    while (true) {
      SC_ASSIGN_OR_RETURN(bool row, s->step());
      if (!row) break;
      typed.emplace_back(s->column_int(0), parse_string_list(s->column_text(1)));
    }
  }
  for (const auto& [deal_id, documents] : typed) {
    SC_ASSIGN_OR_RETURN(auto backed, documents_backed_by_records(c, deal_id));
    for (const std::string& document : documents) {
      if (document.empty() || std::find(backed.begin(), backed.end(), document) != backed.end()) continue;
      SC_ASSIGN_OR_RETURN(bool already, is_attested(c, deal_id, document));
      if (already) continue;
      DocumentAttestation kept;
      kept.deal_id = deal_id;
      kept.document = document;
      kept.by_migration = true;
      kept.attested_at = at;
      SC_RETURN_IF_ERROR(insert_attestation(c, kept).status());
    }
  }
  // Every deal, not only those with documents: a record may back a document that the old
  // code never put on the deal (proposal_received was not derived before).
  std::vector<Id> deals;
  {
    SC_ASSIGN_OR_RETURN(Statement * s, c.prepare("SELECT id FROM deals ORDER BY id"));
    StatementUse use(*s);
    SC_ASSIGN_OR_RETURN(deals, map_rows<Id>(*s, [](Statement& r) { return r.column_int(0); }));
  }
  for (Id deal_id : deals) {
    SC_ASSIGN_OR_RETURN(auto documents, derived_documents(c, deal_id));
    SC_ASSIGN_OR_RETURN(Statement * s,
                        c.prepare(c.dialect().placeholders("UPDATE deals SET documents = ? WHERE id = ?")));
    StatementUse use(*s);
    s->bind_all(json_of(documents), deal_id);
    SC_RETURN_IF_ERROR(s->run());
  }
  return Status::ok();
}

}  // namespace store

const std::vector<std::string>& engine_known_documents() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const auto& b : store::backings()) names.push_back(b.document);
    return names;
  }();
  return kNames;
}

bool is_engine_known_document(const std::string& name) {
  const auto& names = engine_known_documents();
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace salescore
