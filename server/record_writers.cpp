#include "record_writers.h"

namespace salescore::cli {
namespace {

class CsvWriter final : public RecordWriter {
 public:
  explicit CsvWriter(std::ostream& out) : out_(out) {}

  void begin(const FieldList& columns) override {
    std::string row;
    for (const Field& f : columns.fields()) append(row, f.name);
    end_row(row);
  }

  void write(const FieldList& record) override {
    std::string row;
    for (const Field& f : record.fields()) append(row, f.kind == Field::Kind::kNull ? std::string_view() : f.text);
    end_row(row);
  }

 private:
  void append(std::string& row, std::string_view text) {
    if (!first_in_row_) row += ',';
    first_in_row_ = false;
    row += csv_field(text);
  }
  void end_row(std::string& row) {
    row += "\r\n";
    out_.write(row.data(), static_cast<std::streamsize>(row.size()));
    first_in_row_ = true;
  }

  std::ostream& out_;
  bool first_in_row_ = true;
};

class JsonlWriter final : public RecordWriter {
 public:
  explicit JsonlWriter(std::ostream& out) : out_(out) {}
  void begin(const FieldList&) override {}
  void write(const FieldList& record) override {
    std::string line = record.to_json();
    line += '\n';
    out_.write(line.data(), static_cast<std::streamsize>(line.size()));
  }

 private:
  std::ostream& out_;
};

}  // namespace

Result<ExportFormat> parse_export_format(std::string_view name) {
  if (name == "csv") return ExportFormat::kCsv;
  if (name == "jsonl") return ExportFormat::kJsonl;
  return Status::invalid("unknown format '" + std::string(name) + "' (expected csv or jsonl)",
                         {{"format", "expected csv or jsonl"}});
}

std::unique_ptr<RecordWriter> make_record_writer(ExportFormat format, std::ostream& out) {
  if (format == ExportFormat::kCsv) return std::make_unique<CsvWriter>(out);
  return std::make_unique<JsonlWriter>(out);
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string today_json(Id user_id, const std::vector<TodayItem>& items) {
  std::string out = "{\"user_id\":" + std::to_string(user_id) + ",\"items\":[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    const TodayItem& item = items[i];
    out += (i ? "," : "") + std::string("{\"section\":\"") + today_section_name(item.section) +
           "\",\"reason\":" + json_string(item.reason) + ",\"client_name\":" + json_string(item.client_name) +
           ",\"task\":" + fields_of(item.task).to_json() + "}";
  }
  return out + "]}";
}

}  // namespace salescore::cli
