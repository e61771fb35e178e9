// Letters to clients queued for the e-mail connector. The rules of who may mail whom live
// here, so that REST, Python and automations (which all queue through this) obey them alike.
#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <algorithm>
#include <cctype>

#include "engine/engine_state.h"
#include "model/json_text.h"
#include "rules/access.h"
#include "salescore/connectors.h"
#include "store/activity_rows.h"
#include "store/client_rows.h"
#include "store/email_letter_rows.h"
#include "store/user_rows.h"

namespace salescore {
using namespace detail;

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string json_texts(const std::vector<std::string>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + json_string(values[i]);
  return out + "]";
}

std::string payload_of(const EmailDraft& d, Id sender, const std::string& sender_login) {
  std::string attachments = "[";
  for (std::size_t i = 0; i < d.attachments.size(); ++i) {
    const auto& a = d.attachments[i];
    attachments += std::string(i ? "," : "") + "{\"name\":" + json_string(a.name) +
                   ",\"content_type\":" + json_string(a.content_type) + ",\"base64\":" + json_string(a.base64) + "}";
  }
  attachments += "]";
  return "{\"client_id\":" + std::to_string(d.client_id) + ",\"contact_id\":" + std::to_string(d.contact_id) +
         ",\"sent_by\":" + std::to_string(sender) + ",\"sent_by_login\":" + json_string(sender_login) +
         ",\"to\":" + json_texts(d.to) + ",\"cc\":" + json_texts(d.cc) +
         ",\"subject\":" + json_string(d.subject) + ",\"text\":" + json_string(d.text) +
         ",\"html\":" + json_string(d.html) + ",\"in_reply_to\":" + json_string(d.in_reply_to) +
         ",\"references\":" + json_texts(d.references) + ",\"automated\":" + (d.automated ? "true" : "false") +
         ",\"attachments\":" + attachments + "}";
}

std::string content_key(const std::string& payload) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(payload);
  return "email:" + Poco::DigestEngine::digestToHex(sha.digest());
}

// RFC 4648 base64, line breaks allowed (what a mailer or a browser produces).
bool is_base64(const std::string& text) {
  std::size_t n = 0, padding = 0;
  for (char c : text) {
    if (c == '\r' || c == '\n') continue;
    if (c == '=') {
      ++padding;
    } else if (padding || !(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/')) {
      return false;
    }
    ++n;
  }
  return n % 4 == 0 && padding <= 2;
}

// Fills in the thread of the letter `d` answers (EmailDraft::reply_to); returns that
// letter's other side. The letter must be an e-mail on the draft's client's timeline,
// which the caller has been found to see.
Result<std::string> answer_in_thread(EngineState& s, EmailDraft& d) {
  auto refuse = [&](const std::string& why) {
    return Status::invalid("reply_to: " + why, {{"reply_to", why}});
  };
  SC_ASSIGN_OR_RETURN(auto letter, store::load_interaction(*s.conn, d.reply_to));
  if (!letter || letter->client_id != d.client_id)
    return refuse("interaction " + std::to_string(d.reply_to) + " is no letter on client " + std::to_string(d.client_id) +
                  "'s timeline");
  SC_ASSIGN_OR_RETURN(auto filed, store::email_letter(*s.conn, d.reply_to));
  if (letter->kind != InteractionKind::kEmail || !filed)
    return refuse("interaction " + std::to_string(d.reply_to) + " is no e-mail");
  SC_ASSIGN_OR_RETURN(auto thread, store::email_thread_rows(*s.conn, filed->thread_id));
  // A Message-ID kept as its hash (over 512 bytes) cannot be written back: left out.
  auto usable = [](const std::string& id) { return !id.empty() && id.rfind("sha256:", 0) != 0; };
  if (d.in_reply_to.empty() && usable(filed->message_id)) d.in_reply_to = filed->message_id;
  if (d.references.empty())
    for (const auto& row : thread) {
      if (usable(row.message_id)) d.references.push_back(row.message_id);
      if (row.interaction_id == d.reply_to) break;
    }
  if (d.subject.empty()) d.subject = letter->subject.rfind("Re:", 0) == 0 ? letter->subject : "Re: " + letter->subject;
  return filed->counterpart;
}

}  // namespace

Result<std::optional<Id>> ConnectorService::send_email(const Actor& actor, const EmailDraft& draft) {
  if (draft.client_id == 0) return Status::invalid("a letter needs the client it is for", {{"client_id", "required"}});
  EmailDraft d = draft;
  std::vector<std::string> known;  // the client's and its contacts' e-mails, lower-cased
  struct Found {
    Client client;
    std::vector<Contact> contacts;
    std::string sender_login;  // the connector sends from this person's mailbox, if it has one
  };
  // Read, and the access checked, in one go: a refusal is written to the audit trail.
  SC_ASSIGN_OR_RETURN(Found found, read<Found>(*s_, [&]() -> Result<Found> {
    SC_ASSIGN_OR_RETURN(auto client, store::load_client(*s_->conn, d.client_id));
    if (!client)
      return Status(Code::kNotFound, "no client " + std::to_string(d.client_id), {{"client_id", "no such client"}});
    SC_ASSIGN_OR_RETURN(Scope scope, scope_of(*s_, actor));
    if (!scope.covers_client(client->owner_id, client->assistant_id, client->source))
      return deny(*s_, actor, "email", "client", d.client_id, "not a client of theirs");
    SC_ASSIGN_OR_RETURN(auto contacts, store::contacts_of_client(*s_->conn, d.client_id));
    std::string login;
    if (actor.user_id) {
      SC_ASSIGN_OR_RETURN(auto sender, store::load_user(*s_->conn, actor.user_id));
      if (sender) login = sender->login;
    }
    return Found{std::move(*client), std::move(contacts), std::move(login)};
  }));
  std::string answered;  // the other side of the letter answered
  if (d.reply_to) {
    SC_ASSIGN_OR_RETURN(answered, read<std::string>(*s_, [&] { return answer_in_thread(*s_, d); }));
  }
  std::vector<std::string> default_to = found.client.emails;
  for (const auto& e : found.client.emails) known.push_back(lower(e));
  for (const auto& c : found.contacts) {
    if (c.id == d.contact_id) default_to = c.emails;
    for (const auto& e : c.emails) known.push_back(lower(e));
  }
  if (d.contact_id && std::none_of(found.contacts.begin(), found.contacts.end(),
                                   [&](const Contact& c) { return c.id == d.contact_id; }))
    return Status::invalid("contact " + std::to_string(d.contact_id) + " is not client " +
                               std::to_string(d.client_id) + "'s",
                           {{"contact_id", "not the client's contact"}});
  if (d.to.empty() && !answered.empty() && std::find(known.begin(), known.end(), lower(answered)) != known.end())
    d.to = {answered};
  if (d.to.empty() && !default_to.empty()) d.to = {default_to.front()};
  std::map<std::string, std::string> errors;
  if (d.to.empty()) errors["to"] = "the client has no e-mail: name the address";
  for (const auto* list : {&d.to, &d.cc})
    for (const auto& a : *list)
      if (std::find(known.begin(), known.end(), lower(a)) == known.end())
        errors[list == &d.to ? "to" : "cc"] = "'" + a + "' is not an e-mail of the client or its contacts";
  if (d.text.empty() && d.html.empty()) errors["text"] = "the letter needs a text or an html body";
  for (std::size_t i = 0; i < d.attachments.size(); ++i) {
    const std::string field = "attachments[" + std::to_string(i) + "]";
    if (d.attachments[i].name.empty()) errors[field + ".name"] = "required: the file name the client sees";
    if (!is_base64(d.attachments[i].base64)) errors[field + ".base64"] = "not base64";
  }
  if (!errors.empty()) return Status::invalid("the letter cannot be sent", errors);
  OutboxItem item;
  item.connector = kEmailConnector;
  item.kind = "email.send";
  item.payload = payload_of(d, actor.user_id, found.sender_login);
  item.idempotency_key = d.key.empty() ? content_key(item.payload) : d.key;
  return enqueue(item);
}

}  // namespace salescore
