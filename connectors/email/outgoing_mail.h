// A letter salescore sends: read from an `email.send` outbox item, rendered by GMime.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace salescore::email {

struct OutgoingAttachment {
  std::string name, content_type, bytes;
};

struct OutgoingMail {
  std::string from;                  // address; the connector's from_address when the item has none
  std::vector<std::string> to, cc;
  std::string subject, text, html;
  std::string in_reply_to;           // Message-ID of the letter answered, without <>
  std::vector<std::string> references;
  std::vector<OutgoingAttachment> attachments;
  bool automated = false;            // queued by an automation: Auto-Submitted: auto-generated
  std::string sent_by_login;         // who queued it: the connector sends from their mailbox if it has one
  std::string message_id;            // without <>; derived from the outbox key, so a retry keeps it
  std::int64_t date_ms = 0;
};

// Reads an email.send payload: {"to": "a@b" or [...], "cc": [...], "subject", "text" (or "body"),
// "html", "from", "in_reply_to", "references": [...], "automated": bool,
// "attachments": [{"name", "content_type", "base64"}]}. Throws std::invalid_argument naming
// what is wrong.
OutgoingMail outgoing_mail_from_json(const std::string& payload);

// The Message-ID of the letter an outbox item sends: the same for every attempt.
std::string message_id_for(const std::string& idempotency_key, const std::string& from);

// The RFC 5322 message, CRLF line ends, 8-bit clean (base64 / quoted-printable bodies).
std::string render(const OutgoingMail& mail);

}  // namespace salescore::email
