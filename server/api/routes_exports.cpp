// /api/v1/exports/NAME: every entity as CSV or JSON Lines with the caller's access scope
// (salescore/exports.h, as `salescore export` and Python's engine.export).
//
// Without ?limit= the whole export comes in one reply, streamed: the first piece is read
// while the request is answered (so a refusal is still a plain 403/400), the rest piece
// by piece on workers as the client takes it (http::HttpResponse::stream), each piece in
// a read snapshot of its own. The server never holds more than a piece and the loop's
// high-water mark of it, however large the export. A failure after the head has gone
// out cuts the reply (no last chunk), so a client never takes a short export for a
// whole one.
//
// With ?limit= it answers one page as before: up to 10,000 records, the cursor of the
// next page in X-Next-After (absent on the last). A script that follows X-Next-After
// without ?limit= still works: it gets everything at once and no X-Next-After.
#include <limits>
#include <memory>
#include <sstream>

#include "api/api_router.h"
#include "record_writers.h"
#include "salescore/exports.h"

namespace salescore::cli {
namespace {

constexpr int kExportPage = 10'000;
// Records per piece of a streamed export: a few hundred kilobytes, one read each.
constexpr int kStreamPiece = 1'000;

const char* media_type(ExportFormat format) {
  return format == ExportFormat::kCsv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
}

// The key of a record as export_page pages by it: the id (an event's seq).
std::string key_of(const FieldList& row) {
  for (const Field& f : row.fields())
    if (f.name == "id" || f.name == "seq") return f.text;
  return {};
}

// One streamed export: the writer (its CSV header written once) and where it is.
// Called by one worker at a time (the loop asks for a piece only when the last is in).
class ExportStream {
 public:
  ExportStream(Engine& engine, Actor actor, std::string entity, ExportFormat format, Id after)
      : engine_(engine), actor_(actor), entity_(std::move(entity)), after_(after),
        writer_(make_record_writer(format, text_)) {}

  void begin(const FieldList& columns) { writer_->begin(columns); }

  // Appends the next piece to `out`: true if it was the last one.
  Result<bool> next(std::string& out) {
    Page page{after_, kStreamPiece};
    auto chunk = export_page(engine_, actor_, entity_, page);
    if (!chunk.ok()) return chunk.status();
    for (const FieldList& row : chunk->rows) writer_->write(row);
    if (!chunk->rows.empty()) after_ = chunk->last_key;
    out += text_.str();
    text_.str({});
    return chunk->rows.size() < static_cast<std::size_t>(kStreamPiece);
  }

  // The next piece on a worker, in a read snapshot of its own.
  http::StreamStep operator()(std::string& out) {
    Result<bool> last = false;
    Status st = engine_.reading([&] {
      last = next(out);
      return last.ok() ? Status::ok() : last.status();
    });
    if (!st.is_ok()) return http::StreamStep::kFailed;
    return *last ? http::StreamStep::kDone : http::StreamStep::kMore;
  }

 private:
  Engine& engine_;
  Actor actor_;
  std::string entity_;
  Id after_;
  std::ostringstream text_;
  std::unique_ptr<RecordWriter> writer_;
};

HttpReply streamed_export(ApiCall& call, const std::string& entity, ExportFormat format, Id after,
                          const FieldList& columns) {
  auto stream = std::make_shared<ExportStream>(call.engine, call.actor, entity, format, after);
  stream->begin(columns);
  HttpReply reply;
  reply.content_type = media_type(format);
  // The first piece now, in the request's snapshot: a refusal is still a plain error.
  auto last = stream->next(reply.body);
  if (!last.ok()) return error_reply(last.status());
  if (!*last) reply.stream = [stream](std::string& out) { return (*stream)(out); };
  return reply;
}

HttpReply export_entity(ApiCall& call, const std::string& entity) {
  QueryReader q(call);
  auto format = q.choice("format", parse_export_format).value_or(ExportFormat::kJsonl);
  Page page{0, kExportPage};
  page.after_id = q.integer("after", 0, std::numeric_limits<Id>::max()).value_or(0);
  auto limit = q.integer("limit", 1, std::numeric_limits<std::int32_t>::max());
  if (Status st = q.status(); !st.is_ok()) return error_reply(st);
  auto columns = export_columns(entity);
  if (!columns.ok()) return error_reply(columns.status());
  if (!limit) return streamed_export(call, entity, format, page.after_id, *columns);
  page.limit = static_cast<int>(std::min<std::int64_t>(*limit, kExportPage));
  // One row more than asked tells whether another page follows.
  Page asked = page;
  asked.limit = page.limit + 1;
  auto chunk = export_page(call.engine, call.actor, entity, asked);
  if (!chunk.ok()) return error_reply(chunk.status());
  std::ostringstream out;
  auto writer = make_record_writer(format, out);
  writer->begin(*columns);
  const std::size_t shown = std::min(chunk->rows.size(), static_cast<std::size_t>(page.limit));
  for (std::size_t i = 0; i < shown; ++i) writer->write(chunk->rows[i]);
  HttpReply reply;
  reply.body = out.str();
  reply.content_type = media_type(format);
  if (chunk->rows.size() > shown) reply.headers.emplace_back("X-Next-After", key_of(chunk->rows[shown - 1]));
  return reply;
}

}  // namespace

void add_export_routes(std::vector<Route>& out) {
  for (const std::string& entity : export_entities()) {
    out.push_back({.method = "GET", .pattern = "/api/v1/exports/" + entity,
                   .summary = "The " + entity + " the caller may see as ?format=jsonl (default) or csv, " +
                              "all of them streamed (chunked); with ?limit= one page (?after=, X-Next-After)",
                   .handler = [entity](ApiCall& call) { return export_entity(call, entity); },
                   .filters = {field::choice("format", parse_export_format, "jsonl (default) or csv"),
                               field::integer("after", "Only records after this key (id; an event's seq): "
                                                       "X-Next-After of the last page; absent: the start")
                                   .range(0, std::numeric_limits<std::int64_t>::max())
                                   .eg("1200"),
                               field::integer("limit", "One page of at most this many records (10,000 at the "
                                                       "most) with X-Next-After; absent: every record, streamed")
                                   .range(1, std::numeric_limits<std::int32_t>::max())
                                   .eg("500")},
                   // JSON Lines, the default (?format=csv answers text/csv with the same rows)
                   .reply = Reply::text("application/x-ndjson")});
  }
}

}  // namespace salescore::cli
