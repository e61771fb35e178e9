// E-mail on the timeline: the rules that put a letter on its client, in its thread, and
// make a lead of a stranger's request. Every intake (the e-mail connector through the
// connector host, a letter logged by hand through Python) goes through record_email, so
// the rules hold whoever records the letter.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "salescore/engine.h"

namespace salescore {

// What a letter says beside its interaction: its ids, the other side's addresses and
// whether a person wrote it.
struct EmailFacts {
  std::string message_id;               // without <>; "" when it has none
  std::string in_reply_to;              // the letter it answers
  std::vector<std::string> references;  // the thread's ids, oldest first
  // The other side's addresses in the order they name the client: From, Reply-To, Cc
  // for a letter received; To, Cc for one sent.
  std::vector<std::string> counterparts;
  std::string sender_name;  // From's display name (a lead's contact name)
  // Why no lead may come of it: "auto-submitted", "bulk", "mailing list", "delivery
  // report"; "" for a letter a person wrote.
  std::string automated;
};

struct RecordedEmail {
  Saved<Interaction> saved;
  Id thread_id = 0;             // the interaction id of the thread's first letter
  std::optional<Id> lead_id;    // the lead this letter made (or joined), if any
};

// Records a letter (an interaction of kind email keyed by source and external_id, as
// InteractionService::upsert keeps it: the same letter from two mailboxes is one). With
// no client named, the client is found, in this order, by:
//   1. the thread, by Message-ID: the letter it answers (In-Reply-To, then References
//      from the newest), including a letter salescore sent, whose Message-ID the
//      outbox logged; an exact link, so it comes before any guess;
//   2. the client's company domain: the one client with an e-mail at the sender's domain
//      (never a free-mail domain: [email] free_mail_domains), not for automated mail;
//   3. the thread by subject: a reply (Re:/Fwd:/AW:/SV:/Отв:/Ответ:/回复:/答复:/转发:...)
//      whose subject without prefixes matches a letter exchanged with the same address.
// (Matching by the clients' and contacts' own e-mails happens before: the caller names
// the client it found.) A letter recorded again keeps its user, client and thread.
// The first time an inbound letter a person wrote is recorded with no client found, it
// becomes a lead on the email channel (assigned and timed by the lead rules), unless the
// sender has an open lead already (the letter joins it) or the letter answers a thread
// salescore knows. Automated mail never makes a lead.
Result<RecordedEmail> record_email(Engine& engine, const Actor& actor, Interaction letter, const EmailFacts& facts);

// The subject a thread is known by: reply and forward prefixes in the languages of the
// trade removed (also "Re[2]:", "RE: Fwd:", full-width colons), spaces collapsed, lower
// case. `had_prefix` says whether any was removed.
std::string email_thread_subject(std::string_view subject, bool* had_prefix = nullptr);

// The domain of an address, lower case ("" for none).
std::string email_domain(std::string_view address);

}  // namespace salescore
