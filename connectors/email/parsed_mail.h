// What the connector reads out of one e-mail: the fields an interaction needs, the thread
// headers, the addresses to match clients by, and the attachments' fingerprints.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace salescore::email {

struct MailAddress {
  std::string name;     // the display name, decoded to UTF-8
  std::string address;  // lower-cased local@domain
};

struct MailAttachment {
  std::string file_name;     // decoded (RFC 2047 and RFC 2231), UTF-8
  std::string content_type;  // "application/pdf"
  std::uint64_t size = 0;    // decoded bytes
  std::string sha256;        // hex of the decoded content
  std::string content;       // the decoded bytes, when parse_mail was asked to keep them
};

struct ParsedMail {
  std::string message_id;  // without the angle brackets; "" when the message has none
  std::string in_reply_to;
  std::vector<std::string> references;
  std::string subject;     // decoded to UTF-8
  std::vector<MailAddress> from, to, cc, reply_to;
  std::int64_t date_ms = 0;  // the Date header; 0 when missing or unreadable
  std::string text;          // the text/plain body, or the HTML body as text, UTF-8
  std::vector<MailAttachment> attachments;
  std::string body_sha256;   // hex of the raw bytes after the header block
  // Why no lead may come of it: "auto-submitted", "bulk", "mailing list", "delivery report".
  std::string automated;
  bool truncated = false;    // only the header was fetched (the message is over the size cap)
};

// Parses one RFC 5322 message (as IMAP's BODY[] returns it). nullopt with `error` set
// when the bytes are no message at all (no header block); anything that is one, however
// damaged, yields what could be read.
// Attachments of up to `keep_bytes` keep their content (for the attachment store).
std::optional<ParsedMail> parse_mail(const std::string& raw, std::string& error, std::uint64_t keep_bytes = 0);

// The part of `raw` after the header block (after the first empty line).
std::string_view body_of(const std::string& raw);

}  // namespace salescore::email
