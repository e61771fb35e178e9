#include "store/email_letter_rows.h"

#include "store/dialect_text.h"
#include "store/row_helpers.h"

namespace salescore::store {
namespace {

EmailThreadHit hit_of(Statement& s) { return EmailThreadHit{s.column_int(0), s.column_int(1)}; }

}  // namespace

Status insert_email_letter(Connection& c, const EmailLetterRow& row) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(
                          "INSERT INTO email_letters (interaction_id, message_id, thread_id, subject_key, counterpart, answers) "
                          "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (interaction_id) DO NOTHING")));
  StatementUse use(*s);
  s->bind_all(row.interaction_id, row.message_id, row.thread_id, row.subject_key, row.counterpart, row.answers);
  return s->run();
}

Status adopt_replies(Connection& c, const std::string& message_id, Id thread_id) {
  if (message_id.empty()) return Status::ok();
  // The whole thread each early reply started moves, so its own answers come along.
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(
                          "UPDATE email_letters SET thread_id = ? WHERE thread_id IN (SELECT thread_id FROM "
                          "email_letters WHERE answers = ? AND thread_id <> ?)")));
  StatementUse use(*s);
  s->bind_all(thread_id, message_id, thread_id);
  return s->run();
}

Result<std::optional<EmailThreadHit>> email_thread_by_message_ids(Connection& c,
                                                                   const std::vector<std::string>& message_ids) {
  // One id at a time, the nearest ancestor first (In-Reply-To, then References from the
  // end): a thread that forked finds the branch answered.
  for (const std::string& id : message_ids) {
    if (id.empty()) continue;
    SC_ASSIGN_OR_RETURN(Statement * s,
                        c.prepare(c.dialect().placeholders(
                            "SELECT l.thread_id, i.client_id FROM email_letters l JOIN interactions i "
                            "ON i.id = l.interaction_id WHERE l.message_id = ? ORDER BY CASE WHEN i.client_id IS NULL "
                            "THEN 1 ELSE 0 END, l.interaction_id DESC LIMIT 1")));
    StatementUse use(*s);
    s->bind_all(id);
    SC_ASSIGN_OR_RETURN(auto hit, map_first<EmailThreadHit>(*s, hit_of));
    if (hit) return hit;
  }
  return std::optional<EmailThreadHit>();
}

Result<std::optional<EmailThreadHit>> email_thread_by_subject(Connection& c, const std::string& subject_key,
                                                              const std::string& counterpart) {
  if (subject_key.empty() || counterpart.empty()) return std::optional<EmailThreadHit>();
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(
                          "SELECT l.thread_id, i.client_id FROM email_letters l JOIN interactions i "
                          "ON i.id = l.interaction_id WHERE l.subject_key = ? AND l.counterpart = ? "
                          "ORDER BY l.interaction_id DESC LIMIT 1")));
  StatementUse use(*s);
  s->bind_all(subject_key, counterpart);
  return map_first<EmailThreadHit>(*s, hit_of);
}

Result<std::optional<Id>> email_thread_of(Connection& c, Id interaction_id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         {"thread_id"}, "email_letters", "interaction_id = ?"))));
  StatementUse use(*s);
  s->bind_all(interaction_id);
  return map_first<Id>(*s, [](Statement& r) { return r.column_int(0); });
}

Result<std::vector<Id>> email_thread_letters(Connection& c, Id thread_id) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(
                          "SELECT l.interaction_id FROM email_letters l JOIN interactions i ON i.id = l.interaction_id "
                          "WHERE l.thread_id = ? ORDER BY i.occurred_at, l.interaction_id")));
  StatementUse use(*s);
  s->bind_all(thread_id);
  return map_rows<Id>(*s, [](Statement& r) { return r.column_int(0); });
}

namespace {
EmailLetterRow letter_of(Statement& r) {
  return EmailLetterRow{r.column_int(0), r.column_text(1), r.column_int(2), r.column_text(3), r.column_text(4),
                        r.column_text(5)};
}
}  // namespace

Result<std::vector<EmailLetterRow>> email_thread_rows(Connection& c, Id thread_id) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(
                          "SELECT l.interaction_id, l.message_id, l.thread_id, l.subject_key, l.counterpart, l.answers "
                          "FROM email_letters l JOIN interactions i ON i.id = l.interaction_id "
                          "WHERE l.thread_id = ? ORDER BY i.occurred_at, l.interaction_id")));
  StatementUse use(*s);
  s->bind_all(thread_id);
  return map_rows<EmailLetterRow>(*s, letter_of);
}

Result<std::optional<EmailLetterRow>> email_letter(Connection& c, Id interaction_id) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         {"interaction_id", "message_id", "thread_id", "subject_key", "counterpart", "answers"},
                                         "email_letters", "interaction_id = ?"))));
  StatementUse use(*s);
  s->bind_all(interaction_id);
  return map_first<EmailLetterRow>(*s, letter_of);
}

Result<std::vector<EmailLetterRow>> clientless_letters_answering(Connection& c, const std::string& message_id) {
  SC_ASSIGN_OR_RETURN(Statement * s,
                      c.prepare(c.dialect().placeholders(
                          "SELECT l.interaction_id, l.message_id, l.thread_id, l.subject_key, l.counterpart, l.answers "
                          "FROM email_letters l JOIN interactions i ON i.id = l.interaction_id WHERE i.client_id IS NULL "
                          "AND l.thread_id IN (SELECT thread_id FROM email_letters WHERE answers = ?) "
                          "ORDER BY l.interaction_id")));
  StatementUse use(*s);
  s->bind_all(message_id);
  return map_rows<EmailLetterRow>(*s, letter_of);
}

std::string clients_with_email_domain_sql(const Dialect& d) {
  // The expression and the kind spelled as migration 27's partial index has them, so both
  // databases read the index instead of every e-mail (dialect_text.h).
  return d.placeholders("SELECT DISTINCT client_id FROM contact_points WHERE kind = 'email' AND " +
                        email_domain_of(d, "value") + " = ? ORDER BY client_id LIMIT ?");
}

Result<std::vector<Id>> clients_with_email_domain(Connection& c, const std::string& domain, int limit) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(clients_with_email_domain_sql(c.dialect())));
  StatementUse use(*s);
  s->bind_all(domain, static_cast<std::int64_t>(limit));
  return map_rows<Id>(*s, [](Statement& r) { return r.column_int(0); });
}

Result<std::optional<Id>> open_lead_with_email(Connection& c, const std::string& email) {
  SC_ASSIGN_OR_RETURN(Statement * s, c.prepare(c.dialect().placeholders(c.dialect().select(
                                         {"id"}, "leads", "email = ? AND status IN ('new', 'in_progress')", "id DESC",
                                         true))));
  StatementUse use(*s);
  s->bind_all(email, std::int64_t{1});
  return map_first<Id>(*s, [](Statement& r) { return r.column_int(0); });
}

}  // namespace salescore::store
