#include "store/store_url.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <vector>

#include "store/pg_connection.h"

namespace salescore::store {

namespace {
std::mutex g_private_mutex;
std::vector<std::string> g_free_private;  // emptied schemas, ready for another engine
}  // namespace

bool is_postgresql_url(const std::string& url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

std::string redacted_url(const std::string& url) {
  if (!is_postgresql_url(url)) return url;
  std::string out = url;
  const std::size_t start = out.find("://") + 3;
  const std::size_t host_end = out.find_first_of("/?", start);
  const std::size_t at = out.rfind('@', host_end == std::string::npos ? out.size() : host_end);
  if (at != std::string::npos && at >= start) {
    const std::size_t colon = out.find(':', start);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  }
  // password=... among the query parameters
  for (std::size_t p = out.find("password="); p != std::string::npos; p = out.find("password=", p + 1)) {
    if (p > 0 && out[p - 1] != '?' && out[p - 1] != '&') continue;
    const std::size_t end = out.find('&', p);
    out.replace(p + 9, (end == std::string::npos ? out.size() : end) - p - 9, "***");
  }
  return out;
}

bool has_readers(const std::string& url) {
  return is_postgresql_url(url) || (url.starts_with("sqlite:") && url != "sqlite::memory:");
}

Result<std::string> private_store_url(const std::string& url) {
  const char* base = std::getenv("SALESCORE_MEMORY_STORE");
  if (url != "sqlite::memory:" || !base || !*base) return url;
  const std::string server = base;
  if (!is_postgresql_url(server))
    return Status::invalid("SALESCORE_MEMORY_STORE must be a postgresql:// URL, not '" + redacted_url(server) + "'");
  {
    std::lock_guard lock(g_private_mutex);
    if (!g_free_private.empty()) {
      std::string reused = std::move(g_free_private.back());
      g_free_private.pop_back();
      return reused;
    }
  }
  static std::atomic<int> made{0};
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  const std::string schema = "sc_private_" + std::to_string(getpid()) + "_" + std::to_string(++made) + "_" +
                             std::to_string(now % 1000000007);
  SC_ASSIGN_OR_RETURN(auto conn, open_postgresql(server, OpenOptions{}));
  SC_RETURN_IF_ERROR(conn->exec("CREATE SCHEMA " + schema));
  return server + (server.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

void release_private_store(const std::string& url) {
  auto conn = open_postgresql(url, OpenOptions{});
  if (!conn.ok()) return;  // the schema stays behind, unused, until the server goes
  // Every table but the migrations' record, ids starting again from 1: as fresh as a new
  // in-memory database.
  Status emptied = (*conn)->exec(
      "DO $$ BEGIN EXECUTE (SELECT 'TRUNCATE ' || string_agg(format('%I', tablename), ', ') || "
      "' RESTART IDENTITY CASCADE' FROM pg_tables WHERE schemaname = current_schema() AND "
      "tablename <> 'schema_version'); END $$");
  if (!emptied.is_ok()) return;
  std::lock_guard lock(g_private_mutex);
  g_free_private.push_back(url);
}

}  // namespace salescore::store
