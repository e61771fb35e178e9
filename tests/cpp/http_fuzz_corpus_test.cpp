// The fuzz target's properties (tests/fuzz/http_request_checks.h) on its checked-in
// seed corpus, in every test run: the seeds stay meaningful, and what fuzzing once
// proved is not lost by a change made without running the fuzzer.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "http_request_checks.h"

namespace salescore::http {
namespace {

TEST(HttpFuzzCorpus, EverySeedKeepsTheParsersPropertiesInEveryPieceSize) {
  std::size_t seeds = 0;
  for (const auto& entry : std::filesystem::directory_iterator(SALESCORE_HTTP_FUZZ_CORPUS)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    const std::string bytes = text.str();
    ASSERT_FALSE(bytes.empty()) << entry.path();
    ++seeds;
    // As the fuzz target reads it: the first byte picks a piece size; here all are tried.
    for (std::size_t piece = 1; piece <= 16; ++piece)
      EXPECT_EQ(wire::check_request_properties(std::string_view(bytes).substr(1), piece), "")
          << entry.path().filename() << ", pieces of " << piece;
  }
  EXPECT_GE(seeds, 10u);
}

}  // namespace
}  // namespace salescore::http
