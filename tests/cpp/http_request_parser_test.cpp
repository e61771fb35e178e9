// The request parser of the HTTP front end (server/http/request_parser.h): heads that
// arrive in pieces, the limits, and the framings it must refuse because a proxy in
// front might read them differently.
#include <gtest/gtest.h>

#include <string>

#include "http/request_parser.h"

namespace salescore::http {
namespace {

struct Parsed {
  HeadParse head;
  HttpRequest request;
  BodyFraming framing;
};

Parsed parse(const std::string& text, HeadLimits limits = {}) {
  Parsed p;
  p.head = parse_request_head(text, limits, p.request, p.framing);
  return p;
}

TEST(HttpRequestParser, ReadsAHeadAndSaysHowLongItWas) {
  const std::string head = "GET /api/v1/clients/7?x=1 HTTP/1.1\r\nHost: a\r\nAuthorization:  Bearer t \r\n\r\n";
  auto p = parse(head + "NEXT");
  ASSERT_EQ(p.head.state, HeadParse::State::kComplete);
  EXPECT_EQ(p.head.consumed, head.size());
  EXPECT_EQ(p.request.method, "GET");
  EXPECT_EQ(p.request.target, "/api/v1/clients/7?x=1");
  EXPECT_EQ(p.request.minor_version, 1);
  ASSERT_NE(p.request.header("authorization"), nullptr);
  EXPECT_EQ(*p.request.header("AUTHORIZATION"), "Bearer t");
  EXPECT_EQ(p.framing.kind, BodyFraming::Kind::kNone);
}

TEST(HttpRequestParser, IsIncompleteAtEveryCutBeforeTheEmptyLine) {
  const std::string head = "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nX-A: b\r\n\r\n";
  for (std::size_t cut = 0; cut < head.size(); ++cut) {
    auto p = parse(head.substr(0, cut));
    EXPECT_EQ(p.head.state, HeadParse::State::kIncomplete) << "cut at " << cut;
  }
  auto p = parse(head);
  ASSERT_EQ(p.head.state, HeadParse::State::kComplete);
  EXPECT_EQ(p.framing.kind, BodyFraming::Kind::kLength);
  EXPECT_EQ(p.framing.length, 5u);
}

TEST(HttpRequestParser, SkipsEmptyLinesBeforeTheRequest) {
  auto p = parse("\r\n\r\nGET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  ASSERT_EQ(p.head.state, HeadParse::State::kComplete);
  EXPECT_EQ(p.request.minor_version, 0);
  EXPECT_TRUE(p.request.wants_keep_alive());
}

// RFC 9112 2.2 lets a server take a bare LF as a line end; we do not (request_parser.h).
TEST(HttpRequestParser, RefusesBareLineFeedsAndLoneCarriageReturns) {
  for (const std::string head : {"GET / HTTP/1.0\nConnection: keep-alive\n\n", "GET / HTTP/1.0\r\nA: b\n\r\n",
                                 "\nGET / HTTP/1.0\r\n\r\n", "\rGET / HTTP/1.0\r\n\r\n", "GET / HTTP/1.0\r\nA: b\rc\r\n\r\n"}) {
    auto p = parse(head);
    EXPECT_EQ(p.head.state, HeadParse::State::kBad) << head;
    EXPECT_EQ(p.head.status, 400) << head;
  }
  EXPECT_NE(parse("GET / HTTP/1.1\nHost: a\n\n").head.error.find("CRLF"), std::string::npos);
}

TEST(HttpRequestParser, EmptyLinesAloneAreIncompleteAndMayBeDropped) {
  auto p = parse("\r\n\r\n\r\n");
  EXPECT_EQ(p.head.state, HeadParse::State::kIncomplete);
  EXPECT_EQ(p.head.consumed, 6u);
  // A CR whose LF has not arrived yet is kept: it may still be an empty line.
  p = parse("\r\n\r");
  EXPECT_EQ(p.head.state, HeadParse::State::kIncomplete);
  EXPECT_EQ(p.head.consumed, 2u);
}

TEST(HttpRequestParser, KeepAliveFollowsTheVersionAndTheConnectionHeader) {
  EXPECT_TRUE(parse("GET / HTTP/1.1\r\nHost: a\r\n\r\n").request.wants_keep_alive());
  EXPECT_FALSE(parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, close\r\n\r\n").request.wants_keep_alive());
  EXPECT_FALSE(parse("GET / HTTP/1.0\r\n\r\n").request.wants_keep_alive());
}

TEST(HttpRequestParser, RefusesWhatCouldBeReadTwoWays) {
  struct Case {
    std::string head;
    int status;
  };
  const Case cases[] = {
      {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -3\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501},
      {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400},
      {"GET /a\x01 HTTP/1.1\r\nHost: a\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n folded\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\r\nX-A : 1\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\r\nno colon\r\n\r\n", 400},
      {"GET / HTTP/2.0\r\n\r\n", 505},
      {"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"GET / HTTX/1.1\r\n\r\n", 400},
      {"GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", 400},
      {"G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400},
      {"GET\r\n\r\n", 400},
  };
  for (const auto& c : cases) {
    auto p = parse(c.head);
    EXPECT_EQ(p.head.state, HeadParse::State::kBad) << c.head;
    EXPECT_EQ(p.head.status, c.status) << c.head;
    EXPECT_FALSE(p.head.error.empty());
  }
  // The same Content-Length twice is one length.
  auto p = parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\ncontent-length: 3\r\n\r\n");
  EXPECT_EQ(p.head.state, HeadParse::State::kComplete);
}

TEST(HttpRequestParser, LimitsAreRefusedBeforeTheHeadEnds) {
  HeadLimits limits;
  limits.max_target = 100;
  limits.max_field = 200;
  limits.max_fields = 3;
  limits.max_head = 1000;
  // A long target: 414 as soon as it is longer than any accepted, without its line end.
  auto p = parse("GET /" + std::string(300, 'a'), limits);
  EXPECT_EQ(p.head.state, HeadParse::State::kBad);
  EXPECT_EQ(p.head.status, 414);
  p = parse("GET /" + std::string(150, 'a') + " HTTP/1.1\r\n\r\n", limits);
  EXPECT_EQ(p.head.status, 414);
  // A long header line, still arriving (RFC 6585 5: 431).
  p = parse("GET / HTTP/1.1\r\nX-Pad: " + std::string(300, 'x'), limits);
  EXPECT_EQ(p.head.state, HeadParse::State::kBad);
  EXPECT_NE(p.head.error.find("longer than 200"), std::string::npos) << p.head.error;
  // Too many fields.
  p = parse("GET / HTTP/1.1\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\n\r\n", limits);
  EXPECT_EQ(p.head.state, HeadParse::State::kBad);
  EXPECT_EQ(p.head.status, 431);
  EXPECT_NE(p.head.error.find("more than 3"), std::string::npos) << p.head.error;
  // A head that never ends.
  std::string endless = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 2; ++i) endless += "A: " + std::string(150, 'y') + "\r\n";
  limits.max_fields = 100;
  limits.max_head = 200;
  p = parse(endless, limits);
  EXPECT_EQ(p.head.state, HeadParse::State::kBad);
  EXPECT_EQ(p.head.status, 431);
  // A complete line over the limit, as one still arriving.
  limits.max_head = 1000;
  p = parse("GET / HTTP/1.1\r\nHost: a\r\nX-Pad: " + std::string(300, 'x') + "\r\n\r\n", limits);
  EXPECT_EQ(p.head.status, 431);
}

std::string feed_in_pieces(ChunkedDecoder& decoder, const std::string& wire, std::size_t piece,
                           ChunkedDecoder::State& last, std::size_t& used_total) {
  std::string body;
  used_total = 0;
  last = ChunkedDecoder::State::kMore;
  for (std::size_t at = 0; at < wire.size() && last == ChunkedDecoder::State::kMore; at += piece) {
    std::string_view slice = std::string_view(wire).substr(at, piece);
    std::size_t used = 0;
    last = decoder.feed(slice, body, used);
    used_total += used;
    if (last == ChunkedDecoder::State::kMore) {
      EXPECT_EQ(used, slice.size());
    }
  }
  return body;
}

TEST(HttpChunkedDecoder, DecodesInAnyPiecesAndStopsAtTheEnd) {
  const std::string wire = "5;name=v\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: x\r\n\r\nGET /next";
  for (std::size_t piece : {1u, 2u, 3u, 7u, 100u}) {
    ChunkedDecoder decoder;
    ChunkedDecoder::State last;
    std::size_t used = 0;
    std::string body = feed_in_pieces(decoder, wire, piece, last, used);
    EXPECT_EQ(last, ChunkedDecoder::State::kDone) << piece;
    EXPECT_EQ(body, "hello, world") << piece;
    EXPECT_EQ(wire.substr(used), "GET /next") << piece;
  }
}

TEST(HttpChunkedDecoder, RefusesMalformedChunks) {
  for (const std::string wire : {"zz\r\nhello\r\n0\r\n\r\n", "3\r\nhelloo\r\n0\r\n\r\n", "\r\n\r\n",
                                 "ffffffffffffffffff\r\n"}) {
    ChunkedDecoder decoder;
    std::string body;
    std::size_t used = 0;
    EXPECT_EQ(decoder.feed(wire, body, used), ChunkedDecoder::State::kBad) << wire;
    EXPECT_FALSE(decoder.error().empty());
  }
}

}  // namespace
}  // namespace salescore::http
