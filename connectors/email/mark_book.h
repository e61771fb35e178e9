// The connector's checkpoint: every mailbox's per-folder watermarks, saved whole. Several
// mailboxes sync on threads of their own and each saves its marks through the book, so
// the checkpoint the host keeps always holds every mailbox's marks as each last saved
// them (a mailbox saves only after the host took the letters up to its marks).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "salescore/plugin_api.h"

namespace salescore::email {

struct FolderMark {
  std::uint32_t uidvalidity = 0;
  std::uint32_t last_uid = 0;  // every message up to it has been taken by the host
  // The folder's HIGHESTMODSEQ when it was last read to the end (CONDSTORE; 0: none): the
  // same value at the next SELECT means nothing in it changed.
  std::uint64_t modseq = 0;
};

using FolderMarks = std::map<std::string, FolderMark>;

// {"folders": {...the first mailbox's...}, "mailboxes": {"login": {"folders": {...}}}}:
// the first mailbox's marks stay where a one-mailbox connector kept them, so an older
// checkpoint goes on working. A mailbox is named by its login ("" for the first).
std::string book_to_json(const std::map<std::string, FolderMarks>& book);
// Throws on a checkpoint that is no such object.
std::map<std::string, FolderMarks> book_from_json(const std::string& json);

class MarkBook {
 public:
  MarkBook(const sc_host_api* api, sc_host* host) : api_(api), host_(host) {}
  // Reads the checkpoint; SC_FAILED_PRECONDITION (with fail()) when it cannot be read.
  sc_status load();
  FolderMarks marks_of(const std::string& mailbox);
  sc_status save(const std::string& mailbox, const FolderMarks& marks);

 private:
  const sc_host_api* api_;
  sc_host* host_;
  std::mutex mutex_;
  std::map<std::string, FolderMarks> book_;
};

}  // namespace salescore::email
