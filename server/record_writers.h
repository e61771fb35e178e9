// Writers that turn records (as record_fields.h describes them) into export formats.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "salescore/engine.h"
#include "salescore/record_fields.h"

namespace salescore::cli {

enum class ExportFormat { kCsv, kJsonl };
Result<ExportFormat> parse_export_format(std::string_view name);

class RecordWriter {
 public:
  virtual ~RecordWriter() = default;
  // Called once before any record: `columns` names the fields every record will have
  // (fields_of an empty record), so a CSV header is written even when there are no rows.
  virtual void begin(const FieldList& columns) = 0;
  virtual void write(const FieldList& record) = 0;
};

// CSV per RFC 4180: a header row, CRLF line ends, a field quoted when it holds a comma,
// quote, CR or LF, quotes doubled. Null is an empty field; nested values (phones, order
// lines) are their JSON text.
// JSONL: one JSON object per line, the same object the REST API returns.
std::unique_ptr<RecordWriter> make_record_writer(ExportFormat format, std::ostream& out);

// A user's day as GET /api/v1/tasks/today and `salescore tasks today --format json`
// write it: {"user_id": N, "items": [{"section", "reason", "client_name", "task"}, ...]}.
std::string today_json(Id user_id, const std::vector<TodayItem>& items);

// One CSV field, quoted if it needs to be.
std::string csv_field(std::string_view text);

}  // namespace salescore::cli
