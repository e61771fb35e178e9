// Properties of the e-mail connector's message parsing that must hold for any bytes a
// mail server hands over; checked by the libFuzzer target mail_parse_fuzz and, on its
// seed corpus, by tests/plugins/email_parse_test.cpp in every test run.
#pragma once

#include <glib.h>

#include <string>

#include "interaction_record.h"
#include "parsed_mail.h"

namespace salescore::email::fuzz {

inline bool utf8(const std::string& s) { return g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr); }

// "" when every property holds, else the first one broken.
inline std::string check_mail_properties(const std::string& raw) {
  std::string error;
  auto mail = parse_mail(raw, error);
  if (!mail) return error.empty() ? "refused without a reason" : "";
  if (!utf8(mail->subject)) return "subject is not UTF-8";
  if (!utf8(mail->text)) return "text is not UTF-8";
  for (const auto& a : mail->attachments) {
    if (!utf8(a.file_name)) return "an attachment name is not UTF-8";
    for (unsigned char c : a.content_type)
      if (c <= 0x20 || c >= 0x7f) return "an attachment type is no ASCII token";
  }
  if (mail->date_ms < 0) return "a date before 1970";
  for (const auto* list : {&mail->from, &mail->to, &mail->cc})
    for (const auto& a : *list)
      if (!utf8(a.name) || !utf8(a.address) || a.address.find('@') == std::string::npos) return "a bad address";
  const std::string key = letter_key(*mail);
  if (key.empty()) return "no letter key";
  std::string again_error;
  auto again = parse_mail(raw, again_error);
  if (!again || letter_key(*again) != key) return "the letter key is not stable";
  const std::string json = interaction_json(*mail, MailboxOwner{"anna", {"anna@example.com"}, {}}, 0);
  if (!utf8(json) || json.front() != '{' || json.back() != '}') return "the record is no JSON object";
  return "";
}

}  // namespace salescore::email::fuzz
