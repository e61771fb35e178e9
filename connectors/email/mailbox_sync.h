// The IMAP side of the connector: every message of the configured folders handed to
// salescore once, in UID order, with a per-folder watermark (UIDVALIDITY, last UID) kept in
// the connector's checkpoint. The watermark moves only past messages the host took
// (applied, or dead-lettered with a reason), so a crash, a lost connection or a paused
// intake re-reads from the first message not taken; what is read twice is dropped by the
// letter's key (interaction_record.h). IDLE only wakes the sync up: after every wake-up
// and every (re)connect each folder is caught up by UID.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "imap_client.h"
#include "interaction_record.h"
#include "salescore/plugin_api.h"

namespace salescore::email {

struct SyncSettings {
  ImapSettings imap;
  std::vector<std::string> folders;  // {"all"}: every folder but \All, \Junk, \Trash
  std::uint32_t size_cap = 26214400;  // bytes; a larger message is kept as its header only
  std::size_t page = 100;             // messages fetched per UID FETCH
  int idle_refresh_s = 600;           // IDLE is re-issued before servers drop it (29 min)
  int horizon_days = 0;               // messages older than this are skipped; 0: all
  MailboxOwner owner;
  std::string source = "email";
};

struct FolderMark {
  std::uint32_t uidvalidity = 0;
  std::uint32_t last_uid = 0;  // every message up to it has been taken by the host
};

// The checkpoint's text and back: {"folders":{"INBOX":{"uidvalidity":7,"last_uid":42}}}.
std::string marks_to_json(const std::map<std::string, FolderMark>& marks);
std::map<std::string, FolderMark> marks_from_json(const std::string& json);

// Hands one letter to the host as an interaction record of `source`.
sc_status emit_interaction(const sc_host_api* api, sc_host* host, const std::string& source,
                           const std::string& external_id, const std::string& json);

class MailboxSync {
 public:
  MailboxSync(const sc_host_api* api, sc_host* host, SyncSettings settings);
  // session_run: connect, catch up, IDLE, catch up... until stopping() or a failure.
  sc_status run();

 private:
  sc_status catch_up(ImapClient& imap, const std::string& folder);
  // Hands one fetched message to the host; returns what emit_record said.
  sc_status hand_over(const std::string& folder, const FolderMark& mark, const FetchedMessage& m);
  sc_status save();
  void log(int level, const std::string& line);

  const sc_host_api* api_;
  sc_host* host_;
  SyncSettings s_;
  std::map<std::string, FolderMark> marks_;
};

}  // namespace salescore::email
