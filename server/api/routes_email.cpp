// /api/v1/emails: a letter to a client, queued for the e-mail connector (core's
// ConnectorService::send_email decides who may mail whom).
#include "api/api_router.h"
#include "salescore/record_fields.h"
#include "salescore/connectors.h"

namespace salescore::cli {
namespace {

const Fields& kEmail = schema("Letter");

HttpReply send_email(ApiCall& call) {
  auto body = body_of(call, kEmail);
  if (!body.ok()) return error_reply(body.status());
  EmailDraft d;
  d.client_id = body->id("client_id").value_or(0);
  d.contact_id = body->id("contact_id").value_or(0);
  d.to = body->texts("to").value_or(std::vector<std::string>{});
  d.cc = body->texts("cc").value_or(std::vector<std::string>{});
  d.subject = body->text("subject").value_or("");
  d.text = body->text("text").value_or("");
  d.html = body->text("html").value_or("");
  d.in_reply_to = body->text("in_reply_to").value_or("");
  d.references = body->texts("references").value_or(std::vector<std::string>{});
  d.reply_to = body->id("reply_to").value_or(0);
  // Named and checked as Python's and the CLI's: core refuses an unnamed file or content
  // that is not base64, naming attachments[i].name / attachments[i].base64.
  body->objects("attachments", [&](BodyReader& a) {
    d.attachments.push_back({a.text("name").value_or(""), a.text("content_type").value_or(""),
                             a.text("base64").value_or("")});
  });
  d.key = body->text("key").value_or("");
  if (Status st = body->status("letter"); !st.is_ok()) return error_reply(st);
  auto queued = call.engine.connectors().send_email(call.actor, d);
  if (!queued.ok()) return error_reply(queued.status());
  // 202: queued, not yet sent; the outbox id, or null when the same key was queued already.
  FieldList reply;
  reply.id("outbox_id", *queued ? **queued : 0);
  return json_reply(202, reply.to_json());
}

}  // namespace

void add_email_routes(std::vector<Route>& out) {
  out.push_back({.method = "POST", .pattern = "/api/v1/emails",
                 .summary = "Queue a letter to a client (or its contact) for the e-mail connector to send",
                 .handler = send_email, .fields = kEmail, .success_status = 202,
                 .reply = Reply::record("LetterQueued")});
}

}  // namespace salescore::cli
