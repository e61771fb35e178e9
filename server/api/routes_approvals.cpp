// /api/v1/approvals and /api/v1/contracts: requests for a decision (a discount, a
// contract, a VIP visit) and the decisions; contracts through signing. Who may decide is
// the approval matrix's rule, in core.
#include "api/api_count.h"

namespace salescore::cli {
namespace {

// ---- approvals ----

Result<ApprovalQuery> list_approvals_query(ApiCall& call) {
  QueryReader q(call);
  ApprovalQuery query;
  query.approver_id = q.id("approver_id");
  query.requester_id = q.id("requester_id");
  query.subject_id = q.id("subject_id");
  query.subject = q.choice("subject", parse_approval_subject);
  query.status = q.choice("status", parse_approval_status);
  if (Status st = q.status(); !st.is_ok()) return st;
  return query;
}

HttpReply list_approvals(ApiCall& call) { return list_of(call, list_approvals_query, &Engine::approvals); }
HttpReply count_approvals(ApiCall& call) { return count_of(call, list_approvals_query, &Engine::approvals); }

const Fields kApprove = {field::text("comment", "The decision's comment")};
const Fields kReject = {field::text("comment", "Why it is rejected").need()};
const Fields kDiscount = {field::amount("discount_percent", "The discount asked, in percent").need().eg("\"12.50\""),
                          field::text("reason", "Why the client should get it").need()};
const Fields kReason = {field::text("reason", "Why").need()};
const Fields kSigned = {field::instant("at", "When it was signed; absent: now")};

// The pending requests addressed to ?user= (an id or a login; default the caller): what
// they are asked to decide now, as Python's approvals.waiting() and `salescore approvals
// waiting` list it.
HttpReply waiting_approvals(ApiCall& call) {
  QueryReader q(call);
  ApprovalQuery query;
  query.approver_id = q.user("user").value_or(call.actor.user_id);
  query.status = ApprovalStatus::kPending;
  if (Status st = q.status(); !st.is_ok()) return error_reply(st);
  query.page.limit = 0;
  auto rows = call.engine.approvals().find(call.actor, query);
  if (!rows.ok()) return error_reply(rows.status());
  std::vector<std::string> items;
  for (const Approval& a : *rows) items.push_back(fields_of(a).to_json());
  return page_reply(items, std::nullopt);
}

HttpReply get_approval(ApiCall& call) { return record_reply(call.engine.approvals().get(call.actor, call.id)); }

HttpReply approve(ApiCall& call) {
  return write_record(
      call, kApprove, "decision", [](BodyReader& b) { return b.text("comment").value_or(""); },
      [&](const std::string& comment) { return call.engine.approvals().approve(call.actor, call.id, comment); });
}

HttpReply reject(ApiCall& call) {
  return write_record(
      call, kReject, "decision", [](BodyReader& b) { return b.required_text("comment"); },
      [&](const std::string& comment) { return call.engine.approvals().reject(call.actor, call.id, comment); });
}

struct DiscountRequest {
  std::int64_t discount_bp = 0;
  std::string reason;
};

// POST /api/v1/deals/{id}/discount {"discount_percent": "12.50", "reason": "..."}
HttpReply request_discount(ApiCall& call) {
  return write_record(
      call, kDiscount, "discount request",
      [](BodyReader& b) {
        DiscountRequest r;
        if (!b.has("discount_percent")) b.error("discount_percent", "required");
        r.discount_bp = b.amount("discount_percent").value_or(0);
        r.reason = b.required_text("reason");
        return r;
      },
      [&](const DiscountRequest& r) {
        return call.engine.approvals().request_deal_discount(call.actor, call.id, r.discount_bp, r.reason);
      },
      201);
}

// A visit to the client at `at`: a VIP client's needs the head's approval, any other is
// granted at once (ApprovalService::request_visit), as Python's approvals.request_visit.
const Fields kVisit = {field::instant("at", "When the visit is planned").need(),
                       field::text("reason", "Why the client should be visited").need()};

struct VisitRequest {
  Instant at;
  std::string reason;
};

HttpReply request_visit(ApiCall& call) {
  return write_record(
      call, kVisit, "visit request",
      [](BodyReader& b) {
        VisitRequest r;
        if (!b.has("at")) b.error("at", "required");
        r.at = b.instant("at").value_or(Instant{});
        r.reason = b.required_text("reason");
        return r;
      },
      [&](const VisitRequest& r) {
        return call.engine.approvals().request_visit(call.actor, call.id, r.at, r.reason);
      },
      201);
}

// ---- contracts ----

const Fields kContractPatch = pick(schema("Contract"), {"type", "number", "special_terms", "risk_note", "deal_id",
                                                       "amount", "currency", "deferral_days", "valid_from",
                                                       "valid_to"});
const Fields kContractCreate = pick(schema("Contract"),
                                    {"client_id", "owner_id", "type", "number", "special_terms", "risk_note",
                                     "deal_id", "amount", "currency", "deferral_days", "valid_from", "valid_to"},
                                    {"client_id"});

ContractPatch contract_patch_from(BodyReader& b) {
  ContractPatch p;
  p.type = b.choice("type", parse_contract_type);
  p.number = b.text("number");
  p.special_terms = b.text("special_terms");
  p.risk_note = b.text("risk_note");
  p.deal_id = b.id("deal_id");
  p.amount = b.money("amount", "currency");
  if (auto d = b.integer("deferral_days", 0, 3650)) p.deferral_days = static_cast<int>(*d);
  p.valid_from = b.nullable_instant("valid_from");
  p.valid_to = b.nullable_instant("valid_to");
  return p;
}

Result<ContractQuery> list_contracts_query(ApiCall& call) {
  QueryReader q(call);
  ContractQuery query;
  query.client_id = q.id("client_id");
  query.deal_id = q.id("deal_id");
  query.owner_id = q.id("owner_id");
  query.status = q.choice("status", parse_contract_status);
  if (Status st = q.status(); !st.is_ok()) return st;
  return query;
}

HttpReply list_contracts(ApiCall& call) { return list_of(call, list_contracts_query, &Engine::contracts); }
HttpReply count_contracts(ApiCall& call) { return count_of(call, list_contracts_query, &Engine::contracts); }

HttpReply get_contract(ApiCall& call) { return record_reply(call.engine.contracts().get(call.actor, call.id)); }

HttpReply create_contract(ApiCall& call) {
  return write_record(
      call, kContractCreate, "contract",
      [](BodyReader& b) {
        Contract c;
        c.client_id = b.id("client_id").value_or(0);
        c.owner_id = b.id("owner_id").value_or(0);
        ContractPatch p = contract_patch_from(b);
        c.type = p.type.value_or(ContractType::kSale);
        c.number = p.number.value_or("");
        c.special_terms = p.special_terms.value_or("");
        c.risk_note = p.risk_note.value_or("");
        c.deal_id = p.deal_id.value_or(0);
        c.amount = p.amount.value_or(Money{});
        c.deferral_days = p.deferral_days.value_or(0);
        c.valid_from = p.valid_from.value_or(std::nullopt);
        c.valid_to = p.valid_to.value_or(std::nullopt);
        return c;
      },
      [&](const Contract& c) { return call.engine.contracts().add(call.actor, c); }, 201);
}

HttpReply update_contract(ApiCall& call) {
  return write_record(call, kContractPatch, "contract", contract_patch_from,
                      [&](const ContractPatch& p) { return call.engine.contracts().update(call.actor, call.id, p); });
}

HttpReply contract_approval(ApiCall& call) {
  return write_record(
      call, kReason, "approval request", [](BodyReader& b) { return b.required_text("reason"); },
      [&](const std::string& reason) { return call.engine.contracts().request_approval(call.actor, call.id, reason); },
      201);
}

HttpReply sign(ApiCall& call) {
  return write_record(
      call, kSigned, "signing", [](BodyReader& b) { return b.instant("at"); },
      [&](const std::optional<Instant>& at) { return call.engine.contracts().sign(call.actor, call.id, at); });
}

HttpReply terminate(ApiCall& call) {
  return write_record(
      call, kReason, "termination", [](BodyReader& b) { return b.required_text("reason"); },
      [&](const std::string& reason) { return call.engine.contracts().terminate(call.actor, call.id, reason); });
}

}  // namespace

void add_approval_routes(std::vector<Route>& out) {
  const Fields kApprovalFilters = {
      "approver_id", "requester_id", "subject_id",
      field::choice("subject", parse_approval_subject, "Only requests about this kind of record"),
      field::choice("status", parse_approval_status, "Only requests in this status")};
  const Fields kContractFilters = {"client_id", "deal_id", "owner_id",
                                   field::choice("status", parse_contract_status, "Only contracts in this status")};
  out.push_back({.method = "GET", .pattern = "/api/v1/approvals",
                 .summary = "Approval requests: the caller's, those addressed to them, those in their scope",
                 .handler = list_approvals,
                 .filters = kApprovalFilters, .paged = true,
                 .reply = Reply::page("Approval")});
  out.push_back({.method = "GET", .pattern = "/api/v1/approvals/count",
                 .summary = "Count the approvals the list would give with the same filters",
                 .handler = count_approvals,
                 .filters = kApprovalFilters,
                 .reply = Reply::record("Count")});
  out.push_back({.method = "GET", .pattern = "/api/v1/approvals/waiting",
                 .summary = "The pending approval requests addressed to ?user= (an id or a login; default the caller)",
                 .handler = waiting_approvals, .filters = {"user"}, .reply = Reply::page("Approval")});
  out.push_back({.method = "GET", .pattern = "/api/v1/approvals/{id}", .summary = "Get an approval request",
                 .handler = get_approval, .reply = Reply::record("Approval")});
  out.push_back({.method = "POST", .pattern = "/api/v1/approvals/{id}/approve",
                 .summary = "Approve (by whoever has the authority)", .handler = approve, .fields = kApprove,
                 .reply = Reply::record("Approval")});
  out.push_back({.method = "POST", .pattern = "/api/v1/approvals/{id}/reject",
                 .summary = "Reject, with a comment", .handler = reject, .fields = kReject,
                 .reply = Reply::record("Approval")});
  out.push_back({.method = "POST", .pattern = "/api/v1/deals/{id}/discount",
                 .summary = "Ask for a discount on a deal (granted at once within the caller's authority)",
                 .handler = request_discount, .fields = kDiscount, .success_status = 201,
                 .reply = Reply::record("Approval")});
  out.push_back({.method = "POST", .pattern = "/api/v1/clients/{id}/visit-approval",
                 .summary = "Ask to visit the client at a time (a VIP client's visit needs the head's approval; "
                            "others are granted at once)",
                 .handler = request_visit, .fields = kVisit, .success_status = 201,
                 .reply = Reply::record("Approval")});

  const std::string one = "/api/v1/contracts/{id}";
  out.push_back({.method = "GET", .pattern = "/api/v1/contracts", .summary = "List contracts",
                 .handler = list_contracts, .filters = kContractFilters,
                 .paged = true, .reply = Reply::page("Contract")});
  out.push_back({.method = "GET", .pattern = "/api/v1/contracts/count",
                 .summary = "Count the contracts the list would give with the same filters",
                 .handler = count_contracts, .filters = kContractFilters,
                 .reply = Reply::record("Count")});
  out.push_back({.method = "POST", .pattern = "/api/v1/contracts", .summary = "Draft a contract",
                 .handler = create_contract, .fields = kContractCreate, .success_status = 201,
                 .reply = Reply::record("Contract")});
  out.push_back({.method = "GET", .pattern = one, .summary = "Get a contract", .handler = get_contract,
                 .reply = Reply::record("Contract")});
  out.push_back({.method = "PATCH", .pattern = one, .summary = "Change a draft contract",
                 .handler = update_contract, .fields = kContractPatch,
                 .reply = Reply::record("Contract")});
  out.push_back({.method = "POST", .pattern = one + "/request-approval",
                 .summary = "Send a contract for approval", .handler = contract_approval, .fields = kReason,
                 .success_status = 201, .reply = Reply::record("Approval")});
  out.push_back({.method = "POST", .pattern = one + "/sign", .summary = "Record the signing", .handler = sign,
                 .fields = kSigned, .reply = Reply::record("Contract")});
  out.push_back({.method = "POST", .pattern = one + "/terminate", .summary = "End a contract, with a reason",
                 .handler = terminate, .fields = kReason,
                 .reply = Reply::record("Contract")});
}

}  // namespace salescore::cli
