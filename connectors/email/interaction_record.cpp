#include "interaction_record.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <Poco/Timestamp.h>

#include <algorithm>

#include "json_out.h"

namespace salescore::email {
namespace {

using salescore::onec::JsonObject;

std::string iso_time(std::int64_t ms) {
  return Poco::DateTimeFormatter::format(Poco::Timestamp(ms * 1000), Poco::DateTimeFormat::ISO8601_FORMAT);
}

bool is_own(const MailboxOwner& owner, const std::string& address) {
  return std::find(owner.addresses.begin(), owner.addresses.end(), address) != owner.addresses.end();
}

void add_unique(std::vector<std::string>& out, const std::vector<MailAddress>& from, const MailboxOwner& owner) {
  for (const auto& a : from)
    if (!is_own(owner, a.address) && std::find(out.begin(), out.end(), a.address) == out.end())
      out.push_back(a.address);
}

std::string body_with_attachments(const ParsedMail& mail) {
  std::string body = mail.text;
  if (mail.truncated) body += (body.empty() ? "" : "\n") + std::string("[the message is over the size cap: its header is kept, its body was not fetched]");
  for (const auto& a : mail.attachments) {
    body += "\n[attachment] " + (a.file_name.empty() ? std::string("(no name)") : a.file_name) + " (" +
            a.content_type + ", " + std::to_string(a.size) + " bytes, sha256 " + a.sha256 + ")";
  }
  return body;
}

}  // namespace

std::string letter_key(const ParsedMail& mail) {
  if (!mail.message_id.empty()) return mail.message_id + "#" + mail.body_sha256.substr(0, 16);
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  for (const std::string& part : {std::to_string(mail.date_ms), mail.from.empty() ? std::string() : mail.from[0].address,
                                  mail.subject, mail.body_sha256}) {
    sha.update(part);
    sha.update('\0');
  }
  return "no-message-id#" + Poco::DigestEngine::digestToHex(sha.digest()).substr(0, 32);
}

std::string interaction_json(const ParsedMail& mail, const MailboxOwner& owner, std::int64_t fallback_date_ms) {
  const bool outbound = !mail.from.empty() && is_own(owner, mail.from[0].address);
  std::vector<std::string> others;
  if (outbound) {
    add_unique(others, mail.to, owner);
    add_unique(others, mail.cc, owner);
  } else {
    add_unique(others, mail.from, owner);
    add_unique(others, mail.reply_to, owner);
    add_unique(others, mail.cc, owner);
  }
  JsonObject client;
  client.texts("emails", others);
  // What the letter is; what it means (its thread, a client by domain, a lead) is core's
  // decision (salescore/emails.h).
  JsonObject facts;
  facts.text("message_id", mail.message_id).text("in_reply_to", mail.in_reply_to).texts("references", mail.references);
  facts.text("automated", mail.automated).text("sender_name", mail.from.empty() ? "" : mail.from[0].name);
  JsonObject o;
  o.text("kind", "email")
      .text("direction", outbound ? "outbound" : "inbound")
      .text("occurred_at", iso_time(mail.date_ms ? mail.date_ms : fallback_date_ms))
      .text("subject", mail.subject)
      .text("body", body_with_attachments(mail))
      .raw("client", client.str())
      .raw("email", facts.str());
  std::string user = owner.user;
  if (outbound)
    if (auto sender = owner.users_by_address.find(mail.from[0].address);
        sender != owner.users_by_address.end() && !sender->second.empty())
      user = sender->second;
  if (!user.empty()) o.text("user", user);
  return o.str();
}

std::string unreadable_json(const std::string& folder, std::uint32_t uid, const std::string& reason) {
  JsonObject o;
  o.text("kind", "email").text("error", "message UID " + std::to_string(uid) + " in " + folder + ": " + reason);
  return o.str();
}

}  // namespace salescore::email
