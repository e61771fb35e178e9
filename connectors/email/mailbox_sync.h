// The IMAP side of the connector: every message of the configured folders handed to
// salescore once, in UID order, with a per-folder watermark (UIDVALIDITY, last UID) kept in
// the connector's checkpoint. The watermark moves only past messages the host took
// (applied, or dead-lettered with a reason), so a crash, a lost connection or a paused
// intake re-reads from the first message not taken; what is read twice is dropped by the
// letter's key (interaction_record.h). IDLE only wakes the sync up: after every wake-up
// and every (re)connect each folder is caught up by UID.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "imap_client.h"
#include "interaction_record.h"
#include "mark_book.h"
#include "parse_budget.h"
#include "salescore/plugin_api.h"

namespace salescore::email {

struct SyncSettings {
  ImapSettings imap;
  std::vector<std::string> folders;  // {"all"}: every folder but \All, \Junk, \Trash, \Drafts
  std::uint32_t size_cap = 26214400;  // bytes; a larger message is kept as its header only
  std::size_t page = 100;             // messages fetched per UID FETCH
  int idle_refresh_s = 600;           // IDLE is re-issued before servers drop it (29 min)
  int horizon_days = 0;               // messages older than this are skipped; 0: all
  int parse_budget_ms = 10000;        // a message taking longer to parse is a dead letter
  std::string attachments_dir;        // the attachment store (attachment_store.h); "": none
  std::uint64_t attachment_max_bytes = 10485760;  // larger ones keep only their fingerprint
  MailboxOwner owner;
  std::string source = "email";
};

// Hands one letter to the host as an interaction record of `source`.
sc_status emit_interaction(const sc_host_api* api, sc_host* host, const std::string& source,
                           const std::string& external_id, const std::string& json);

class MailboxSync {
 public:
  // `mailbox` names its marks in `book` ("" for the first mailbox); `abort` set by a
  // sibling mailbox's failure ends this one too (the session then starts them all over).
  MailboxSync(const sc_host_api* api, sc_host* host, SyncSettings settings, MarkBook& book, std::string mailbox,
              const std::atomic<bool>* abort = nullptr);
  // session_run: connect, catch up, IDLE, catch up... until stopping() or a failure.
  sc_status run();

 private:
  sc_status catch_up(ImapClient& imap, const std::string& folder);
  // A fetched message read into the record the host takes (or an unreadable one's).
  struct Letter {
    std::string external_id, json;
    bool readable = true;
  };
  Letter read_letter(const std::string& folder, const FolderMark& mark, const FetchedMessage& m, BudgetedParse parsed);
  // Hands a page's letters to the host, in order. SC_RESOURCE_EXHAUSTED / SC_UNAVAILABLE:
  // not taken (read them again later); otherwise all were applied or dead-lettered.
  sc_status hand_over(const std::vector<Letter>& letters);
  sc_status save();
  void log(int level, const std::string& line);
  // The first sync's progress shown by `salescore plugins list` (ABI 1.4 report_progress;
  // an older host has no such service and the log alone says it). "" when done.
  void show_progress(const std::string& line);

  bool stopping() const;
  sc_status fail(const ImapError& e);

  const sc_host_api* api_;
  sc_host* host_;
  SyncSettings s_;
  MarkBook& book_;
  std::string mailbox_;
  const std::atomic<bool>* abort_;
  FolderMarks marks_;
  // Each folder's UIDNEXT as its last catch-up's SELECT saw it: the SELECT before IDLE
  // compares, so a letter that came in between is read at once, not at the next wake.
  std::map<std::string, std::uint32_t> uidnext_caught_up_;
};

}  // namespace salescore::email
