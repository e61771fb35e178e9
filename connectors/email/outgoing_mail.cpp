#include "outgoing_mail.h"

#include <gmime/gmime.h>

#include <Poco/DigestEngine.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>

#include <stdexcept>

#include "gmime_workarounds.h"

namespace salescore::email {
namespace {

std::vector<std::string> texts(const Poco::JSON::Object::Ptr& o, const std::string& key) {
  std::vector<std::string> out;
  if (!o->has(key) || o->isNull(key)) return out;
  if (auto list = o->getArray(key)) {
    for (std::size_t i = 0; i < list->size(); ++i) out.push_back(list->getElement<std::string>(static_cast<unsigned>(i)));
  } else {
    out.push_back(o->getValue<std::string>(key));
  }
  return out;
}

std::string text(const Poco::JSON::Object::Ptr& o, const std::string& key) {
  return o->has(key) && !o->isNull(key) ? o->getValue<std::string>(key) : "";
}

GMimePart* text_part(const std::string& subtype, const std::string& body) {
  GMimeTextPart* part = g_mime_text_part_new_with_subtype(subtype.c_str());
  g_mime_text_part_set_text(part, body.c_str());  // sets charset utf-8 and a fitting encoding
  return GMIME_PART(part);
}

void add_addresses(GMimeMessage* m, GMimeAddressType type, const std::vector<std::string>& list) {
  for (const auto& a : list) g_mime_message_add_mailbox(m, type, nullptr, a.c_str());
}

}  // namespace

OutgoingMail outgoing_mail_from_json(const std::string& payload) {
  Poco::JSON::Object::Ptr o;
  try {
    o = Poco::JSON::Parser().parse(payload).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception& e) {
    throw std::invalid_argument(std::string("the email.send payload is no JSON object: ") + e.what());
  }
  OutgoingMail m;
  try {
    m.from = text(o, "from");
    m.sent_by_login = text(o, "sent_by_login");
    m.to = texts(o, "to");
    m.cc = texts(o, "cc");
    m.subject = text(o, "subject");
    m.text = text(o, "text");
    if (m.text.empty()) m.text = text(o, "body");  // the name automations used first
    m.html = text(o, "html");
    m.in_reply_to = text(o, "in_reply_to");
    m.references = texts(o, "references");
    m.automated = o->has("automated") && o->getValue<bool>("automated");
    if (auto list = o->getArray("attachments")) {
      for (std::size_t i = 0; i < list->size(); ++i) {
        auto a = list->getObject(static_cast<unsigned>(i));
        if (!a) throw std::invalid_argument("attachments[" + std::to_string(i) + "]: not an object");
        m.attachments.push_back({text(a, "name"), text(a, "content_type"), decode_base64(text(a, "base64"))});
      }
    }
  } catch (const std::invalid_argument&) {
    throw;
  } catch (const std::exception& e) {
    throw std::invalid_argument(std::string("the email.send payload has a field of the wrong type: ") + e.what());
  }
  if (m.to.empty()) throw std::invalid_argument("to: at least one recipient is required");
  for (const auto& a : m.to)
    if (a.find('@') == std::string::npos) throw std::invalid_argument("to: '" + a + "' is no e-mail address");
  if (m.text.empty() && m.html.empty()) throw std::invalid_argument("text or html: the letter has no body");
  return m;
}

std::string message_id_for(const std::string& idempotency_key, const std::string& from) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(idempotency_key);
  auto at = from.find('@');
  std::string domain = at == std::string::npos ? "salescore.invalid" : from.substr(at + 1);
  return "sc." + Poco::DigestEngine::digestToHex(sha.digest()).substr(0, 32) + "@" + domain;
}

std::string render(const OutgoingMail& mail) {
  g_mime_init();
  GMimeMessage* m = g_mime_message_new(TRUE);
  add_addresses(m, GMIME_ADDRESS_TYPE_FROM, {mail.from});
  add_addresses(m, GMIME_ADDRESS_TYPE_TO, mail.to);
  add_addresses(m, GMIME_ADDRESS_TYPE_CC, mail.cc);
  g_mime_message_set_subject(m, mail.subject.c_str(), "utf-8");
  g_mime_message_set_message_id(m, mail.message_id.c_str());
  GDateTime* date = g_date_time_new_from_unix_utc(mail.date_ms / 1000);
  g_mime_message_set_date(m, date);
  g_date_time_unref(date);
  GMimeObject* o = GMIME_OBJECT(m);
  if (!mail.in_reply_to.empty()) g_mime_object_set_header(o, "In-Reply-To", ("<" + mail.in_reply_to + ">").c_str(), nullptr);
  if (!mail.references.empty()) {
    std::string refs;
    for (const auto& r : mail.references) refs += (refs.empty() ? "<" : " <") + r + ">";
    g_mime_object_set_header(o, "References", refs.c_str(), nullptr);
  }
  // RFC 3834: an automation's letter says so, so that auto-replies do not answer it.
  if (mail.automated) g_mime_object_set_header(o, "Auto-Submitted", "auto-generated", nullptr);
  // Boundaries from the Message-ID rather than random: every attempt renders the same body.
  const std::string boundary_tag = mail.message_id.substr(0, mail.message_id.find('@'));
  GMimeObject* body = nullptr;
  if (!mail.html.empty() && !mail.text.empty()) {
    GMimeMultipart* alt = g_mime_multipart_new_with_subtype("alternative");
    g_mime_multipart_set_boundary(alt, ("=_alt_" + boundary_tag).c_str());
    GMimePart* plain = text_part("plain", mail.text);
    GMimePart* html = text_part("html", mail.html);
    g_mime_multipart_add(alt, GMIME_OBJECT(plain));
    g_mime_multipart_add(alt, GMIME_OBJECT(html));
    g_object_unref(plain);
    g_object_unref(html);
    body = GMIME_OBJECT(alt);
  } else {
    body = GMIME_OBJECT(text_part(mail.html.empty() ? "plain" : "html", mail.html.empty() ? mail.text : mail.html));
  }
  if (!mail.attachments.empty()) {
    GMimeMultipart* mixed = g_mime_multipart_new_with_subtype("mixed");
    g_mime_multipart_set_boundary(mixed, ("=_mixed_" + boundary_tag).c_str());
    g_mime_multipart_add(mixed, body);
    g_object_unref(body);
    for (const auto& a : mail.attachments) {
      std::string type = a.content_type.empty() ? "application/octet-stream" : a.content_type;
      GMimeContentType* ct = g_mime_content_type_parse(nullptr, type.c_str());
      GMimePart* part = g_mime_part_new_with_type(g_mime_content_type_get_media_type(ct),
                                                  g_mime_content_type_get_media_subtype(ct));
      g_object_unref(ct);
      GMimeStream* stream = g_mime_stream_mem_new_with_buffer(a.bytes.data(), a.bytes.size());
      GMimeDataWrapper* content = g_mime_data_wrapper_new_with_stream(stream, GMIME_CONTENT_ENCODING_DEFAULT);
      g_mime_part_set_content(part, content);
      g_object_unref(content);
      g_object_unref(stream);
      g_mime_part_set_filename(part, a.name.c_str());  // RFC 2231 for names beyond ASCII
      g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
      g_mime_multipart_add(mixed, GMIME_OBJECT(part));
      g_object_unref(part);
    }
    body = GMIME_OBJECT(mixed);
  }
  g_mime_message_set_mime_part(m, body);
  g_object_unref(body);
  GMimeFormatOptions* format = g_mime_format_options_clone(nullptr);
  g_mime_format_options_set_newline_format(format, GMIME_NEWLINE_FORMAT_DOS);
  char* rendered = g_mime_object_to_string(o, format);
  std::string out = rendered;
  g_free(rendered);
  g_mime_format_options_free(format);
  g_object_unref(m);
  return out;
}

}  // namespace salescore::email
