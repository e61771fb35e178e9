// What the PostgreSQL-only tests share: a fresh database of their own (a schema of the
// server tests/postgres/with_postgres.sh started), or a skip without a server.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "store/store_url.h"

namespace salescore::testing {

// In a fixture's SetUp: `url_ = ...` or GTEST_SKIP.
#define SC_FRESH_PG_DATABASE_OR_SKIP(url_out)                                                            \
  do {                                                                                                   \
    const char* server_ = std::getenv("SALESCORE_PG_URL");                                               \
    if (!server_ || !*server_) GTEST_SKIP() << "no PostgreSQL server (run under tests/postgres/with_postgres.sh)"; \
    auto fresh_ = store::private_store_url("sqlite::memory:");                                           \
    ASSERT_TRUE(fresh_.ok()) << fresh_.status().to_string();                                             \
    (url_out) = *fresh_;                                                                                 \
  } while (0)

}  // namespace salescore::testing
