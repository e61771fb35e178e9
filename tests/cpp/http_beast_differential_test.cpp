// A second opinion on every row of the smuggling table: the same bytes go to
// Boost.Beast 1.74's request parser (Debian's libboost-dev, header-only, used by this
// test only) and to ours. Where both read a request, they must read the same one: the
// method, target, body, where it ends and whether the connection stays open. Where
// only one reads it, the table's `beast` column must say why, and a row whose stated
// difference has disappeared fails too, so the explanations stay true.
#include <gtest/gtest.h>

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/asio/buffer.hpp>

#include <cstdint>
#include <limits>
#include <string>

#include "http_smuggling_cases.h"
#include "http_wire.h"

namespace salescore::http {
namespace {

namespace beast = boost::beast;
using wire::Verdict;

// What a reader made of the bytes, in terms both parsers can be put in.
struct Reading {
  Verdict::Kind kind = Verdict::Kind::kIncomplete;
  std::string method, target, body, why;
  std::size_t consumed = 0;
  bool keep_alive = false;
};

Reading ours(const std::string& bytes) {
  const Verdict v = wire::read_one_request(bytes);
  Reading r;
  r.kind = v.kind;
  r.why = v.error;
  if (v.kind == Verdict::Kind::kAccepted) {
    r.method = v.request.method;
    r.target = v.request.target;
    r.body = v.request.body;
    r.consumed = v.consumed;
    r.keep_alive = v.request.wants_keep_alive();
  }
  return r;
}

Reading beasts(const std::string& bytes) {
  beast::http::request_parser<beast::http::string_body> parser;
  parser.eager(true);
  // Limits as ours: the whole head at 64 KiB; bodies are not what is compared.
  parser.header_limit(64 * 1024);
  // Not boost::none: 1.74 compares the length against the empty optional and refuses.
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  Reading r;
  std::size_t at = 0;
  while (!parser.is_done()) {
    beast::error_code ec;
    const std::size_t used = parser.put(boost::asio::buffer(bytes.data() + at, bytes.size() - at), ec);
    at += used;
    // Every byte was given at once, so "more" can only mean the input ends early.
    if (ec == beast::http::error::need_more || (!ec && used == 0)) return r;
    if (ec) {
      r.kind = Verdict::Kind::kRefused;
      r.why = ec.message();
      return r;
    }
  }
  const auto& message = parser.get();
  r.kind = Verdict::Kind::kAccepted;
  r.method = std::string(message.method_string());
  r.target = std::string(message.target());
  r.body = message.body();
  r.consumed = at;
  r.keep_alive = parser.keep_alive();
  return r;
}

std::string describe(const Reading& r) {
  switch (r.kind) {
    case Verdict::Kind::kAccepted:
      return "read " + r.method + " " + r.target + " with a body of " + std::to_string(r.body.size()) +
             " bytes, ending at " + std::to_string(r.consumed) + (r.keep_alive ? ", kept alive" : ", closed");
    case Verdict::Kind::kIncomplete:
      return "waits for more";
    case Verdict::Kind::kRefused:
      return "refuses it (" + r.why + ")";
  }
  return "?";
}

bool same(const Reading& a, const Reading& b) {
  if (a.kind != b.kind) return false;
  if (a.kind != Verdict::Kind::kAccepted) return true;
  return a.method == b.method && a.target == b.target && a.body == b.body && a.consumed == b.consumed &&
         a.keep_alive == b.keep_alive;
}

TEST(HttpBeastDifferential, EveryDisagreementWithBeastIsExplained) {
  int explained = 0, rows = 0;
  for (const auto& c : smuggling::cases()) {
    ++rows;
    const Reading mine = ours(c.wire);
    const Reading theirs = beasts(c.wire);
    const bool agree = same(mine, theirs);
    const std::string beast_note = c.beast;
    if (agree) {
      EXPECT_TRUE(beast_note.empty()) << c.name << ": both parsers now " << describe(mine)
                                      << ", but the table says Beast differs: " << beast_note;
    } else {
      ++explained;
      EXPECT_FALSE(beast_note.empty()) << c.name << " (" << c.rfc << "): ours " << describe(mine) << "; Beast "
                                       << describe(theirs) << ". Explain it in the table's beast column or fix it.";
    }
  }
  // Not a test that passes by never comparing: most rows do disagree with a lenient
  // reader somewhere, and the table lists them.
  EXPECT_GT(explained, 10);
  RecordProperty("rows", rows);
  RecordProperty("explained_disagreements", explained);
}

// A sanity check of the harness itself: on plain valid requests Beast and we agree on
// every detail, so a disagreement above is about the input, not the plumbing.
TEST(HttpBeastDifferential, AgreesOnPlainRequestsToTheByte) {
  for (const std::string bytes :
       {"GET /api/v1/clients?limit=2 HTTP/1.1\r\nHost: a\r\n\r\nGET /n HTTP/1.1\r\n\r\n",
        "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcrest",
        "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n1;x=\"y\"\r\nd\r\n0\r\nT: 1\r\n\r\nrest",
        "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"}) {
    const Reading mine = ours(bytes), theirs = beasts(bytes);
    EXPECT_EQ(mine.kind, Verdict::Kind::kAccepted) << bytes << mine.why;
    EXPECT_TRUE(same(mine, theirs)) << bytes << "\nours: " << describe(mine) << "\nBeast: " << describe(theirs);
  }
}

}  // namespace
}  // namespace salescore::http
