// Several mailboxes in one connector (a manager's each, a shared sales@): each syncs on a
// thread of its own with its own IMAP session and IDLE, their marks kept in the one
// checkpoint (mark_book.h). A mailbox that fails ends the others' sessions too, so the
// host's reconnect (with its backoff) starts them all over from their marks.
#pragma once

#include <vector>

#include "mailbox_sync.h"

namespace salescore::email {

// The first mailbox's marks are kept as "" (where a one-mailbox connector kept them), the
// others' under their login. Returns the first failure, or SC_OK once stopping.
sc_status run_mailboxes(const sc_host_api* api, sc_host* host, const std::vector<SyncSettings>& mailboxes);

}  // namespace salescore::email
