// /api/v1/exports/NAME: every entity as CSV or JSON Lines, page by page, with the
// caller's access scope (salescore/exports.h, as `salescore export` and Python's
// engine.export). A page holds up to 10,000 records; the header X-Next-After carries the
// cursor of the next one (absent on the last page), so a script fetches
// ?after=<cursor> until it is gone.
#include <limits>
#include <sstream>

#include "api/api_router.h"
#include "record_writers.h"
#include "salescore/exports.h"

namespace salescore::cli {
namespace {

constexpr int kExportPage = 10'000;

HttpReply export_entity(ApiCall& call, const std::string& entity) {
  QueryReader q(call);
  auto format = q.choice("format", parse_export_format).value_or(ExportFormat::kJsonl);
  Page page{0, kExportPage};
  page.after_id = q.integer("after", 0, std::numeric_limits<Id>::max()).value_or(0);
  if (auto limit = q.integer("limit", 1, std::numeric_limits<std::int32_t>::max()))
    page.limit = static_cast<int>(std::min<std::int64_t>(*limit, kExportPage));
  if (Status st = q.status(); !st.is_ok()) return error_reply(st);
  auto columns = export_columns(entity);
  if (!columns.ok()) return error_reply(columns.status());
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
  reply.content_type = format == ExportFormat::kCsv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
  if (chunk->rows.size() > shown) {
    // The key of the last row shown: the id (an event's seq) as the record has it.
    const FieldList& last = chunk->rows[shown - 1];
    for (const Field& f : last.fields())
      if (f.name == "id" || f.name == "seq") {
        reply.headers.emplace_back("X-Next-After", f.text);
        break;
      }
  }
  return reply;
}

}  // namespace

void add_export_routes(std::vector<Route>& out) {
  for (const std::string& entity : export_entities()) {
    out.push_back({.method = "GET", .pattern = "/api/v1/exports/" + entity,
                   .summary = "The " + entity + " the caller may see as ?format=jsonl (default) or csv, " +
                              "10,000 a page (?after=, X-Next-After)",
                   .handler = [entity](ApiCall& call) { return export_entity(call, entity); },
                   .filters = {field::choice("format", parse_export_format, "jsonl (default) or csv"),
                               field::integer("after", "The cursor of X-Next-After; absent: the start").eg("1200"),
                               field::integer("limit", "At most this many records (10,000 at the most)").eg("500")},
                   // JSON Lines, the default (?format=csv answers text/csv with the same rows)
                   .reply = Reply::text("application/x-ndjson")});
  }
}

}  // namespace salescore::cli
