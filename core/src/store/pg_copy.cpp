// RowCopy (store/bulk_rows.h) on PostgreSQL: COPY ... FROM STDIN in the text format,
// rows built into a buffer and sent with PQputCopyData.
#include <charconv>

#include "store/bulk_rows.h"
#include "store/pg_connection.h"

namespace salescore::store {
namespace {

// Sent to the server when the buffer holds this much (libpq buffers again below it).
constexpr std::size_t kSendAt = 256 * 1024;

class PgRowCopy final : public RowCopy {
 public:
  PgRowCopy(PgConnection& owner, std::string table, int width)
      : owner_(owner), table_(std::move(table)), width_(width) {
    buffer_.reserve(kSendAt + 4096);
  }

  // A COPY left unfinished (a row failed, or the caller returned early): ended with an
  // error so the session is usable again; the transaction is aborted by it, and the
  // caller's error rolls it back.
  ~PgRowCopy() override {
    if (done_) return;
    PQputCopyEnd(owner_.raw(), "abandoned by salescore");
    while (PGresult* r = PQgetResult(owner_.raw())) PQclear(r);
  }

  void bind_int(int i, std::int64_t v) override {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, v);
    field(i).append(digits, end);
  }
  void bind_text(int i, std::string_view v) override {
    std::string& out = field(i);
    // COPY's text format: a backslash, tab, newline or carriage return is escaped.
    for (char ch : v) {
      switch (ch) {
        case '\\': out += "\\\\"; break;
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        default: out += ch;
      }
    }
  }
  void bind_borrowed_text(int i, std::string_view v) override { bind_text(i, v); }
  void bind_null(int i) override { field(i) += "\\N"; }

  Result<bool> step() override { return Status::internal("a COPY has no rows to step through"); }
  std::int64_t column_int(int) override { return 0; }
  std::string column_text(int) override { return {}; }
  std::string_view column_text_view(int) override { return {}; }
  bool column_is_null(int) override { return true; }
  void reset() override {}

  Status end_row() override {
    if (bound_ != width_)
      return Status::internal("COPY into " + table_ + ": a row of " + std::to_string(bound_) + " of " +
                              std::to_string(width_) + " columns");
    buffer_ += '\n';
    bound_ = 0;
    return buffer_.size() >= kSendAt ? send() : Status::ok();
  }

  Status finish() override {
    SC_RETURN_IF_ERROR(send());
    done_ = true;
    PGconn* conn = owner_.raw();
    if (PQputCopyEnd(conn, nullptr) != 1) return failed(nullptr);
    Status st = Status::ok();
    while (PGresult* r = PQgetResult(conn)) {
      if (st.is_ok() && PQresultStatus(r) != PGRES_COMMAND_OK) st = failed(r);
      PQclear(r);
    }
    return st;
  }

 private:
  // Column i (from 1) of the row being built: columns come in order.
  std::string& field(int i) {
    if (i > 1) buffer_ += '\t';
    bound_ = i;
    return buffer_;
  }

  Status send() {
    if (buffer_.empty()) return Status::ok();
    if (PQputCopyData(owner_.raw(), buffer_.data(), static_cast<int>(buffer_.size())) != 1) return failed(nullptr);
    buffer_.clear();
    return Status::ok();
  }

  Status failed(const PGresult* r) {
    Status st = pg_status(owner_.raw(), r, "COPY into " + table_);
    owner_.note_failure();
    return st;
  }

  PgConnection& owner_;
  const std::string table_;
  const int width_;
  std::string buffer_;
  int bound_ = 0;
  bool done_ = false;
};

}  // namespace

Result<std::unique_ptr<RowCopy>> RowCopy::start(Connection& c, const std::string& table,
                                                const std::vector<std::string>& columns) {
  auto* pg = dynamic_cast<PgConnection*>(&c);
  if (!pg) return std::unique_ptr<RowCopy>();
  SC_RETURN_IF_ERROR(pg->settle());  // COPY is not allowed in pipeline mode
  if (table == "events" || table == "\"events\"") SC_RETURN_IF_ERROR(pg->lock_event_log());
  const std::string sql = "COPY " + table + " (" + join_columns(columns) + ") FROM STDIN";
  PGresult* res = PQexec(pg->raw(), sql.c_str());
  const bool started = PQresultStatus(res) == PGRES_COPY_IN;
  Status st = started ? Status::ok() : pg_status(pg->raw(), res, sql);
  PQclear(res);
  if (!started) {
    pg->note_failure();
    return st;
  }
  return std::unique_ptr<RowCopy>(std::make_unique<PgRowCopy>(*pg, table, static_cast<int>(columns.size())));
}

}  // namespace salescore::store
