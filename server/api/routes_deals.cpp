// /api/v1/deals: the pipeline, and its actions (advance through the stage gates, lose
// with a reason, attest a document).
#include "api/api_count.h"

namespace salescore::cli {
namespace {

// The stage and the lost reason change only through the actions, so that every move
// passes the gates and every loss has a reason from the configured list. `documents`
// stays on the lists so that a caller who sends it gets the engine's refusal naming
// each document and how the deal gets it, not a bare "read-only field".
const Fields kPatch = pick(schema("Deal"), {"title", "expected_amount", "currency", "expected_close", "owner_id",
                                            "documents", "custom"});
const Fields kCreate = pick(schema("Deal"), {"client_id", "title", "stage", "expected_amount", "currency",
                                             "expected_close", "owner_id", "documents", "custom"},
                            {"client_id"});
const Fields kAdvance = pick(schema("Deal"), {"stage", "title", "expected_amount", "currency", "expected_close",
                                              "owner_id", "documents", "custom"},
                             {"stage"});
const Fields kLose = {field::text("reason", "A reason from the configured list").need().eg("\"price\"")};
const Fields kAttest = {
    field::text("document", "A document the stage configuration lets a person vouch for").need().eg("\"specification\""),
    field::text("note", "What the person vouches")};

DealPatch patch_from(BodyReader& b) {
  DealPatch p;
  p.title = b.text("title");
  p.expected_amount = b.money("expected_amount", "currency");
  p.expected_close = b.nullable_instant("expected_close");
  p.owner_id = b.id("owner_id");
  p.documents = b.texts("documents");
  p.custom = b.text_map("custom");
  return p;
}

Result<DealQuery> list_query(ApiCall& call) {
  QueryReader q(call);
  DealQuery query;
  query.client_id = q.id("client_id");
  query.owner_id = q.id("owner_id");
  query.stage = q.text("stage");
  if (Status st = q.status(); !st.is_ok()) return st;
  return query;
}

HttpReply list(ApiCall& call) { return list_of(call, list_query, &Engine::deals); }
HttpReply count(ApiCall& call) { return count_of(call, list_query, &Engine::deals); }

HttpReply get(ApiCall& call) { return record_reply(call.engine.deals().get(call.actor, call.id)); }

HttpReply create(ApiCall& call) {
  return write_record(
      call, kCreate, "deal",
      [](BodyReader& b) {
        Deal d;
        d.client_id = b.id("client_id").value_or(0);
        d.stage = b.text("stage").value_or("");
        DealPatch p = patch_from(b);
        d.title = p.title.value_or("");
        d.expected_amount = p.expected_amount.value_or(Money{});
        d.expected_close = p.expected_close.value_or(std::nullopt);
        d.owner_id = p.owner_id.value_or(0);
        d.documents = p.documents.value_or(std::vector<std::string>{});
        d.custom = p.custom.value_or(std::map<std::string, std::string>{});
        return d;
      },
      [&](const Deal& d) { return call.engine.deals().add(call.actor, d); }, 201);
}

HttpReply update(ApiCall& call) {
  return write_record(call, kPatch, "deal", patch_from,
                      [&](const DealPatch& p) { return call.engine.deals().update(call.actor, call.id, p); });
}

struct Advance {
  std::string stage;
  DealPatch with;
};

// {"stage": "proposal", ...fields the stage needs}: a refused gate is 422 naming every
// missing field.
HttpReply advance(ApiCall& call) {
  return write_record(
      call, kAdvance, "deal move",
      [](BodyReader& b) {
        Advance a;
        a.stage = b.required_text("stage");
        a.with = patch_from(b);
        return a;
      },
      [&](const Advance& a) { return call.engine.deals().advance(call.actor, call.id, a.stage, a.with); });
}

HttpReply lose(ApiCall& call) {
  return write_record(
      call, kLose, "deal loss",
      [](BodyReader& b) { return b.required_text("reason"); },
      [&](const std::string& reason) { return call.engine.deals().lose(call.actor, call.id, reason); });
}

struct Attestation {
  std::string document, note;
};

// {"document": "specification", "note": "..."}: a document the caller vouches for, one
// the configuration lists as attestable; logged with who did it.
HttpReply attest(ApiCall& call) {
  return write_record(
      call, kAttest, "attestation",
      [](BodyReader& b) {
        Attestation a;
        a.document = b.required_text("document");
        a.note = b.text("note").value_or("");
        return a;
      },
      [&](const Attestation& a) { return call.engine.deals().attest_document(call.actor, call.id, a.document, a.note); });
}

// Who vouched for which document of the deal, the ones migration 15 kept included.
HttpReply attestations(ApiCall& call) {
  auto deal = call.engine.deals().get(call.actor, call.id);  // 403/404 as for the deal itself
  if (!deal.ok()) return error_reply(deal.status());
  AttestationQuery query;
  query.deal_id = call.id;
  query.page.limit = 0;
  auto found = call.engine.deals().attestations(call.actor, query);
  if (!found.ok()) return error_reply(found.status());
  std::vector<std::string> items;
  for (const DocumentAttestation& a : *found) {
    FieldList f;
    f.string("document", a.document);
    f.id("attested_by", a.attested_by);  // null: kept by the migration, nobody known
    f.boolean("by_migration", a.by_migration);
    f.string("note", a.note);
    f.instant("attested_at", a.attested_at);
    items.push_back(f.to_json());
  }
  return page_reply(items, std::nullopt);
}

HttpReply stages(ApiCall& call) {
  auto visits = call.engine.deals().stage_history(call.actor, call.id);
  if (!visits.ok()) return error_reply(visits.status());
  std::vector<std::string> items;
  for (const StageVisit& v : *visits) {
    FieldList f;
    f.string("stage", v.stage);
    f.instant("entered_at", v.entered_at);
    f.instant("left_at", v.left_at);
    items.push_back(f.to_json());
  }
  return page_reply(items, std::nullopt);
}

}  // namespace

void add_deal_routes(std::vector<Route>& out) {
  out.push_back({.method = "GET", .pattern = "/api/v1/deals", .summary = "List the deals the caller may see",
                 .handler = list, .filters = {"client_id", "owner_id", "stage"}, .paged = true,
                 .reply = Reply::page("Deal")});
  out.push_back({.method = "GET", .pattern = "/api/v1/deals/count",
                 .summary = "Count the deals the list would give with the same filters",
                 .handler = count, .filters = {"client_id", "owner_id", "stage"}, .reply = Reply::record("Count")});
  out.push_back({.method = "POST", .pattern = "/api/v1/deals", .summary = "Open a deal", .handler = create,
                 .fields = kCreate, .success_status = 201, .reply = Reply::record("Deal")});
  out.push_back({.method = "GET", .pattern = "/api/v1/deals/{id}", .summary = "Get a deal", .handler = get,
                 .reply = Reply::record("Deal")});
  out.push_back({.method = "PATCH", .pattern = "/api/v1/deals/{id}",
                 .summary = "Change some fields of a deal (not its stage: see advance)", .handler = update,
                 .fields = kPatch, .reply = Reply::record("Deal")});
  out.push_back({.method = "POST", .pattern = "/api/v1/deals/{id}/advance",
                 .summary = "Move a deal to a stage through the stage gates", .handler = advance,
                 .fields = kAdvance, .reply = Reply::record("Deal")});
  out.push_back({.method = "POST", .pattern = "/api/v1/deals/{id}/lose",
                 .summary = "Lose a deal with a reason from the configured list", .handler = lose,
                 .fields = kLose, .reply = Reply::record("Deal")});
  out.push_back({.method = "POST", .pattern = "/api/v1/deals/{id}/documents",
                 .summary = "Attest a document the stage configuration lets a person vouch for", .handler = attest,
                 .fields = kAttest, .reply = Reply::record("Deal")});
  out.push_back({.method = "GET", .pattern = "/api/v1/deals/{id}/documents",
                 .summary = "The documents people vouched for on the deal, with who and when", .handler = attestations,
                 .reply = Reply::page("DocumentAttestation")});
  out.push_back({.method = "GET", .pattern = "/api/v1/deals/{id}/stages",
                 .summary = "Every stage the deal has been in, oldest first", .handler = stages,
                 .reply = Reply::page("StageVisit")});
}

}  // namespace salescore::cli
