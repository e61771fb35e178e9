// Every fuzz target's properties (tests/fuzz/*_checks.h) on its checked-in seed corpus
// (tests/fuzz/corpus/NAME), in every test run of the normal build: the seeds stay
// meaningful, and what fuzzing once proved is not lost by a change made without running
// the fuzzer. A target added under tests/fuzz is listed here with its check.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "chunked_body_checks.h"
#include "commerceml_checks.h"
#include "commerceml_element_checks.h"
#include "config_ini_checks.h"
#include "connector_record_checks.h"
#include "kpi_period_checks.h"
#include "rest_api_checks.h"

namespace salescore::fuzz {
namespace {

struct Target {
  const char* name;
  std::string (*check)(std::string_view);
  std::size_t min_seeds;
};

// The target's name in test output, not its bytes.
void PrintTo(const Target& t, std::ostream* os) { *os << t.name; }

class FuzzCorpora : public ::testing::TestWithParam<Target> {};

TEST_P(FuzzCorpora, EverySeedKeepsTheTargetsProperties) {
  const Target& target = GetParam();
  const std::filesystem::path folder = std::filesystem::path(SALESCORE_FUZZ_CORPORA) / target.name;
  ASSERT_TRUE(std::filesystem::is_directory(folder)) << folder;
  std::size_t seeds = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    ++seeds;
    EXPECT_EQ(target.check(bytes.str()), "") << entry.path().filename();
  }
  EXPECT_GE(seeds, target.min_seeds) << folder;
}

// The fuzz targets in the fuzz tree are the files NAME_fuzz.cpp; this list must name
// each of them (FuzzCorpora.EveryTargetIsReplayed checks).
const Target kTargets[] = {
    {"chunked_body", check_chunked_input, 5},
    {"commerceml", check_commerceml, 5},
    {"commerceml_element", check_commerceml_element, 8},
    {"config_ini", check_config_ini, 5},
    {"connector_record", check_connector_record, 5},
    {"kpi_period", check_kpi_period, 5},
    {"rest_api", check_rest_api, 5},
};

INSTANTIATE_TEST_SUITE_P(Targets, FuzzCorpora, ::testing::ValuesIn(kTargets),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(FuzzTargets, EveryTargetIsReplayed) {
  for (const auto& entry : std::filesystem::directory_iterator(SALESCORE_FUZZ_SOURCES)) {
    const std::string file = entry.path().filename().string();
    const std::string suffix = "_fuzz.cpp";
    if (file.size() <= suffix.size() || file.compare(file.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    const std::string name = file.substr(0, file.size() - suffix.size());
    // Replayed by tests of their own: HttpFuzzCorpus (every piece size) and
    // tests/plugins/{telephony,webshop}_fuzz_corpus_test.cpp and email_parse_test.cpp
    // (the connectors' parts).
    if (name == "http_request" || name == "ami_frame" || name == "cdr_reader" || name == "webhook_body" ||
        name == "webshop_order" || name == "mail_parse")
      continue;
    bool listed = false;
    for (const Target& t : kTargets) listed = listed || name == t.name;
    EXPECT_TRUE(listed) << file << " has no entry in kTargets";
  }
}

}  // namespace
}  // namespace salescore::fuzz
