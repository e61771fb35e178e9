// The AMI wire format (docs.asterisk.org, "AMI v2 Specification"): a banner line, then
// messages of "Key: Value" lines ended by an empty line, CRLF or LF. The parser takes the
// bytes as the socket gives them, in any pieces, and hands out whole messages; it never
// blocks and keeps at most one message's bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace salescore::telephony {

// One message: an event ("Event: Hangup"), a response ("Response: Success") or, first on
// a connection, the banner ("Asterisk Call Manager/11.0.0", kept as a header named "").
struct AmiFrame {
  std::vector<std::pair<std::string, std::string>> headers;
  // The first value of `key` (AMI keys are case-insensitive), or "" when absent.
  std::string_view get(std::string_view key) const;
  bool has(std::string_view key) const;
  std::string_view event() const { return get("Event"); }
};

struct AmiLimits {
  std::size_t max_line = 16 * 1024;  // a longer line is cut and counted as malformed
  std::size_t max_headers = 512;     // a longer message is ended there
};

class AmiFrameParser {
 public:
  explicit AmiFrameParser(AmiLimits limits = {}) : limits_(limits) {}
  // Feeds bytes; every message completed by them is appended to `out`.
  void feed(std::string_view bytes, std::vector<AmiFrame>& out);
  // Lines that were not "Key: Value" (a garbage line, an over-long line): skipped, counted.
  std::size_t malformed_lines() const { return malformed_; }
  // Forgets a half-read message (a new connection starts with a banner again).
  void reset();

 private:
  void line(std::string_view text, std::vector<AmiFrame>& out);

  AmiLimits limits_;
  std::string partial_;    // the bytes of an unfinished line
  bool overlong_ = false;  // the unfinished line passed max_line and is being skipped
  bool banner_expected_ = true;
  AmiFrame current_;
  std::size_t malformed_ = 0;
};

}  // namespace salescore::telephony
