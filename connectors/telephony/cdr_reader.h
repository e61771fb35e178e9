// Asterisk's Master.csv (cdr_csv): one row per dialled leg, in the documented column
// orders: the 16 base columns, then uniqueid and/or userfield (loguniqueid,
// loguserfield), then peeraccount, linkedid, sequence (newcdrcolumns). Rows are grouped
// into calls by linkedid, or, in files without it, by uniqueid and the channels rows
// share (the halves of a Local channel, a dial's destination), so one call gets the key
// the AMI session gives it and is recorded once whichever way it came.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "call.h"
#include "pbx_plan.h"

namespace salescore::telephony {

struct CdrRow {
  std::size_t line = 0;
  std::string src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata;
  std::int64_t start_ms = 0, answer_ms = 0, end_ms = 0, duration_s = 0, billsec = 0;
  std::string disposition, uniqueid, userfield, linkedid;
};

struct CdrError {
  std::size_t line = 0;
  std::string reason;
};

// Splits one CSV record (RFC 4180 quoting, "" for a quote). False for an unterminated quote.
bool split_csv_line(std::string_view line, std::vector<std::string>& fields);

// Reads the rows of `text`; a row that does not fit is named in `errors` and skipped.
// Times are local to the PBX at `utc_offset_minutes` (cdr_csv writes GMT with usegmtime).
std::vector<CdrRow> read_cdr(std::string_view text, int utc_offset_minutes, std::vector<CdrError>& errors);

// The calls of the rows, grouped as above.
std::vector<Call> calls_from_cdr(const std::vector<CdrRow>& rows, const PbxPlan& plan);

}  // namespace salescore::telephony
