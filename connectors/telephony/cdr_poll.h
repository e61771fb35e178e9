// The poll of a directory of CDR files (cdr_dir): what `salescore telephony import-cdr`
// does by hand, done by the running connector. Each *.csv file is read from where the
// last poll stopped (kept in the connector's checkpoint, so a restart neither re-reads
// nor misses rows); only whole lines whose call ended at least `settle_ms` ago are taken,
// because Asterisk writes a call's legs as each ends and a call read half would be
// recorded half (its key is then applied once). A file that shrank (rotated) is read
// from its start again; what was recorded already changes nothing.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "cdr_import.h"

namespace salescore::telephony {

struct CdrPoll {
  std::string dir;
  std::int64_t settle_ms = 60'000;

  // One pass over the directory. SC_OK, or the status that stopped it (the host took no
  // more records; a checkpoint that cannot be saved), with the reason given to fail().
  sc_status poll_once(const CdrImport& import);

 private:
  sc_status load(const CdrImport& import);
  std::map<std::string, std::int64_t> offsets_;  // file name -> bytes read
  bool loaded_ = false;
};

// The byte length of the prefix of `chunk` (whole lines) to import now: up to the first
// row whose call ended after `settled_before_ms` (by the CDR's own times).
std::size_t settled_prefix(std::string_view chunk, int utc_offset_minutes, std::int64_t settled_before_ms);

}  // namespace salescore::telephony
