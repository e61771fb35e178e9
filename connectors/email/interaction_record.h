// One e-mail as the interaction record salescore stores on the client's timeline.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "parsed_mail.h"

namespace salescore::email {

struct MailboxOwner {
  std::string user;                    // the salescore login the mailbox belongs to ("" for a shared one)
  std::vector<std::string> addresses;  // the company's own addresses, lower-cased: mail from them is outbound
  // Whose a sending address is (the connector's other mailboxes): a letter sent from it
  // is that person's, in whichever mailbox it is read.
  std::map<std::string, std::string> users_by_address;
};

// The record's external id: the same letter in two folders or two mailboxes gets the same
// one, two letters sharing a Message-ID do not. The Message-ID and a hash of the raw body
// (headers differ between copies: Received, X-*), or a hash of date, sender, subject and
// body for a letter without a Message-ID.
std::string letter_key(const ParsedMail& mail);

// The interaction's JSON: kind email, direction by the sender, the client named by every
// address of the other side in the order From/Reply-To/To/Cc (the host takes the first that
// finds a client), subject, text with the attachments listed, and "email": the thread's
// ids, why no lead may come of it (automated) and the sender's name.
std::string interaction_json(const ParsedMail& mail, const MailboxOwner& owner, std::int64_t fallback_date_ms);

// A record the host refuses with `reason`, so that a message the connector cannot read
// becomes a dead letter that names it (the sync goes on past it).
std::string unreadable_json(const std::string& folder, std::uint32_t uid, const std::string& reason);

}  // namespace salescore::email
