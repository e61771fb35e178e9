// The telephony fuzz targets' properties (tests/fuzz/telephony_checks.h) on their
// checked-in seed corpora, in every test run.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "telephony_checks.h"
#include "webhook_checks.h"

namespace salescore::telephony {
namespace {

std::vector<std::pair<std::string, std::string>> seeds(const std::string& name) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(SALESCORE_FUZZ_CORPUS) + "/" + name)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    out.emplace_back(entry.path().filename().string(), text.str());
  }
  return out;
}

TEST(TelephonyFuzzCorpus, EveryAmiSeedFramesTheSameInEveryPieceSize) {
  const auto all = seeds("ami_frame");
  EXPECT_GE(all.size(), 5u);
  for (const auto& [name, bytes] : all) {
    ASSERT_FALSE(bytes.empty()) << name;
    for (std::size_t piece = 1; piece <= 32; piece += 3)
      EXPECT_EQ(checks::ami_properties(std::string_view(bytes).substr(1), piece), "") << name << ", pieces of " << piece;
  }
}

TEST(TelephonyFuzzCorpus, EveryCdrSeedKeepsTheReadersProperties) {
  const auto all = seeds("cdr_reader");
  EXPECT_GE(all.size(), 4u);
  for (const auto& [name, bytes] : all) EXPECT_EQ(checks::cdr_properties(bytes), "") << name;
}

TEST(TelephonyFuzzCorpus, EveryWebhookSeedIsAnsweredOrRefusedAndNeverRecordedTwice) {
  const auto all = seeds("webhook_body");
  EXPECT_GE(all.size(), 6u);
  for (const auto& [name, bytes] : all) {
    ASSERT_FALSE(bytes.empty()) << name;
    EXPECT_EQ(checks::webhook_properties(std::string_view(bytes).substr(1), bytes[0] & 1, bytes[0] & 2), "") << name;
  }
}

TEST(AmiFrameParser, AGarbageLineIsCountedAndTheFramesAroundItSurvive) {
  AmiFrameParser p;
  std::vector<AmiFrame> frames;
  p.feed("Asterisk Call Manager/11.0.0\r\nEvent: Hangup\r\nnonsense\r\nUniqueid: 1.2\r\n\r\nEvent: Ping", frames);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].get(""), "Asterisk Call Manager/11.0.0");
  EXPECT_EQ(frames[1].event(), "Hangup");
  EXPECT_EQ(frames[1].get("uniqueid"), "1.2") << "keys are case-insensitive";
  EXPECT_EQ(p.malformed_lines(), 1u);
  p.feed("\n\n", frames);
  ASSERT_EQ(frames.size(), 3u) << "a frame split across reads";
  EXPECT_EQ(frames[2].event(), "Ping");
}

}  // namespace
}  // namespace salescore::telephony
