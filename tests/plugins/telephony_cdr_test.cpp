// Asterisk's Master.csv in each documented column layout, grouped into calls with the
// keys the AMI session gives the same calls, so a CDR import after (or instead of) the
// live session records every call once.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cdr_reader.h"

namespace salescore::telephony {
namespace {

namespace fs = std::filesystem;
// The build's fixture path, or the environment's (a worktree beside another checkout).
fs::path shared_fixtures() {
  const char* env = std::getenv("SALESCORE_SHARED_FIXTURES");
  return env && *env ? fs::path(env) : fs::path(SALESCORE_SHARED_FIXTURES);
}
const fs::path kCdr = shared_fixtures() / "cdr" / "Master-asterisk-22.csv";

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

PbxPlan office() {
  PbxPlan plan;
  plan.trunks = {"Local/*@trunk-in"};
  plan.outbound_contexts = {"outside"};
  return plan;
}

const Call* find(const std::vector<Call>& calls, const std::string& key) {
  for (const auto& c : calls)
    if (c.key == key) return &c;
  return nullptr;
}

TEST(CdrReader, TheRecordedMasterCsvGroupsIntoTheCallsOfTheOffice) {
  if (!fs::exists(kCdr)) GTEST_SKIP() << "no " << kCdr;
  std::vector<CdrError> errors;
  const auto rows = read_cdr(read_file(kCdr), 0, errors);
  EXPECT_TRUE(errors.empty()) << errors.front().reason;
  ASSERT_EQ(rows.size(), 30u);
  EXPECT_EQ(rows[0].uniqueid, "1796607077.7") << "uniqueid and userfield columns";
  const auto calls = calls_from_cdr(rows, office());
  ASSERT_EQ(calls.size(), 7u);
  const Call* ring = find(calls, "asterisk:1796607077.0");
  ASSERT_TRUE(ring);
  EXPECT_EQ(ring->direction, "inbound");
  EXPECT_EQ(ring->customer, "84959876543");
  EXPECT_EQ(ring->manager, "102");
  EXPECT_EQ(ring->callee, "600");
  EXPECT_EQ(ring->talk_s(), 4);
  EXPECT_EQ(ring->rang_not_answered, (std::vector<std::string>{"101", "103"}));
  const Call* queue = find(calls, "asterisk:1796607087.8");
  ASSERT_TRUE(queue);
  EXPECT_EQ(queue->manager, "103");
  const Call* busy = find(calls, "asterisk:1796607097.14");
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->disposition, "busy");
  EXPECT_EQ(busy->callee, "201");
  const Call* unanswered = find(calls, "asterisk:1796607097.15");
  ASSERT_TRUE(unanswered);
  EXPECT_EQ(unanswered->disposition, "no answer");
  const Call* congested = find(calls, "asterisk:1796607097.16");
  ASSERT_TRUE(congested);
  EXPECT_EQ(congested->disposition, "failed");
  const Call* click = find(calls, "asterisk:1796607108.26");
  ASSERT_TRUE(click);
  EXPECT_EQ(click->direction, "outbound");
  EXPECT_EQ(click->customer, "84951234567");
  EXPECT_EQ(click->manager, "101");
}

// One row of the recording in each layout cdr_csv writes.
TEST(CdrReader, EveryDocumentedColumnLayoutIsRead) {
  const std::string base =
      R"("","84959876543","600","office",""""" <84959876543>","Local/84959876543@trunk-in-00000000;1",)"
      R"("Local/102@phones-00000002;1","Dial","Local/102@phones,20","2026-12-07 01:31:17","2026-12-07 01:31:17",)"
      R"("2026-12-07 01:31:21",4,4,"ANSWERED","DOCUMENTATION")";
  struct Layout {
    std::string tail, uniqueid, userfield, linkedid;
  };
  const std::vector<Layout> layouts = {
      {"", "", "", ""},
      {R"(,"1796607077.0")", "1796607077.0", "", ""},
      {R"(,"rec-1.wav")", "", "rec-1.wav", ""},
      {R"(,"1796607077.0","rec-1.wav")", "1796607077.0", "rec-1.wav", ""},
      {R"(,"","1796607077.0","3")", "", "", "1796607077.0"},
      {R"(,"1796607077.0","","1796607077.0","3")", "1796607077.0", "", "1796607077.0"},
      {R"(,"1796607077.0","rec-1.wav","","1796607077.0","3")", "1796607077.0", "rec-1.wav", "1796607077.0"},
  };
  for (const auto& l : layouts) {
    std::vector<CdrError> errors;
    const auto rows = read_cdr(base + l.tail + "\n", 0, errors);
    ASSERT_EQ(rows.size(), 1u) << l.tail << ": " << (errors.empty() ? "" : errors[0].reason);
    EXPECT_EQ(rows[0].uniqueid, l.uniqueid) << l.tail;
    EXPECT_EQ(rows[0].userfield, l.userfield) << l.tail;
    EXPECT_EQ(rows[0].linkedid, l.linkedid) << l.tail;
    EXPECT_EQ(rows[0].billsec, 4);
    EXPECT_EQ(rows[0].clid, "\"\" <84959876543>");
    const auto calls = calls_from_cdr(rows, office());
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].manager, "102");
    if (!l.uniqueid.empty() || !l.linkedid.empty()) {
      EXPECT_EQ(calls[0].key, "asterisk:1796607077.0");
    }
    if (!l.userfield.empty()) {
      EXPECT_EQ(calls[0].recording, "rec-1.wav");
    }
  }
}

TEST(CdrReader, ARowThatDoesNotFitIsNamedByItsLineAndTheOthersAreRead) {
  const std::string good =
      R"("","101","84951234567","outside","","Local/101@office-0000000d;1","","Wait","3","2026-12-07 01:31:48",)"
      R"("2026-12-07 01:31:49","2026-12-07 01:31:53",4,3,"ANSWERED","DOCUMENTATION","1796607108.26","")";
  const std::string text = good + "\n" + R"("a","b")" + "\n" +
                           R"("","1","2","c","","Local/x-1;1","","Wait","3","yesterday","","2026-12-07 01:31:53",4,3,"ANSWERED","D")" +
                           "\n" + R"("unterminated,x)" + "\n";
  std::vector<CdrError> errors;
  const auto rows = read_cdr(text, 180, errors);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].start_ms, 1796607108000LL - 180 * 60 * 1000) << "times at the PBX's offset";
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].line, 2u);
  EXPECT_EQ(errors[0].reason, "2 columns; Master.csv rows have 16 to 21");
  EXPECT_EQ(errors[1].reason, "start 'yesterday' is no time");
  EXPECT_EQ(errors[2].reason, "an unterminated quote");
}

}  // namespace
}  // namespace salescore::telephony
