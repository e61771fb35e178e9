// E-mail on the timeline (salescore/emails.h). Written over the public services inside one
// Engine::batch, so the letter, its thread and its lead commit together or not at all.
#include "salescore/emails.h"

#include <algorithm>
#include <cstring>

#include "engine/email_replies.h"
#include "model/contact_points.h"
#include "salescore/connectors.h"

namespace salescore {

namespace {

// Reply and forward prefixes, lower case, as mailers write them: English, German (AW, WG),
// Nordic (SV, VS, VB), French (TR), Spanish (RV), Dutch (Antw), Bulgarian (Отг),
// Russian (Отв, Ответ, Пересл, Фв), Chinese (回复, 答复, 转发, 回覆, 轉寄, 轉發).
constexpr const char* kPrefixes[] = {"re", "fw", "fwd", "aw", "wg", "sv", "vs", "vb", "tr", "rv", "antw", "отв",
                                     "ответ", "отг", "пересл", "фв", "回复", "答复", "转发", "回覆", "轉寄", "轉發"};

bool space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Length of "prefix[n]:" / "prefix(n):" / "prefix:" / "prefix：" at the start of `s`
// (already lower case), 0 when none.
std::size_t prefix_length(std::string_view s) {
  for (const char* p : kPrefixes) {
    const std::size_t n = std::strlen(p);
    if (s.size() <= n || s.compare(0, n, p) != 0) continue;
    std::size_t i = n;
    if (s[i] == '[' || s[i] == '(') {
      const char close = s[i] == '[' ? ']' : ')';
      std::size_t j = i + 1;
      while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
      if (j == i + 1 || j >= s.size() || s[j] != close) continue;
      i = j + 1;
    }
    while (i < s.size() && s[i] == ' ') ++i;  // "Re :" (French mailers)
    if (i < s.size() && s[i] == ':') return i + 1;
    if (s.compare(i, 3, "\xEF\xBC\x9A") == 0) return i + 3;  // full-width colon
  }
  return 0;
}

bool free_mail(const Config& config, const std::string& domain) {
  return std::find(config.free_mail_domains.begin(), config.free_mail_domains.end(), domain) !=
         config.free_mail_domains.end();
}

// The one client at the first counterpart's company domain.
Result<std::optional<Id>> client_by_domain(Engine& e, const EmailFacts& facts) {
  for (const std::string& address : facts.counterparts) {
    const std::string domain = email_domain(address);
    if (domain.empty() || free_mail(e.config(), domain)) continue;
    return e.connectors().only_client_at_domain(domain);
  }
  return std::optional<Id>();
}

// A stranger's request: a lead, or the sender's open lead if they have one.
Result<std::optional<Id>> lead_of(Engine& e, const Actor& actor, const Interaction& letter, const EmailFacts& facts) {
  const std::string sender = facts.counterparts.empty() ? "" : facts.counterparts.front();
  if (sender.empty() || (letter.subject.empty() && letter.body.empty())) return std::optional<Id>();
  auto email = normalize_email(sender);
  if (!email.ok()) return std::optional<Id>();  // no address a manager could answer
  SC_ASSIGN_OR_RETURN(auto open, e.connectors().open_lead_with_email(*email));
  if (open) return open;
  Lead lead;
  lead.channel = LeadChannel::kEmail;
  lead.email = *email;
  lead.contact_name = facts.sender_name;
  std::string request = letter.subject;
  if (!letter.body.empty()) request += (request.empty() ? "" : "\n") + letter.body.substr(0, 1000);
  lead.request = request;
  lead.received_at = letter.occurred_at;
  lead.source = letter.source;
  lead.external_id = letter.external_id;
  SC_ASSIGN_OR_RETURN(auto saved, e.leads().add(actor, std::move(lead)));
  return std::optional<Id>(saved.record.id);
}

// The early replies the letter's thread adopted land on its client, as they would have had
// they been read after it; their senders' open leads are matched to it (docs/rules.md).
Status give_client(Engine& e, const Actor& actor, const std::vector<detail::EarlyReply>& early, Id client_id) {
  for (const detail::EarlyReply& reply : early) {
    SC_ASSIGN_OR_RETURN(Interaction i, e.interactions().get(Actor::system(), reply.interaction_id));
    if (i.client_id) continue;
    i.client_id = client_id;
    SC_RETURN_IF_ERROR(e.interactions().upsert(actor, std::move(i)).status());
    if (!reply.counterpart.empty()) SC_RETURN_IF_ERROR(detail::match_open_lead(e, actor, reply.counterpart, client_id));
  }
  return Status::ok();
}

}  // namespace

std::string email_domain(std::string_view address) {
  const auto at = address.rfind('@');
  if (at == std::string_view::npos || at + 1 >= address.size()) return "";
  return search_key(address.substr(at + 1));
}

std::string email_thread_subject(std::string_view subject, bool* had_prefix) {
  std::string s = search_key(subject);
  bool removed = false;
  while (true) {
    std::size_t b = 0;
    while (b < s.size() && space(s[b])) ++b;
    const std::size_t n = prefix_length(std::string_view(s).substr(b));
    if (n == 0) {
      s.erase(0, b);
      break;
    }
    s.erase(0, b + n);
    removed = true;
  }
  std::string out;
  for (char c : s) {
    if (space(c)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (had_prefix) *had_prefix = removed;
  return out;
}

Result<RecordedEmail> record_email(Engine& engine, const Actor& actor, Interaction letter, const EmailFacts& facts) {
  if (letter.source.empty() || letter.external_id.empty())
    return Status::invalid("a letter needs its source and external_id", {{"external_id", "required"}});
  letter.kind = InteractionKind::kEmail;
  bool reply = false;
  const std::string subject_key = email_thread_subject(letter.subject, &reply);
  const std::string counterpart = facts.counterparts.empty() ? "" : search_key(facts.counterparts.front());
  std::vector<std::string> ancestors;
  if (!facts.in_reply_to.empty()) ancestors.push_back(facts.in_reply_to);
  ancestors.insert(ancestors.end(), facts.references.rbegin(), facts.references.rend());
  RecordedEmail out;
  Status done = engine.batch([&]() -> Status {
    ConnectorService& c = engine.connectors();
    SC_ASSIGN_OR_RETURN(auto existing, c.id_by_source("interaction", letter.source, letter.external_id));
    if (existing) {
      // The same letter from a second mailbox (or read again): it stays whose it was. One
      // first read from a shared mailbox was only the recorder's: the first mailbox with an
      // owner names its user.
      SC_ASSIGN_OR_RETURN(Interaction before, engine.interactions().get(Actor::system(), *existing));
      const bool only_recorders = before.user_id == actor.user_id && letter.user_id && letter.user_id != actor.user_id;
      if (before.user_id && !only_recorders) letter.user_id = before.user_id;
      letter.direction = before.direction;
      if (!letter.client_id) letter.client_id = before.client_id;
    }
    Id thread = 0;
    SC_ASSIGN_OR_RETURN(auto by_ids, c.email_thread_by_ids(ancestors));
    if (by_ids) {
      thread = by_ids->thread_id;
      if (!letter.client_id) letter.client_id = by_ids->client_id;
    }
    if (!letter.client_id && facts.automated.empty()) {
      SC_ASSIGN_OR_RETURN(auto by_domain, client_by_domain(engine, facts));
      if (by_domain) letter.client_id = *by_domain;
    }
    if (!thread && reply) {
      SC_ASSIGN_OR_RETURN(auto by_subject, c.email_thread_by_subject(subject_key, counterpart));
      if (by_subject) {
        thread = by_subject->thread_id;
        if (!letter.client_id) letter.client_id = by_subject->client_id;
      }
    }
    // Replies read before this letter, which its thread is about to adopt.
    std::vector<detail::EarlyReply> early;
    if (!facts.message_id.empty()) {
      SC_ASSIGN_OR_RETURN(early, detail::clientless_early_replies(engine, facts.message_id));
    }
    SC_ASSIGN_OR_RETURN(out.saved, engine.interactions().upsert(actor, letter));
    SC_ASSIGN_OR_RETURN(out.thread_id, c.file_email(out.saved.record.id, facts.message_id, thread, subject_key, counterpart,
                                                   ancestors.empty() ? "" : ancestors.front()));
    if (out.saved.record.client_id) SC_RETURN_IF_ERROR(give_client(engine, actor, early, out.saved.record.client_id));
    const bool stranger = out.saved.record.client_id == 0 && out.saved.record.direction == Direction::kInbound;
    if (out.saved.outcome == WriteOutcome::kCreated && stranger && facts.automated.empty() && !by_ids) {
      SC_ASSIGN_OR_RETURN(out.lead_id, lead_of(engine, actor, out.saved.record, facts));
    }
    return Status::ok();
  });
  SC_RETURN_IF_ERROR(done);
  return out;
}

}  // namespace salescore
