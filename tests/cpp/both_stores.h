// A test run once on a SQLite file and once on PostgreSQL, for what holds across
// several connections to one database (the writers of several processes): a fresh
// database of the parameter's kind in url_, or a skip without a PostgreSQL server.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "pg_test_database.h"

namespace salescore::testing {

class BothStoresTest : public ::testing::TestWithParam<std::string> {
 protected:
  // The file's name starts with `name` (one per test file, so that suites do not meet).
  void open_store(const std::string& name) {
    if (GetParam() == "postgresql") {
      SC_FRESH_PG_DATABASE_OR_SKIP(url_);
    } else {
      file_ = ::testing::TempDir() + name + "_" + std::to_string(getpid()) + ".db";
      remove_file();
      url_ = "sqlite:" + file_;
    }
  }
  void TearDown() override {
    if (!file_.empty()) remove_file();
  }

  std::string url_;

 private:
  void remove_file() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((file_ + suffix).c_str());
  }
  std::string file_;
};

#define SC_ON_BOTH_STORES(suite) \
  INSTANTIATE_TEST_SUITE_P(Stores, suite, ::testing::Values("sqlite_file", "postgresql"), \
                           [](const auto& info) { return info.param; })

}  // namespace salescore::testing
