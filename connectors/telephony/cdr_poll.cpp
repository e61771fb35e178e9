#include "cdr_poll.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "cdr_reader.h"

namespace salescore::telephony {

namespace fs = std::filesystem;

std::size_t settled_prefix(std::string_view chunk, int utc_offset_minutes, std::int64_t settled_before_ms) {
  const std::size_t whole = chunk.rfind('\n') == std::string_view::npos ? 0 : chunk.rfind('\n') + 1;
  std::vector<std::size_t> line_start = {0};  // line N (1-based) starts at line_start[N - 1]
  for (std::size_t i = 0; i < whole; ++i)
    if (chunk[i] == '\n') line_start.push_back(i + 1);
  std::vector<CdrError> ignored;  // bad rows are named when the prefix is imported
  for (const CdrRow& row : read_cdr(chunk.substr(0, whole), utc_offset_minutes, ignored))
    if (row.end_ms > settled_before_ms && row.line >= 1 && row.line <= line_start.size())
      return line_start[row.line - 1];
  return whole;
}

sc_status CdrPoll::load(const CdrImport& import) {
  std::size_t size = 0;
  sc_status st = import.api->checkpoint_read(import.host, nullptr, 0, &size);
  if (st == SC_NOT_FOUND) return SC_OK;
  if (st != SC_OK) return st;
  std::string text(size, '\0');
  st = import.api->checkpoint_read(import.host, text.data(), size, &size);
  if (st != SC_OK) return st;
  try {
    auto o = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
    if (auto files = o->getObject("cdr_files"))
      for (const auto& [name, value] : *files) offsets_[name] = value.convert<std::int64_t>();
  } catch (const std::exception& e) {
    import.api->log(import.host, SC_LOG_WARN, ("CDR poll: checkpoint unreadable, files read again: " + std::string(e.what())).c_str());
  }
  return SC_OK;
}

sc_status CdrPoll::poll_once(const CdrImport& import) {
  if (!loaded_) {
    if (sc_status st = load(import); st != SC_OK) return import.api->fail(import.host, st, "CDR poll: checkpoint unreadable");
    loaded_ = true;
  }
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_regular_file() && entry.path().extension() == ".csv") files.push_back(entry.path());
  if (ec) return import.api->fail(import.host, SC_UNAVAILABLE, ("CDR poll: cannot read " + dir + ": " + ec.message()).c_str());
  std::sort(files.begin(), files.end());
  const std::int64_t settled_before = import.api->now_ms(import.host) - settle_ms;
  for (const fs::path& file : files) {
    const std::string name = file.filename().string();
    const auto size = static_cast<std::int64_t>(fs::file_size(file, ec));
    if (ec) continue;  // gone meanwhile
    std::int64_t& offset = offsets_[name];
    if (size < offset) offset = 0;  // rotated or truncated: read from its start
    if (size == offset) continue;
    std::ifstream in(file, std::ios::binary);
    in.seekg(offset);
    std::string chunk(static_cast<std::size_t>(size - offset), '\0');
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    chunk.resize(static_cast<std::size_t>(in.gcount()));
    const std::size_t take = settled_prefix(chunk, import.utc_offset_minutes, settled_before);
    if (take == 0) continue;
    CdrCounts counts;
    if (sc_status st = import.record(std::string_view(chunk).substr(0, take), counts); st != SC_OK)
      return import.api->fail(import.host, st, "CDR poll: the engine took no more calls; trying again later");
    for (const auto& e : counts.errors)
      import.api->log(import.host, SC_LOG_WARN,
                      ("CDR poll: " + name + " line " + std::to_string(e.line) + " (after byte " +
                       std::to_string(offset) + "): " + e.reason).c_str());
    offset += static_cast<std::int64_t>(take);
    import.api->log(import.host, SC_LOG_INFO,
                    ("CDR poll: " + name + ": " + std::to_string(counts.rows) + " rows, " +
                     std::to_string(counts.recorded) + " calls recorded").c_str());
    Poco::JSON::Object all, o;
    for (const auto& [n, at] : offsets_) all.set(n, at);
    o.set("cdr_files", all);
    std::ostringstream text;
    o.stringify(text);
    const std::string saved = text.str();
    if (sc_status st = import.api->checkpoint_save(import.host, saved.data(), saved.size()); st != SC_OK)
      return import.api->fail(import.host, st, "CDR poll: cannot save the checkpoint");
  }
  return SC_OK;
}

}  // namespace salescore::telephony
