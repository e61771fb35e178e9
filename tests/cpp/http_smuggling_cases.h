// The request-smuggling table: inputs whose reading decides where one request ends and
// the next begins, or what reaches the router, each with the rule it tests and what the
// parser must do. http_smuggling_test.cpp runs it against our parser (whole and in
// pieces); http_beast_differential_test.cpp feeds the same bytes to Boost.Beast 1.74's
// parser and fails on any disagreement the `beast` column does not explain.
//
// Section numbers are RFC 9112 (HTTP/1.1) unless another RFC is named; 9110 is HTTP
// semantics, 3986 the URI grammar.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace salescore::http::smuggling {

struct Case {
  const char* name;  // a test name: letters, digits and '_'
  std::string wire;
  // 200: read as one request with `body`; 0: incomplete (the parser waits for more);
  // anything else: refused with that status and the connection closed.
  int status;
  std::string body;
  const char* rfc;    // the rule
  const char* beast;  // empty when Beast reads it as we do; otherwise why it differs
};

// What GoogleTest prints for a row: its name, not its bytes.
inline void PrintTo(const Case& c, std::ostream* out) { *out << c.name; }

inline std::vector<Case> cases() {
  using namespace std::string_literals;
  const std::string get = "GET / HTTP/1.1\r\nHost: a\r\n";
  const std::string chunked = "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string post = "POST /x HTTP/1.1\r\nHost: a\r\n";
  // Why Beast differs, for the rows that share a reason.
  const char* beast_no_host = "Beast leaves Host to the application; §3.2 makes the server refuse it";
  const char* beast_target = "Beast takes any byte but CTL, SP and DEL in the target; we check the RFC 3986 grammar";
  const char* beast_fold = "Beast 1.74 unfolds obs-fold; §5.2 lets a server refuse it, and we do (a proxy may not unfold)";
  const char* beast_qdtext = "Beast 1.74 does not check the bytes inside a quoted chunk-ext-val (qdtext, §7.1.1)";
  const char* beast_te = "Beast 1.74 ignores a Transfer-Encoding without a final chunked (no body); §6.3 says 400";
  const char* beast_line = "Beast bounds the whole head (64 KiB here), not one line; we also bound each line";

  return {
      // ---- requests that must be read, and read once ---------------------------------
      {"PlainGet", get + "\r\n", 200, "", "§3, §5", ""},
      {"ContentLengthBody", post + "Content-Length: 5\r\n\r\nhello", 200, "hello", "§6.2", ""},
      {"PipelinedRequestEndsWhereItsLengthSays", post + "Content-Length: 2\r\n\r\nokGET /next HTTP/1.1\r\n\r\n", 200,
       "ok", "§6.3 rule 6, §9.3.2", ""},
      {"ChunkedWithExtensionsAndTrailer",
       chunked + "5;a=b;c=\"d \\\"e\\\"\"\r\nhello\r\n7\r\n, world\r\n0\r\nX-T: 1\r\n\r\n", 200, "hello, world",
       "§7.1, §7.1.1 chunk-ext = token / quoted-string, §7.1.2", ""},
      {"ChunkExtensionWithWhitespaceWhereBwsIsAllowed", chunked + "5 ; a = b\r\nhello\r\n0\r\n\r\n", 200, "hello",
       "§7.1.1 BWS before ';' and around '='", ""},
      {"LastChunkOfSeveralZeros", chunked + "5\r\nhello\r\n000\r\n\r\n", 200, "hello", "§7.1 last-chunk = 1*(\"0\")", ""},
      {"ChunkSizeWithLeadingZeros", chunked + "0000000000000000005\r\nhello\r\n0\r\n\r\n", 200, "hello",
       "§7.1 chunk-size = 1*HEXDIG", ""},
      {"TransferCodingNamesAreCaseInsensitive", post + "Transfer-Encoding: Chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", 200, "ok",
       "§7 (RFC 9110 §10.1.4)", ""},
      {"IdenticalContentLengthsAreOneLength", post + "Content-Length: 2\r\nContent-Length: 2\r\n\r\nok", 200, "ok",
       "RFC 9110 §8.6", ""},
      {"Http10NeedsNoHost", "GET / HTTP/1.0\r\n\r\n", 200, "", "§3.2 (Host is required of HTTP/1.1)", ""},
      {"EmptyHostIsAValidHost", "GET / HTTP/1.1\r\nHost:\r\n\r\n", 200, "", "§3.2 (empty when there is no authority)",
       ""},
      {"HostWithPort", "GET / HTTP/1.1\r\nHost: crm.example:8080\r\n\r\n", 200, "", "§3.2, RFC 3986 §3.2", ""},
      {"HostIpv6Literal", "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", 200, "", "RFC 3986 §3.2.2 IP-literal", ""},
      {"AbsoluteFormTarget", "GET http://crm.example/api/v1/clients?limit=2 HTTP/1.1\r\nHost: crm.example\r\n\r\n", 200,
       "", "§3.2.2 a server MUST accept absolute-form", ""},
      {"AsteriskFormForOptions", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", 200, "", "§3.2.4", ""},
      {"PercentEncodedTarget", "GET /a%20b?q=%7B%7D&r=a/b?c HTTP/1.1\r\nHost: a\r\n\r\n", 200, "",
       "§3.2.1, RFC 3986 §2.1 pct-encoded, §3.4 query", ""},
      {"ObsTextInAFieldValue", get + "X-Name: caf\xC3\xA9\r\n\r\n", 200, "", "§5, RFC 9110 §5.5 obs-text", ""},
      {"OneEmptyLineBeforeTheRequestLine", "\r\n" + get + "\r\n", 200, "",
       "§2.2 SHOULD ignore at least one empty line (CRLF) before the request-line",
       "Beast refuses any byte before the method; §2.2 asks a server to skip an empty line"},
      {"NewerMinorVersionIsReadAsHttp11", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", 200, "",
       "RFC 9110 §2.5 (process as the highest minor version implemented)",
       "Beast 1.74 refuses every version but 1.0 and 1.1"},
      {"KeepAliveThenCloseOnTwoLinesCloses", get + "Connection: keep-alive\r\nConnection: close\r\n\r\n", 200, "",
       "RFC 9110 §5.3 (field lines combine into one list), §9.6", ""},
      {"Http10KeepAliveAndCloseCloses", "GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", 200, "",
       "§9.3 (close wins), §9.6",
       "Beast keeps an HTTP/1.0 connection alive on keep-alive even when close is listed too"},
      {"ContentLengthInTheTrailersIsDropped", chunked + "2\r\nok\r\n0\r\nContent-Length: 5\r\n\r\n", 200, "ok",
       "RFC 9110 §6.5.1 (a framing field in trailers is not merged)",
       "Beast refuses Content-Length in trailers as conflicting with chunked; we drop trailers unread"},

      // ---- line ends in chunked framing (§7.1: CRLF; §2.2's bare-LF allowance covers
      // the start-line and fields only, errata 7633 rejected) ----------------------------
      {"BareLfAfterChunkSize", chunked + "5\nhello\r\n0\r\n\r\n", 400, "", "§7.1 chunk = chunk-size [ chunk-ext ] CRLF",
       ""},
      {"BareLfAfterChunkData", chunked + "5\r\nhello\n0\r\n\r\n", 400, "", "§7.1 chunk-data CRLF", ""},
      {"BareLfAfterLastChunk", chunked + "0\n\r\n\r\n", 400, "", "§7.1 last-chunk ... CRLF", ""},
      {"BareLfEndingATrailer", chunked + "0\r\nX: 1\n\r\n\r\n", 400, "", "§7.1.2 trailer-section = *( field-line CRLF )",
       ""},
      {"BareLfAsTheFinalLine", chunked + "0\r\n\n\r\n\r\n", 400, "", "§7.1 chunked-body ends with CRLF", ""},
      {"BareCrInAChunkExtension", chunked + "5;a\rb\r\nhello\r\n0\r\n\r\n", 400, "",
       "§2.2 a bare CR MUST be invalid, §7.1.1", ""},
      {"BareLfInsideAQuotedChunkExtension", chunked + "5;a=\"x\ny\"\r\nhello\r\n0\r\n\r\n", 400, "",
       "§7.1.1 qdtext has no CTL (the TERM.EXT desync)", beast_qdtext},

      // ---- chunk sizes and extensions ---------------------------------------------
      {"SpaceBeforeChunkSize", chunked + " 5\r\nhello\r\n0\r\n\r\n", 400, "", "§7.1 chunk-size = 1*HEXDIG", ""},
      {"SpaceAfterChunkSize", chunked + "5 \r\nhello\r\n0\r\n\r\n", 400, "", "§7.1.1 BWS only before ';'", ""},
      {"TabAfterChunkSize", chunked + "5\t\r\nhello\r\n0\r\n\r\n", 400, "", "§7.1.1 BWS only before ';'", ""},
      {"HexPrefixInChunkSize", chunked + "0x5\r\nhello\r\n0\r\n\r\n", 400, "", "§7.1 chunk-size = 1*HEXDIG", ""},
      {"NegativeChunkSize", chunked + "-5\r\nhello\r\n0\r\n\r\n", 400, "", "§7.1 chunk-size = 1*HEXDIG", ""},
      {"EmptyChunkSize", chunked + "\r\nhello\r\n0\r\n\r\n", 400, "", "§7.1 chunk-size = 1*HEXDIG", ""},
      {"ChunkSizeOverflowingSixtyFourBits", chunked + "10000000000000000\r\nx\r\n0\r\n\r\n", 400, "",
       "§7.1 (MUST anticipate overflow)", ""},
      {"ChunkSizeOverSixtyBits", chunked + "ffffffffffffffff\r\nx\r\n0\r\n\r\n", 400, "",
       "§7.1 (a size no body we take can have)",
       "Beast takes any size that fits 64 bits and waits for the data; we refuse more than 15 hex digits"},
      {"NulInAChunkExtension", chunked + "5;a\0b\r\nhello\r\n0\r\n\r\n"s, 400, "", "§7.1.1 chunk-ext-name = token", ""},
      {"ControlByteInAQuotedChunkExtension", chunked + "5;a=\"x\x01y\"\r\nhello\r\n0\r\n\r\n", 400, "",
       "§7.1.1 qdtext", beast_qdtext},
      {"ChunkExtensionWithoutAName", chunked + "5;\r\nhello\r\n0\r\n\r\n", 400, "", "§7.1.1 chunk-ext-name = token", ""},
      {"ChunkExtensionValueWithASpace", chunked + "5;a=b c\r\nhello\r\n0\r\n\r\n", 400, "", "§7.1.1 chunk-ext-val",
       ""},
      {"UnterminatedQuotedChunkExtension", chunked + "5;a=\"x\r\nhello\r\n0\r\n\r\n", 400, "",
       "§7.1.1 quoted-string (RFC 9110 §5.6.4)",
       "Beast 1.74 reads a quoted value past the line end, looking for its closing quote, and waits for more"},
      {"ChunkDataLongerThanItsSize", chunked + "3\r\nhello\r\n0\r\n\r\n", 400, "", "§7.1 chunk-data is chunk-size octets",
       ""},
      {"ChunkLineLongerThanTheLimit", chunked + "1;" + std::string(5000, 'e') + "\r\nx\r\n0\r\n\r\n", 400, "",
       "§7.1.1 (a server limits extension length, else 400)", beast_line},

      // ---- trailers (§7.1.2: field lines, §5 grammar) ----------------------------------
      {"TrailerWithoutAColon", chunked + "0\r\nno colon\r\n\r\n", 400, "", "§7.1.2, §5 field-line", ""},
      {"TrailerWithSpaceBeforeTheColon", chunked + "0\r\nX : 1\r\n\r\n", 400, "", "§5.1 no whitespace before ':'", ""},
      {"FoldedTrailer", chunked + "0\r\nX: 1\r\n 2\r\n\r\n", 400, "", "§5.2 obs-fold", beast_fold},
      {"NulInATrailerValue", chunked + "0\r\nX: a\0b\r\n\r\n"s, 400, "", "RFC 9110 §5.5", ""},
      {"BareCrInATrailerValue", chunked + "0\r\nX: a\rb\r\n\r\n", 400, "", "§2.2 bare CR", ""},
      {"TrailerLineLongerThanTheLimit", chunked + "0\r\nX: " + std::string(5000, 't') + "\r\n\r\n", 400, "",
       "§7.1.2 (bounded like the head)", beast_line},

      // ---- the head's line ends ----------------------------------------------------
      {"BareLfEndingTheHead", "GET / HTTP/1.1\nHost: a\n\n", 400, "",
       "§2.2 MAY accept a bare LF; we do not (see request_parser.h)", ""},
      {"BareLfEndingOneField", "GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n", 400, "", "§2.2, §5", ""},
      {"LoneCrBeforeTheRequestLine", "\r" + get + "\r\n", 400, "", "§2.2 a bare CR MUST be invalid", ""},
      {"BareLfBeforeTheRequestLine", "\n" + get + "\r\n", 400, "", "§2.2 the empty line is CRLF", ""},
      {"BareCrInAFieldValue", get + "X: a\rb\r\n\r\n", 400, "", "§2.2, RFC 9110 §5.5", ""},
      {"ControlByteInAFieldValue", get + "X: a\x01" "b\r\n\r\n", 400, "", "RFC 9110 §5.5 field-vchar", ""},
      {"DelInAFieldValue", get + "X: a\x7f" "b\r\n\r\n", 400, "", "RFC 9110 §5.5 field-vchar", ""},
      {"FoldedField", get + "X: 1\r\n 2\r\n\r\n", 400, "", "§5.2 obs-fold", beast_fold},
      {"SpaceBeforeTheColon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400, "", "§5.1 no whitespace before ':'", ""},
      {"EmptyFieldName", get + ": x\r\n\r\n", 400, "", "§5 field-name = token", ""},
      {"SpaceBeforeTheMethod", " " + get + "\r\n", 400, "", "§3 request-line", ""},

      // ---- Host (§3.2: missing, repeated or invalid in an HTTP/1.1 request: 400) -------
      {"MissingHost", "GET / HTTP/1.1\r\n\r\n", 400, "", "§3.2 MUST respond 400", beast_no_host},
      {"TwoHosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "", "§3.2 more than one Host", beast_no_host},
      {"TheSameHostTwice", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400, "", "§3.2 more than one Host line",
       beast_no_host},
      {"TwoHostsInHttp10", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400, "", "§3.2 (any request)",
       beast_no_host},
      {"HostWithASpace", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400, "", "§3.2 Host = uri-host [ \":\" port ]",
       beast_no_host},
      {"HostWithAPath", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400, "", "RFC 3986 §3.2.2 reg-name", beast_no_host},
      {"HostWithUserinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", 400, "", "§3.2 (no userinfo)", beast_no_host},
      {"HostWithABadPort", "GET / HTTP/1.1\r\nHost: a:8o\r\n\r\n", 400, "", "RFC 3986 §3.2.3 port = *DIGIT",
       beast_no_host},
      {"HostWithAnOpenIpv6Literal", "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400, "", "RFC 3986 §3.2.2 IP-literal",
       beast_no_host},

      // ---- the request target (§3.2, RFC 3986) -----------------------------------------
      {"NulInTheTarget", "GET /a\0b HTTP/1.1\r\nHost: a\r\n\r\n"s, 400, "", "§3.2, RFC 3986 §3.3", ""},
      {"ControlByteInTheTarget", "GET /a\x01" "b HTTP/1.1\r\nHost: a\r\n\r\n", 400, "", "§3.2", ""},
      {"DelInTheTarget", "GET /a\x7f" "b HTTP/1.1\r\nHost: a\r\n\r\n", 400, "", "§3.2", ""},
      {"RawUtf8InTheTarget", "GET /caf\xC3\xA9 HTTP/1.1\r\nHost: a\r\n\r\n", 400, "",
       "RFC 3986 §2 (non-ASCII is percent-encoded)", beast_target},
      {"FragmentInTheTarget", "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", 400, "", "§3.2.1 origin-form has no fragment",
       beast_target},
      {"BraceInTheTarget", "GET /a?q={} HTTP/1.1\r\nHost: a\r\n\r\n", 400, "", "RFC 3986 §3.4 query", beast_target},
      {"BackslashInTheTarget", "GET /a\\..\\b HTTP/1.1\r\nHost: a\r\n\r\n", 400, "", "RFC 3986 §3.3 pchar",
       beast_target},
      {"BadPercentEncoding", "GET /a%zz HTTP/1.1\r\nHost: a\r\n\r\n", 400, "", "RFC 3986 §2.1 pct-encoded",
       beast_target},
      {"TargetNotStartingWithASlash", "GET a/b HTTP/1.1\r\nHost: a\r\n\r\n", 400, "", "§3.2 request-target forms",
       beast_target},
      {"AsteriskFormForGet", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400, "", "§3.2.4 asterisk-form only for OPTIONS",
       beast_target},
      {"AuthorityFormForGet", "GET crm.example:443 HTTP/1.1\r\nHost: a\r\n\r\n", 400, "",
       "§3.2.3 authority-form only for CONNECT", beast_target},
      {"ConnectIsNotServed", "CONNECT crm.example:443 HTTP/1.1\r\nHost: crm.example:443\r\n\r\n", 501, "",
       "RFC 9110 §9.3.6 (an origin server, not a proxy)", "Beast reads CONNECT like any request"},
      {"AbsoluteFormWithoutAHost", "GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n", 400, "",
       "RFC 9110 §4.2.1 an http URI with an empty host MUST be rejected", beast_target},
      {"AbsoluteFormOfAnotherScheme", "GET ftp://a/x HTTP/1.1\r\nHost: a\r\n\r\n", 400, "",
       "§3.2.2 (an origin server serves http and https)", beast_target},
      {"TwoSpacesAfterTheMethod", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "", "§3 single SP", ""},
      {"TabInTheTarget", "GET /a\tb HTTP/1.1\r\nHost: a\r\n\r\n", 400, "", "§3", ""},

      // ---- body framing (§6) ----------------------------------------------------------
      {"ContentLengthAndChunked", post + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "",
       "§6.3 rule 3 (ought to be an error; close)", ""},
      {"ChunkedAndContentLength", post + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n", 400, "",
       "§6.3 rule 3", ""},
      {"OtherCodingAndContentLength", post + "Transfer-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabc", 400, "",
       "§6.3 rule 3",
       "Beast 1.74 sets no flag for a coding other than chunked and frames by Content-Length (fixed upstream, PR "
       "#3098)"},
      {"TwoDifferentContentLengths", post + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400, "",
       "§6.3 rule 5", ""},
      {"ContentLengthList", post + "Content-Length: 2, 2\r\n\r\nok", 400, "",
       "RFC 9110 §8.6 (a recipient MAY take a list of equal values; we take none)",
       "Beast takes a list of equal Content-Length values"},
      {"SignedContentLength", post + "Content-Length: +2\r\n\r\nok", 400, "", "RFC 9110 §8.6 1*DIGIT", ""},
      {"HugeContentLength", post + "Content-Length: 99999999999999999999\r\n\r\n", 400, "", "§6.3 rule 5 (overflow)",
       ""},
      {"ChunkedInHttp10", "POST /x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "",
       "§6.1 HTTP/1.0 with Transfer-Encoding: faulty framing",
       "Beast reads chunked framing from an HTTP/1.0 client"},
      {"CodingWithoutChunked", post + "Transfer-Encoding: gzip\r\n\r\n", 400, "", "§6.3 rule 4 chunked not final: 400",
       beast_te},
      {"ChunkedNotLast", post + "Transfer-Encoding: chunked, gzip\r\n\r\n", 400, "", "§6.3 rule 4", beast_te},
      {"LookalikeOfChunked", post + "Transfer-Encoding: xchunked\r\n\r\n", 400, "", "§6.3 rule 4", beast_te},
      {"UnknownCodingBeforeChunked", post + "Transfer-Encoding: gzip, chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", 501, "",
       "§6.1 SHOULD 501 for a coding not understood",
       "Beast decodes the chunked layer and leaves gzip to the application"},
      {"TwoTransferEncodingLines", post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
       400, "", "§6.1 (chunked MUST NOT be applied twice)", ""},
      {"ControlByteAfterChunked", post + "Transfer-Encoding: chunked\x0b\r\n\r\n0\r\n\r\n", 400, "",
       "RFC 9110 §5.5", ""},

      // ---- versions and methods ---------------------------------------------------------
      {"Http2RequestLine", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505, "", "RFC 9110 §15.6.6", ""},
      {"LowerCaseVersion", "GET / http/1.1\r\nHost: a\r\n\r\n", 400, "", "§2.3 HTTP-name is case-sensitive", ""},
      {"LongVersion", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", 400, "", "§2.3 HTTP-version = HTTP-name \"/\" DIGIT \".\" DIGIT",
       ""},
      {"MethodNotAToken", "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "", "§3.1 method = token", ""},

      // ---- limits (RFC 6585 §5: 431 for header fields too large) ----------------------------
      {"OneFieldOverTheLimit", get + "X-Pad: " + std::string(9000, 'x') + "\r\n\r\n", 431, "", "RFC 6585 §5",
       beast_line},
      {"TooManyFields",
       [&] {
         std::string w = get;
         for (int i = 0; i < 101; ++i) w += "X-" + std::to_string(i) + ": 1\r\n";
         return w + "\r\n";
       }(),
       431, "", "RFC 6585 §5 (the fields collectively)", "Beast has no limit on the number of fields"},
      {"HeadOverTheLimit",
       [&] {
         std::string w = get;
         for (int i = 0; i < 10; ++i) w += "X-" + std::to_string(i) + ": " + std::string(8000, 'h') + "\r\n";
         return w + "\r\n";
       }(),
       431, "", "RFC 6585 §5", ""},
  };
}

}  // namespace salescore::http::smuggling
