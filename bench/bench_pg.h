// What the benchmarks with a PostgreSQL column share: a connection, a statement, a fresh
// database (a schema of the server bench/run started; its URL is in SALESCORE_PG_URL).
// Header-only, as bench_util.h.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "bench_util.h"

namespace bench {

// The server's URL, or "" when the benchmark runs without one (no PostgreSQL column).
inline std::string pg_server() {
  const char* url = std::getenv("SALESCORE_PG_URL");
  return url ? url : "";
}

inline PGconn* pg_connect(const std::string& url) {
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) != CONNECTION_OK) fail(std::string("postgresql: ") + PQerrorMessage(c));
  return c;
}

inline void pg_exec(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  const ExecStatusType st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail("postgresql: " + sql + ": " + PQerrorMessage(c));
  PQclear(r);
}

inline std::int64_t pg_scalar(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  if (PQresultStatus(r) != PGRES_TUPLES_OK) fail("postgresql: " + sql + ": " + PQerrorMessage(c));
  std::int64_t v = std::strtoll(PQgetvalue(r, 0, 0), nullptr, 10);
  PQclear(r);
  return v;
}

// A fresh, empty database: a schema of the server, reached through search_path.
inline std::string pg_fresh_database(const std::string& server, const std::string& name) {
  PGconn* c = pg_connect(server);
  pg_exec(c, "DROP SCHEMA IF EXISTS " + name + " CASCADE; CREATE SCHEMA " + name);
  PQfinish(c);
  return server + (server.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + name;
}

}  // namespace bench
