// Rows of email_letters: each e-mail on the timeline by its Message-ID and the thread it
// belongs to (salescore/emails.h), and the look-ups the e-mail rules match by.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "salescore/values.h"
#include "store/sql.h"

namespace salescore::store {

struct EmailLetterRow {
  Id interaction_id = 0;
  std::string message_id;   // as stored: ids over kMaxKeyBytes are kept as their hash
  Id thread_id = 0;         // the interaction id of the thread's first letter
  std::string subject_key;  // the subject without reply/forward prefixes, lower-case
  std::string counterpart;  // the other side's first address
  std::string answers;      // the Message-ID it answers (In-Reply-To), as stored
};

// A thread found for a letter: its id and the client of its newest letter with one.
struct EmailThreadHit {
  Id thread_id = 0;
  Id client_id = 0;
};

// Keeps the first row of an interaction: the same letter applied again changes nothing.
Status insert_email_letter(Connection& c, const EmailLetterRow& row);
// Moves the threads of letters filed earlier that answer `message_id` into `thread_id`
// (a reply read before the letter it answers).
Status adopt_replies(Connection& c, const std::string& message_id, Id thread_id);
// The thread of the newest letter whose Message-ID is one of `message_ids`.
Result<std::optional<EmailThreadHit>> email_thread_by_message_ids(Connection& c,
                                                                   const std::vector<std::string>& message_ids);
// The thread of the newest letter with this subject key exchanged with this address.
Result<std::optional<EmailThreadHit>> email_thread_by_subject(Connection& c, const std::string& subject_key,
                                                              const std::string& counterpart);
Result<std::optional<Id>> email_thread_of(Connection& c, Id interaction_id);
// The interactions of a thread, oldest first.
Result<std::vector<Id>> email_thread_letters(Connection& c, Id thread_id);
// The letters of a thread, oldest first, as filed.
Result<std::vector<EmailLetterRow>> email_thread_rows(Connection& c, Id thread_id);
Result<std::optional<EmailLetterRow>> email_letter(Connection& c, Id interaction_id);
// The letters whose interaction has no client in the threads started by letters that
// answer `message_id` (as stored): what adopt_replies would move.
Result<std::vector<EmailLetterRow>> clientless_letters_answering(Connection& c, const std::string& message_id);
// The clients having an e-mail (theirs or a contact's) at `domain`, at most `limit`.
// Its SQL (two parameters: the domain, the limit), for tests that ask the database how
// it runs it (the index of migration 27).
std::string clients_with_email_domain_sql(const Dialect& d);
Result<std::vector<Id>> clients_with_email_domain(Connection& c, const std::string& domain, int limit);
// An open (new or in progress) lead with this e-mail.
Result<std::optional<Id>> open_lead_with_email(Connection& c, const std::string& email);

// A key short enough for a PostgreSQL btree (2,704 bytes): a Message-ID or subject over
// this is stored as "sha256:" and its hash (Message-IDs) or cut (subjects).
inline constexpr std::size_t kMaxKeyBytes = 512;

}  // namespace salescore::store
