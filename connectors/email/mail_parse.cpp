// Reading a message with GMime 3: tolerant of what mailers really send (raw 8-bit headers,
// loose RFC 2047, RFC 2231 names), with the 3.2.13 decoder bugs worked around
// (gmime_workarounds.h). Nothing read from the message is ever written back out through
// GMime's encoders, whose parameter encoder loops on some fuzzed Content-Types (gmime#165).
#include <gmime/gmime.h>

#include <Poco/DigestEngine.h>
#include <openssl/evp.h>

#include <cstring>

#include "gmime_workarounds.h"
#include "mail_text.h"
#include "parsed_mail.h"

namespace salescore::email {
namespace {

GMimeParserOptions* parser_options() {
  static GMimeParserOptions* options = [] {
    g_mime_init();
    GMimeParserOptions* o = g_mime_parser_options_new();
    g_mime_parser_options_set_rfc2047_compliance_mode(o, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_parameter_compliance_mode(o, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_address_compliance_mode(o, GMIME_RFC_COMPLIANCE_LOOSE);
    // Raw 8-bit headers: Russian and Chinese mailers that never heard of RFC 2047.
    const char* fallback[] = {"utf-8", "windows-1251", "koi8-r", "gb18030", nullptr};
    g_mime_parser_options_set_fallback_charsets(o, fallback);
    return o;
  }();
  return options;
}

template <class T>
struct GUnref {
  T* p;
  ~GUnref() {
    if (p) g_object_unref(p);
  }
};

// libcrypto's SHA-256 (the CPU's SHA instructions where it has them): Poco's portable one
// took a tenth of an e-mail sync's CPU, hashing every body and attachment.
std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr) != 1) return "";
  return Poco::DigestEngine::digestToHex(Poco::DigestEngine::Digest(digest, digest + size));
}

// A MIME type is an ASCII token (RFC 2045). GMime converts a raw 8-bit Content-Type with
// the fallback charsets, and glibc's UTF-8 "conversion" passes bytes GLib calls invalid
// (F4 90 80 80, five-byte forms): such a type reached the record as invalid UTF-8 (the
// fuzz finding of 2026-12-07). Anything but an ASCII type/subtype is no type we know.
std::string mime_type_token(std::string_view mime) {
  for (unsigned char c : mime)
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') return "application/octet-stream";
  return ascii_lower(mime);
}

std::string header(GMimeObject* o, const char* name) {
  const char* v = g_mime_object_get_header(o, name);
  return v ? v : "";
}

// The header's value as sent (GMime's get_header decodes it already, through the buggy
// decoder), unfolded.
std::string raw_header(GMimeObject* o, const char* name) {
  GMimeHeader* h = g_mime_header_list_get_header(g_mime_object_get_header_list(o), name);
  const char* v = h ? g_mime_header_get_raw_value(h) : nullptr;
  if (!v) return "";
  std::string out;
  for (const char* c = v; *c; ++c)
    if (*c != '\r' && *c != '\n') out += *c;
  return out;
}

std::string decoded_text(const std::string& raw) {
  if (raw.empty()) return "";
  // A raw 8-bit header (no encoded words): read by the same guess as an unlabelled body,
  // before GMime, whose fallback list would take any such bytes for windows-1251.
  std::string joined = join_base64_words(
      g_utf8_validate(raw.data(), static_cast<gssize>(raw.size()), nullptr) ? raw : to_utf8(raw, ""));
  char* text = g_mime_utils_header_decode_text(parser_options(), joined.c_str());
  std::string out = valid_utf8(text ? text : "");
  g_free(text);
  // Unfold and trim: a subject is one line.
  std::string line;
  for (char c : out)
    if (c != '\r' && c != '\n') line += c == '\t' ? ' ' : c;
  std::size_t b = line.find_first_not_of(' '), e = line.find_last_not_of(' ');
  return b == std::string::npos ? "" : line.substr(b, e - b + 1);
}

void add_addresses(InternetAddressList* list, std::vector<MailAddress>& out) {
  if (!list) return;
  for (int i = 0; i < internet_address_list_length(list); ++i) {
    InternetAddress* a = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(a)) {
      add_addresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)), out);
      continue;
    }
    const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
    if (!addr || !*addr || !std::strchr(addr, '@')) continue;
    const char* name = internet_address_get_name(a);
    out.push_back({valid_utf8(name ? name : ""), valid_utf8(ascii_lower(addr))});
  }
}

// Addresses of a header read from its raw value, so that encoded display names go
// through the same work-around as the subject.
std::vector<MailAddress> addresses(GMimeObject* o, const char* name) {
  std::vector<MailAddress> out;
  std::string raw = raw_header(o, name);
  if (raw.empty()) return out;
  InternetAddressList* list = internet_address_list_parse(parser_options(), join_base64_words(raw).c_str());
  add_addresses(list, out);
  if (list) g_object_unref(list);
  return out;
}

std::string message_id_of(const std::string& raw) {
  if (raw.empty()) return "";
  char* id = g_mime_utils_decode_message_id(raw.c_str());
  std::string out = valid_utf8(id ? id : "");
  g_free(id);
  return out;
}

// The decoded content of a leaf part, base64 through GLib (gmime#150).
std::string part_bytes(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (!content) return "";
  GMimeStream* mem = g_mime_stream_mem_new();
  GUnref<GMimeStream> guard{mem};
  const bool base64 = g_mime_data_wrapper_get_encoding(content) == GMIME_CONTENT_ENCODING_BASE64;
  if (base64) {
    g_mime_stream_write_to_stream(g_mime_data_wrapper_get_stream(content), mem);
    g_mime_stream_reset(g_mime_data_wrapper_get_stream(content));
  } else {
    g_mime_data_wrapper_write_to_stream(content, mem);
  }
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
  std::string out(reinterpret_cast<const char*>(bytes->data), bytes->len);
  return base64 ? decode_base64(out) : out;
}

struct Walk {
  ParsedMail* mail;
  std::string plain, html;
  std::uint64_t keep_bytes = 0;
};

void visit_part(GMimeObject*, GMimeObject* part, gpointer data) {
  auto* walk = static_cast<Walk*>(data);
  if (!GMIME_IS_PART(part)) return;  // containers: their children are visited
  GMimePart* leaf = GMIME_PART(part);
  GMimeContentType* type = g_mime_object_get_content_type(part);
  const char* file_name = g_mime_part_get_filename(leaf);
  const bool text = type && g_mime_content_type_is_type(type, "text", "*");
  if (g_mime_part_is_attachment(leaf) || (file_name && *file_name) || !text) {
    MailAttachment a;
    a.file_name = file_name ? decoded_text(file_name) : "";
    if (type) {
      char* mime = g_mime_content_type_get_mime_type(type);
      a.content_type = mime_type_token(mime ? mime : "");
      g_free(mime);
    }
    std::string bytes = part_bytes(leaf);
    a.size = bytes.size();
    a.sha256 = sha256_hex(bytes);
    if (a.size <= walk->keep_bytes) a.content = std::move(bytes);
    walk->mail->attachments.push_back(std::move(a));
    return;
  }
  const char* charset = g_mime_object_get_content_type_parameter(part, "charset");
  std::string utf8 = to_utf8(part_bytes(leaf), charset ? charset : "");
  const bool is_html = g_mime_content_type_is_type(type, "text", "html");
  std::string& into = is_html ? walk->html : walk->plain;
  if (!into.empty()) into += "\n";
  into += utf8;
}

std::string automated_reason(GMimeMessage* m) {
  GMimeObject* o = GMIME_OBJECT(m);
  std::string auto_submitted = ascii_lower(header(o, "Auto-Submitted"));
  if (!auto_submitted.empty() && auto_submitted.rfind("no", 0) != 0) return "auto-submitted";
  std::string precedence = ascii_lower(header(o, "Precedence"));
  if (precedence == "bulk" || precedence == "list" || precedence == "junk" || precedence == "auto_reply")
    return "bulk";
  if (!header(o, "List-Id").empty() || !header(o, "List-Unsubscribe").empty()) return "mailing list";
  if (!header(o, "X-Autoreply").empty() || !header(o, "X-Autorespond").empty()) return "auto-submitted";
  GMimeContentType* type = g_mime_object_get_content_type(g_mime_message_get_mime_part(m));
  if (type && g_mime_content_type_is_type(type, "multipart", "report")) return "delivery report";
  if (header(o, "Return-Path") == "<>") return "delivery report";
  return "";
}

}  // namespace

std::string_view body_of(const std::string& raw) {
  for (std::string_view sep : {"\r\n\r\n", "\n\n"})
    if (auto at = raw.find(sep); at != std::string::npos) return std::string_view(raw).substr(at + sep.size());
  return {};
}

std::optional<ParsedMail> parse_mail(const std::string& raw, std::string& error, std::uint64_t keep_bytes) {
  GMimeParserOptions* options = parser_options();
  GMimeStream* stream = g_mime_stream_mem_new_with_buffer(raw.data(), raw.size());
  GUnref<GMimeStream> stream_guard{stream};
  GMimeParser* parser = g_mime_parser_new_with_stream(stream);
  GUnref<GMimeParser> parser_guard{parser};
  GMimeMessage* m = g_mime_parser_construct_message(parser, options);
  GUnref<GMimeMessage> message_guard{m};
  if (!m || !g_mime_message_get_mime_part(m)) {
    error = "not an e-mail message: no header block GMime can read";
    return std::nullopt;
  }
  GMimeObject* o = GMIME_OBJECT(m);
  if (header(o, "From").empty() && header(o, "Message-ID").empty() && header(o, "Date").empty()) {
    error = "not an e-mail message: none of From, Message-ID and Date";
    return std::nullopt;
  }
  ParsedMail mail;
  mail.message_id = message_id_of(raw_header(o, "Message-ID"));
  mail.in_reply_to = message_id_of(raw_header(o, "In-Reply-To"));
  if (std::string refs = raw_header(o, "References"); !refs.empty()) {
    GMimeReferences* list = g_mime_references_parse(options, refs.c_str());
    for (int i = 0; list && i < g_mime_references_length(list); ++i)
      mail.references.push_back(valid_utf8(g_mime_references_get_message_id(list, i)));
    if (list) g_mime_references_free(list);
  }
  mail.subject = decoded_text(raw_header(o, "Subject"));
  mail.from = addresses(o, "From");
  mail.to = addresses(o, "To");
  mail.cc = addresses(o, "Cc");
  mail.reply_to = addresses(o, "Reply-To");
  // A Date before 1970 is a forgery or a typo, and Poco prints one before 1582 as no time
  // at all ("00:00:-1"), which the host refuses: such a letter keeps its INTERNALDATE.
  if (GDateTime* date = g_mime_message_get_date(m); date && g_date_time_to_unix(date) > 0)
    mail.date_ms = g_date_time_to_unix(date) * 1000;
  mail.automated = automated_reason(m);
  Walk walk{&mail, "", "", keep_bytes};
  g_mime_message_foreach(m, visit_part, &walk);
  mail.text = !walk.plain.empty() ? walk.plain : html_to_text(walk.html);
  mail.body_sha256 = sha256_hex(body_of(raw));
  return mail;
}

}  // namespace salescore::email
