// A blocking IMAP session over libetpan, reduced to what the sync needs: connect with a
// verified certificate, log in, find the folders, SELECT, list UIDs with sizes, fetch
// messages with BODY.PEEK (never setting \Seen), IDLE. One per session thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "salescore/plugin_api.h"

struct mailimap;

namespace salescore::email {

struct ImapSettings {
  std::string host;
  int port = 993;
  std::string security = "tls";  // tls | starttls | plain (loopback only)
  std::string ca_file;           // extra trust anchors (PEM); the system's are always trusted
  std::string login, password;   // password, app password, or an XOAUTH2 token
  // When set, the password (or token) is read from this file at every connect instead:
  // an OAuth2 helper refreshes the hourly access token there.
  std::string password_file;
  bool xoauth2 = false;
  int timeout_s = 60;
};

// What a failed call says: a status code the host acts on and the reason.
struct ImapError {
  sc_status code = SC_OK;
  std::string reason;
  explicit operator bool() const { return code != SC_OK; }
};

struct FolderStatus {
  std::uint32_t uidvalidity = 0;
  std::uint32_t uidnext = 0;
  // CONDSTORE's HIGHESTMODSEQ (RFC 7162); 0 when the server does not offer it.
  std::uint64_t highestmodseq = 0;
};

struct MessageSize {
  std::uint32_t uid = 0;
  std::uint32_t size = 0;
  std::int64_t internal_date_ms = 0;
};

struct FetchedMessage {
  std::uint32_t uid = 0;
  std::uint32_t size = 0;
  std::int64_t internal_date_ms = 0;
  std::string bytes;  // BODY[] or, over the size cap, BODY[HEADER]
  bool header_only = false;
};

// The secret in `path` (its first line), or an error naming the file.
ImapError read_secret_file(const std::string& path, std::string& secret);

class ImapClient {
 public:
  ImapClient();
  ~ImapClient();
  ImapClient(const ImapClient&) = delete;
  ImapClient& operator=(const ImapClient&) = delete;

  ImapError connect(const ImapSettings& s);
  // The folders to sync for "all": every selectable one except \All, \Junk and \Trash
  // (Gmail's All Mail would bring every letter twice). `sent` gets the \Sent folder.
  ImapError list_folders(std::vector<std::string>& folders, std::string& sent);
  // SELECT, with (CONDSTORE) where the server offers it (Dovecot, Yandex, Fastmail).
  ImapError select(const std::string& folder, FolderStatus& status);
  // UIDs >= first_uid with their RFC822.SIZE and INTERNALDATE, ascending.
  ImapError sizes_from(std::uint32_t first_uid, std::vector<MessageSize>& out);
  // BODY.PEEK[] (BODY.PEEK[HEADER] when header_only) of the given UIDs, ascending.
  ImapError fetch(const std::vector<std::uint32_t>& uids, bool header_only, std::vector<FetchedMessage>& out);
  bool has_idle() const;
  // IDLE until the server says something, `wake_after_s` passes or `stop()` is true
  // (checked every second). Then DONE. `changed` tells whether the server spoke.
  ImapError idle(int wake_after_s, const std::function<bool()>& stop, bool& changed);
  // APPEND to `folder` (a sent letter to the Sent folder), flagged \Seen.
  ImapError append(const std::string& folder, const std::string& message);
  void close();

 private:
  ImapError fail(int code, const std::string& what);
  mailimap* imap_ = nullptr;
};

}  // namespace salescore::email
