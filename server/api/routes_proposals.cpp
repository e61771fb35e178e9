// /api/v1/proposals: commercial proposals and their path (approval, sending, the
// client's receipt and answer). Prices, totals and what needs approval are the engine's.
#include "api/api_count.h"

namespace salescore::cli {
namespace {

const std::vector<std::string> kTerms = {"payment_terms", "deferral_days", "shipping_terms", "valid_until",
                                         "special_terms"};
// Lines are sent without their computed amounts.
const FieldSpec kLines = field::objects("lines", schema("ProposalLineInput").specs(), "The proposed lines");
const Fields kPatch = pick(schema("Proposal"), {"kind", "deal_id", "lines", "notes", "payment_terms", "deferral_days",
                                                "shipping_terms", "valid_until", "special_terms"})
                          .with(kLines);
const Fields kCreate = pick(schema("Proposal"),
                            {"client_id", "currency", "owner_id", "kind", "deal_id", "lines", "notes",
                             "payment_terms", "deferral_days", "shipping_terms", "valid_until", "special_terms"},
                            {"client_id"})
                           .with(kLines);
const Fields kReason = {field::text("reason", "Why").need().eg("\"price\"")};
const Fields kReceived = {field::instant("at", "When the client got it; absent: now")};

bool has_terms(const BodyReader& b) {
  for (const auto& name : kTerms)
    if (b.has(name)) return true;
  return false;
}

// The terms travel flat in JSON (as the record shows them); given ones replace those of
// `base`, the rest are kept.
ProposalTerms terms_from(BodyReader& b, ProposalTerms base) {
  if (auto v = b.text("payment_terms")) base.payment_terms = *v;
  if (auto v = b.integer("deferral_days", 0, 3650)) base.deferral_days = static_cast<int>(*v);
  if (auto v = b.text("shipping_terms")) base.shipping_terms = *v;
  if (auto v = b.nullable_instant("valid_until")) base.valid_until = *v;
  if (auto v = b.text("special_terms")) base.special_terms = *v;
  return base;
}

std::vector<ProposalLine> lines_from(BodyReader& b) {
  std::vector<ProposalLine> lines;
  b.objects("lines", [&](BodyReader& l) {
    l.allow_only({"sku", "name", "quantity", "price", "discount_percent"});
    ProposalLine line;
    line.sku = l.text("sku").value_or("");
    line.name = l.text("name").value_or("");
    line.quantity = l.quantity("quantity").value_or(Quantity{});
    line.price_minor = l.amount("price").value_or(0);
    line.discount_bp = l.amount("discount_percent").value_or(0);  // "12.50" is 1250 bp
    lines.push_back(std::move(line));
  });
  return lines;
}

Result<ProposalQuery> list_query(ApiCall& call) {
  QueryReader q(call);
  ProposalQuery query;
  query.client_id = q.id("client_id");
  query.deal_id = q.id("deal_id");
  query.owner_id = q.id("owner_id");
  query.status = q.choice("status", parse_proposal_status);
  if (Status st = q.status(); !st.is_ok()) return st;
  return query;
}

HttpReply list(ApiCall& call) { return list_of(call, list_query, &Engine::proposals); }
HttpReply count(ApiCall& call) { return count_of(call, list_query, &Engine::proposals); }

HttpReply get(ApiCall& call) { return record_reply(call.engine.proposals().get(call.actor, call.id)); }

HttpReply create(ApiCall& call) {
  return write_record(
      call, kCreate, "proposal",
      [](BodyReader& b) {
        Proposal p;
        p.client_id = b.id("client_id").value_or(0);
        p.currency = b.text("currency").value_or("");
        p.owner_id = b.id("owner_id").value_or(0);
        p.kind = b.choice("kind", parse_proposal_kind).value_or(ProposalKind::kStandard);
        p.deal_id = b.id("deal_id").value_or(0);
        if (b.has("lines")) p.lines = lines_from(b);
        p.notes = b.text("notes").value_or("");
        p.terms = terms_from(b, {});
        return p;
      },
      [&](const Proposal& p) { return call.engine.proposals().add(call.actor, p); }, 201);
}

HttpReply update(ApiCall& call) {
  auto body = body_of(call, kPatch);
  if (!body.ok()) return error_reply(body.status());
  ProposalPatch patch;
  patch.kind = body->choice("kind", parse_proposal_kind);
  patch.deal_id = body->id("deal_id");
  if (body->has("lines")) patch.lines = lines_from(*body);
  patch.notes = body->text("notes");
  if (has_terms(*body)) {
    // The engine replaces the terms whole; a PATCH changes only the ones given.
    auto current = call.engine.proposals().get(call.actor, call.id);
    if (!current.ok()) return error_reply(current.status());
    patch.terms = terms_from(*body, current->terms);
  }
  if (Status st = body->status("proposal"); !st.is_ok()) return error_reply(st);
  auto saved = call.engine.proposals().update(call.actor, call.id, patch);
  if (!saved.ok()) return error_reply(saved.status());
  return json_reply(200, fields_of(saved->record).to_json());
}

HttpReply request_approval(ApiCall& call) {
  return write_record(
      call, kReason, "approval request", [](BodyReader& b) { return b.required_text("reason"); },
      [&](const std::string& reason) { return call.engine.proposals().request_approval(call.actor, call.id, reason); },
      201);
}

HttpReply send(ApiCall& call) {
  return bodyless_action(call, "proposal sending", [&] { return call.engine.proposals().send(call.actor, call.id); });
}

HttpReply received(ApiCall& call) {
  return write_record(
      call, kReceived, "proposal receipt", [](BodyReader& b) { return b.instant("at"); },
      [&](const std::optional<Instant>& at) { return call.engine.proposals().mark_received(call.actor, call.id, at); });
}

HttpReply accept(ApiCall& call) {
  return bodyless_action(call, "proposal answer", [&] { return call.engine.proposals().accept(call.actor, call.id); });
}

HttpReply decline(ApiCall& call) {
  return write_record(
      call, kReason, "proposal answer", [](BodyReader& b) { return b.required_text("reason"); },
      [&](const std::string& reason) { return call.engine.proposals().decline(call.actor, call.id, reason); });
}

}  // namespace

void add_proposal_routes(std::vector<Route>& out) {
  const Fields kProposalFilters = {"client_id", "deal_id", "owner_id",
                                   field::choice("status", parse_proposal_status, "Only proposals in this status")};
  const std::string one = "/api/v1/proposals/{id}";
  out.push_back({.method = "GET", .pattern = "/api/v1/proposals", .summary = "List proposals", .handler = list,
                 .filters = kProposalFilters, .paged = true,
                 .reply = Reply::page("Proposal")});
  out.push_back({.method = "GET", .pattern = "/api/v1/proposals/count",
                 .summary = "Count the proposals the list would give with the same filters",
                 .handler = count, .filters = kProposalFilters,
                 .reply = Reply::record("Count")});
  out.push_back({.method = "POST", .pattern = "/api/v1/proposals", .summary = "Draft a proposal", .handler = create,
                 .fields = kCreate, .success_status = 201, .reply = Reply::record("Proposal")});
  out.push_back({.method = "GET", .pattern = one, .summary = "Get a proposal", .handler = get,
                 .reply = Reply::record("Proposal")});
  out.push_back({.method = "PATCH", .pattern = one, .summary = "Change a draft proposal", .handler = update,
                 .fields = kPatch, .reply = Reply::record("Proposal")});
  out.push_back({.method = "POST", .pattern = one + "/request-approval",
                 .summary = "Ask for the approval the proposal needs", .handler = request_approval,
                 .fields = kReason, .success_status = 201, .reply = Reply::record("Approval")});
  out.push_back({.method = "POST", .pattern = one + "/send", .summary = "Record that the proposal went out",
                 .handler = send, .reply = Reply::record("Proposal")});
  out.push_back({.method = "POST", .pattern = one + "/received", .summary = "The client confirmed receipt",
                 .handler = received, .fields = kReceived,
                 .reply = Reply::record("Proposal")});
  out.push_back({.method = "POST", .pattern = one + "/accept", .summary = "The client accepted", .handler = accept,
                 .reply = Reply::record("Proposal")});
  out.push_back({.method = "POST", .pattern = one + "/decline", .summary = "The client declined, with a reason",
                 .handler = decline, .fields = kReason,
                 .reply = Reply::record("Proposal")});
}

}  // namespace salescore::cli
