// The smuggling table (http_smuggling_cases.h) against our parser: each input is read
// as the table says, with a reason a person can act on, and the same way whether its
// bytes arrive at once or a few at a time (a proxy and a client split them anywhere).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "http_smuggling_cases.h"
#include "http_wire.h"

namespace salescore::http {
namespace {

using smuggling::Case;
using wire::Verdict;

class HttpSmuggling : public ::testing::TestWithParam<Case> {};

std::string describe(const Verdict& v) {
  switch (v.kind) {
    case Verdict::Kind::kAccepted:
      return "accepted, body '" + v.request.body + "'";
    case Verdict::Kind::kIncomplete:
      return "incomplete";
    case Verdict::Kind::kRefused:
      return std::to_string(v.status) + " " + v.error;
  }
  return "?";
}

void expect_as_the_table_says(const Case& c, const Verdict& v, std::size_t piece) {
  SCOPED_TRACE(std::string(c.name) + " (" + c.rfc + "), pieces of " + std::to_string(piece) + ": " + describe(v));
  if (c.status == 200) {
    ASSERT_EQ(v.kind, Verdict::Kind::kAccepted);
    EXPECT_EQ(v.request.body, c.body);
  } else if (c.status == 0) {
    EXPECT_EQ(v.kind, Verdict::Kind::kIncomplete);
  } else {
    ASSERT_EQ(v.kind, Verdict::Kind::kRefused);
    EXPECT_EQ(v.status, c.status);
    // The reason goes back to the client and into the log: words, no raw bytes.
    EXPECT_FALSE(v.error.empty());
    for (char ch : v.error) EXPECT_TRUE(ch >= 0x20 && ch < 0x7f) << "unprintable byte in the reason";
  }
}

TEST_P(HttpSmuggling, IsReadAsTheRfcSaysInOneReadOrInPieces) {
  const Case& c = GetParam();
  const Verdict whole = wire::read_one_request(c.wire);
  expect_as_the_table_says(c, whole, 0);
  for (std::size_t piece : {1u, 2u, 7u}) {
    const Verdict split = wire::read_one_request(c.wire, piece);
    expect_as_the_table_says(c, split, piece);
    if (whole.kind == Verdict::Kind::kAccepted && split.kind == Verdict::Kind::kAccepted) {
      EXPECT_EQ(split.consumed, whole.consumed) << c.name;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Rfc9112, HttpSmuggling, ::testing::ValuesIn(smuggling::cases()),
                         [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

TEST(HttpSmugglingTable, NamesAreUniqueAndEveryRowHasItsRule) {
  std::set<std::string> names;
  for (const Case& c : smuggling::cases()) {
    EXPECT_TRUE(names.insert(c.name).second) << c.name;
    EXPECT_NE(std::string(c.rfc), "") << c.name;
  }
}

TEST(HttpSmugglingTable, APipelinedRequestStartsRightAfterTheBody) {
  const std::string first = "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n";
  const Verdict v = wire::read_one_request(first + "GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_EQ(v.kind, Verdict::Kind::kAccepted) << v.error;
  EXPECT_EQ(v.consumed, first.size());
}

TEST(HttpSmugglingTable, RepeatedConnectionFieldsAreOneList) {
  auto keep_alive = [](const std::string& head) {
    const Verdict v = wire::read_one_request(head);
    EXPECT_EQ(v.kind, Verdict::Kind::kAccepted) << head << v.error;
    return v.request.wants_keep_alive();
  };
  EXPECT_FALSE(keep_alive("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n"));
  EXPECT_FALSE(keep_alive("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nConnection: x, CLOSE\r\n\r\n"));
  EXPECT_TRUE(keep_alive("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\nConnection: upgrade\r\n\r\n"));
  EXPECT_TRUE(keep_alive("GET / HTTP/1.0\r\nConnection: te\r\nConnection: keep-alive\r\n\r\n"));
  EXPECT_FALSE(keep_alive("GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n"));
  EXPECT_FALSE(keep_alive("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n"));
}

}  // namespace
}  // namespace salescore::http
