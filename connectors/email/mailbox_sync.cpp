#include "mailbox_sync.h"

#include "attachment_store.h"
#include "parse_budget.h"

#include <unistd.h>

#include <algorithm>
#include <sstream>

namespace salescore::email {

// How often folders other than the watched one are caught up while idling.
constexpr int kOtherFoldersEveryS = 60;

MailboxSync::MailboxSync(const sc_host_api* api, sc_host* host, SyncSettings settings, MarkBook& book,
                         std::string mailbox, const std::atomic<bool>* abort)
    : api_(api), host_(host), s_(std::move(settings)), book_(book), mailbox_(std::move(mailbox)), abort_(abort) {}

void MailboxSync::log(int level, const std::string& line) {
  // With several mailboxes, each line says whose it is.
  const std::string text = mailbox_.empty() ? line : mailbox_ + ": " + line;
  api_->log(host_, level, text.c_str());
}

void MailboxSync::show_progress(const std::string& line) {
  if (!SC_HAS_FIELD(api_, sc_host_api, report_progress) || !api_->report_progress) return;
  const std::string text = line.empty() || mailbox_.empty() ? line : mailbox_ + ": " + line;
  api_->report_progress(host_, text.c_str());
}

bool MailboxSync::stopping() const { return api_->stopping(host_) != 0 || (abort_ && abort_->load()); }

sc_status MailboxSync::fail(const ImapError& e) {
  const std::string text = mailbox_.empty() ? e.reason : mailbox_ + ": " + e.reason;
  return api_->fail(host_, e.code, text.c_str());
}

sc_status MailboxSync::save() { return book_.save(mailbox_, marks_); }

sc_status MailboxSync::run() {
  marks_ = book_.marks_of(mailbox_);
  ImapClient imap;
  if (ImapError e = imap.connect(s_.imap)) return fail(e);
  std::vector<std::string> folders = s_.folders, listed;
  std::string sent;
  if (ImapError e = imap.list_folders(listed, sent)) return fail(e);
  if (folders.size() == 1 && folders[0] == "all") {
    folders = listed;
    log(SC_LOG_INFO, "syncing " + std::to_string(folders.size()) + " folders" + (sent.empty() ? "" : "; sent mail in " + sent));
  }
  // Sent first: a reply threads back to the letter it answers only if that letter is
  // known when the reply is recorded, and what we sent is older than what answers it.
  if (auto at = std::find(folders.begin(), folders.end(), sent); !sent.empty() && at != folders.end())
    std::rotate(folders.begin(), at, at + 1);
  auto stopping = [this] { return this->stopping(); };
  while (!stopping()) {
    for (const std::string& folder : folders) {
      if (stopping()) return SC_OK;
      if (sc_status st = catch_up(imap, folder); st != SC_OK) return st;
    }
    // Wait on the inbox (or the first folder): IDLE where the server has it, else a quiet poll.
    const bool has_inbox = std::find(folders.begin(), folders.end(), "INBOX") != folders.end();
    const std::string& watched = has_inbox ? "INBOX" : folders.front();
    FolderStatus now;
    if (ImapError e = imap.select(watched, now)) return fail(e);
    // A letter that arrived after the catch-up's SELECT of this folder is already in this
    // SELECT's EXISTS, so IDLE will not announce it: it would wait for the next wake (a
    // minute, or the whole IDLE refresh). The UIDNEXT moved: catch up again first.
    if (now.uidnext != 0 && now.uidnext != uidnext_caught_up_[watched]) continue;
    bool changed = false;
    // IDLE hears only the folder it watches: a letter the manager's own mail program
    // files in Sent (or another folder) would wait for the next inbox activity or the
    // IDLE refresh. With other folders to follow, wake at least every minute to catch
    // them up by UID (cheap: a SELECT each, nothing fetched when UIDNEXT did not move).
    const int wake_after_s = folders.size() > 1 ? std::min(s_.idle_refresh_s, kOtherFoldersEveryS) : s_.idle_refresh_s;
    if (imap.has_idle()) {
      if (ImapError e = imap.idle(wake_after_s, stopping, changed)) return fail(e);
    } else {
      for (int i = 0; i < 60 && !stopping(); ++i) ::sleep(1);
    }
  }
  return SC_OK;
}

sc_status MailboxSync::catch_up(ImapClient& imap, const std::string& folder) {
  FolderStatus status;
  if (ImapError e = imap.select(folder, status)) return fail(e);
  uidnext_caught_up_[folder] = status.uidnext;
  FolderMark& mark = marks_[folder];
  if (mark.uidvalidity != status.uidvalidity) {
    if (mark.uidvalidity != 0)
      log(SC_LOG_WARN, folder + ": UIDVALIDITY changed from " + std::to_string(mark.uidvalidity) + " to " +
                           std::to_string(status.uidvalidity) + "; reading the folder again (letters already in "
                           "salescore are recognised by their key)");
    mark = FolderMark{status.uidvalidity, 0};
    if (sc_status st = save(); st != SC_OK) return st;
  }
  // CONDSTORE: the same HIGHESTMODSEQ as when the folder was last read to the end means
  // nothing was added (or changed) since; otherwise UIDNEXT says whether anything was added.
  if (status.highestmodseq && status.highestmodseq == mark.modseq) return SC_OK;
  if (status.uidnext != 0 && mark.last_uid + 1 >= status.uidnext) {
    if (status.highestmodseq != mark.modseq) {
      mark.modseq = status.highestmodseq;
      return save();
    }
    return SC_OK;
  }
  const bool first_sync = mark.last_uid == 0;
  std::vector<MessageSize> listed;
  if (ImapError e = imap.sizes_from(mark.last_uid + 1, listed)) return fail(e);
  const std::int64_t horizon_ms =
      s_.horizon_days > 0 ? api_->now_ms(host_) - static_cast<std::int64_t>(s_.horizon_days) * 86400000 : 0;
  std::size_t done = 0;
  for (std::size_t start = 0; start < listed.size(); start += s_.page) {
    if (stopping()) return SC_OK;
    std::vector<std::uint32_t> whole, header_only;
    const std::size_t end = std::min(listed.size(), start + s_.page);
    for (std::size_t i = start; i < end; ++i) {
      if (listed[i].internal_date_ms && listed[i].internal_date_ms < horizon_ms) continue;
      (listed[i].size > s_.size_cap ? header_only : whole).push_back(listed[i].uid);
    }
    std::vector<FetchedMessage> fetched;
    if (ImapError e = imap.fetch(whole, false, fetched)) return fail(e);
    if (ImapError e = imap.fetch(header_only, true, fetched)) return fail(e);
    std::sort(fetched.begin(), fetched.end(), [](const auto& a, const auto& b) { return a.uid < b.uid; });
    // The page's letters go to the host together: one transaction for a page instead of
    // one per letter (bench/RESULTS.md). The watermark moves only once the host took all
    // of them; a crash before that reads the page again and their keys drop the repeats.
    std::vector<std::string> raws;
    raws.reserve(fetched.size());
    for (FetchedMessage& m : fetched) raws.push_back(std::move(m.bytes));
    std::vector<BudgetedParse> parsed =
        parse_page_within(std::move(raws), s_.parse_budget_ms, s_.attachments_dir.empty() ? 0 : s_.attachment_max_bytes);
    std::vector<Letter> letters;
    letters.reserve(fetched.size());
    std::size_t next = 0;
    for (std::size_t i = start; i < end; ++i) {
      const std::uint32_t uid = listed[i].uid;
      while (next < fetched.size() && fetched[next].uid < uid) ++next;
      if (next < fetched.size() && fetched[next].uid == uid) {
        letters.push_back(read_letter(folder, mark, fetched[next], std::move(parsed[next])));
      } else if (!(listed[i].internal_date_ms && listed[i].internal_date_ms < horizon_ms)) {
        // Listed, then not returned: expunged meanwhile. Nothing to hand over.
        log(SC_LOG_DEBUG, folder + ": UID " + std::to_string(uid) + " went away before it was fetched");
      }
    }
    const sc_status taken = hand_over(letters);
    if (taken == SC_RESOURCE_EXHAUSTED || taken == SC_UNAVAILABLE) return taken;  // read again later
    mark.last_uid = listed[end - 1].uid;
    done = end;
    if (end == listed.size()) mark.modseq = status.highestmodseq;  // read to the end
    if (sc_status st = save(); st != SC_OK) return st;
    const std::string said = std::to_string(done) + " of " + std::to_string(listed.size()) + " new messages read";
    log(SC_LOG_INFO, folder + ": " + said);
    // A catch-up of more than one page (the first sync, a long absence) is shown while it
    // lasts; the page that ends it clears it.
    if (listed.size() > s_.page)
      show_progress(end == listed.size() ? "" : (first_sync ? "first sync of " : "catching up ") + folder + ": " + said);
  }
  return SC_OK;
}

MailboxSync::Letter MailboxSync::read_letter(const std::string& folder, const FolderMark& mark,
                                             const FetchedMessage& m, BudgetedParse parsed) {
  if (parsed.over_budget) log(SC_LOG_WARN, folder + ": UID " + std::to_string(m.uid) + ": " + parsed.error);
  std::optional<ParsedMail>& mail = parsed.mail;
  if (mail && !s_.attachments_dir.empty())
    for (const MailAttachment& a : mail->attachments)
      if (std::string why = store_attachment(s_.attachments_dir, a); !why.empty())
        log(SC_LOG_WARN, folder + ": UID " + std::to_string(m.uid) + ": attachment not stored: " + why);
  Letter letter;
  letter.readable = mail.has_value();
  if (mail) {
    mail->truncated = m.header_only;
    letter.external_id = letter_key(*mail);
    letter.json = interaction_json(*mail, s_.owner, m.internal_date_ms);
  } else {
    letter.external_id = "unreadable:" + folder + ":" + std::to_string(mark.uidvalidity) + ":" + std::to_string(m.uid);
    letter.json = unreadable_json(folder, m.uid, parsed.error);
  }
  return letter;
}

sc_status MailboxSync::hand_over(const std::vector<Letter>& letters) {
  // Runs of readable letters go in one emit_records call each, which the host applies in
  // one transaction (or, when one of them is refused, one by one: that one becomes a dead
  // letter, the others land). An unreadable letter, which the host always refuses, goes
  // on its own so that it does not send its neighbours down the slow path. Order is kept:
  // a reply and the letter it answers may share a page.
  std::vector<sc_record> pending;
  sc_status first_refusal = SC_OK;
  // False when the host did not take them (the page is read again later).
  auto emit = [&]() {
    if (pending.empty()) return true;
    const sc_status st = api_->emit_records(host_, pending.data(), pending.size());
    pending.clear();
    if (st == SC_RESOURCE_EXHAUSTED || st == SC_UNAVAILABLE) {
      first_refusal = st;
      return false;
    }
    if (first_refusal == SC_OK) first_refusal = st;
    return true;
  };
  for (const Letter& l : letters) {
    if (!l.readable && !emit()) return first_refusal;  // the readable pending before it first
    sc_record r{};
    r.struct_size = sizeof r;
    r.entity = "interaction";
    r.source = s_.source.c_str();
    r.external_id = l.external_id.c_str();
    r.json = l.json.data();
    r.json_size = l.json.size();
    pending.push_back(r);
    if (!l.readable && !emit()) return first_refusal;  // then it alone
  }
  emit();
  return first_refusal;
}

sc_status emit_interaction(const sc_host_api* api, sc_host* host, const std::string& source,
                           const std::string& external_id, const std::string& json) {
  sc_record r{};
  r.struct_size = sizeof r;
  r.entity = "interaction";
  r.source = source.c_str();
  r.external_id = external_id.c_str();
  r.json = json.data();
  r.json_size = json.size();
  return api->emit_record(host, &r);
}

}  // namespace salescore::email
