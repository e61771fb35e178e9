#include "host/email_record.h"

#include "salescore/emails.h"

namespace salescore::plugins {
namespace {

const char* facts_field(JsonFields& f) { return f.is_object("email") ? "email" : "thread"; }

}  // namespace

bool is_email_record(JsonFields& f) { return f.is_object("email") || f.is_object("thread"); }

Result<Saved<Interaction>> apply_email(Engine& e, const Actor& a, Interaction letter, JsonFields& f) {
  EmailFacts facts;
  JsonFields mail = *f.object(facts_field(f));
  facts.message_id = mail.text("message_id").value_or("");
  facts.in_reply_to = mail.text("in_reply_to").value_or("");
  facts.references = mail.texts("references").value_or(std::vector<std::string>{});
  facts.automated = mail.text("automated").value_or("");
  facts.sender_name = mail.text("sender_name").value_or("");
  if (f.is_object("client")) facts.counterparts = f.object("client")->texts("emails").value_or(std::vector<std::string>{});
  SC_RETURN_IF_ERROR(f.to_status("interaction record"));
  SC_ASSIGN_OR_RETURN(RecordedEmail recorded, record_email(e, a, std::move(letter), facts));
  return recorded.saved;
}

}  // namespace salescore::plugins
