#include "mail_text.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace salescore::email {
namespace {

bool convert(std::string_view bytes, const char* charset, std::string& out) {
  gsize written = 0;
  GError* error = nullptr;
  gchar* utf8 = g_convert(bytes.data(), static_cast<gssize>(bytes.size()), "UTF-8", charset, nullptr, &written,
                          &error);
  if (!utf8) {
    g_clear_error(&error);
    return false;
  }
  // glibc's iconv passes from "UTF-8" to UTF-8 what GLib calls invalid (F4 90 80 80, past
  // U+10FFFF), and GMime resolves a mangled label to UTF-8 ("ut\xb2f8"): such a text
  // part reached the record as invalid UTF-8 (fuzz finding of 2026-12-08). What is not
  // UTF-8 in the result is replaced, the rest kept.
  if (g_utf8_validate(utf8, static_cast<gssize>(written), nullptr)) {
    out.assign(utf8, written);
  } else {
    gchar* valid = g_utf8_make_valid(utf8, static_cast<gssize>(written));
    out = valid;
    g_free(valid);
  }
  g_free(utf8);
  return true;
}

}  // namespace

std::string valid_utf8(std::string_view s) {
  std::string in(s);
  in.erase(std::remove(in.begin(), in.end(), '\0'), in.end());
  if (g_utf8_validate(in.data(), static_cast<gssize>(in.size()), nullptr)) return in;
  gchar* valid = g_utf8_make_valid(in.data(), static_cast<gssize>(in.size()));
  std::string out = valid;
  g_free(valid);
  return out;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string to_utf8(std::string_view raw, std::string_view charset) {
  // NUL is no text in any charset a letter uses, and it would end the text early in C
  // APIs downstream: dropped (found by the fuzz target).
  std::string without_nul(raw);
  without_nul.erase(std::remove(without_nul.begin(), without_nul.end(), '\0'), without_nul.end());
  const std::string_view bytes = without_nul;
  std::string out;
  const std::string label = ascii_lower(charset);
  if (label.empty() || label == "us-ascii" || label == "utf-8" || label == "utf8") {
    if (g_utf8_validate(bytes.data(), static_cast<gssize>(bytes.size()), nullptr)) return std::string(bytes);
  } else if (convert(bytes, g_mime_charset_iconv_name(label.c_str()), out)) {
    return out;
  }
  if (g_utf8_validate(bytes.data(), static_cast<gssize>(bytes.size()), nullptr)) return std::string(bytes);
  // Unlabelled 8-bit text in this trade is Russian or Chinese far more often than not.
  // windows-1251 and KOI8-R both read any byte: Russian text is mostly lower-case, which
  // KOI8-R puts at 0xC0-0xDF and windows-1251 at 0xE0-0xFF.
  std::size_t koi8_lower = 0, cp1251_lower = 0;
  for (unsigned char c : bytes) {
    if (c >= 0xC0 && c <= 0xDF) ++koi8_lower;
    if (c >= 0xE0) ++cp1251_lower;
  }
  const char* first = koi8_lower > cp1251_lower ? "koi8-r" : "windows-1251";
  for (const char* guess : {first, "windows-1251", "gb18030"})
    if (convert(bytes, guess, out)) return out;
  gchar* valid = g_utf8_make_valid(bytes.data(), static_cast<gssize>(bytes.size()));
  out = valid;
  g_free(valid);
  return out;
}

std::string html_to_text(std::string_view html) {
  std::string out;
  std::size_t i = 0;
  auto starts = [&](std::size_t at, const char* word) {
    std::size_t n = std::strlen(word);
    if (at + n > html.size()) return false;
    for (std::size_t k = 0; k < n; ++k)
      if (std::tolower(static_cast<unsigned char>(html[at + k])) != word[k]) return false;
    return true;
  };
  while (i < html.size()) {
    char c = html[i];
    if (c == '<') {
      for (const char* skipped : {"script", "style"}) {
        if (starts(i + 1, skipped)) {
          std::size_t end = html.find(std::string("</") + skipped, i);
          if (end == std::string_view::npos) end = html.size();
          i = end;
          break;
        }
      }
      for (const char* breaking : {"br", "p", "/p", "div", "/div", "li", "tr", "h1", "h2", "h3"})
        if (starts(i + 1, breaking) && (out.empty() || out.back() != '\n')) {
          out += '\n';
          break;
        }
      std::size_t end = html.find('>', i);
      i = end == std::string_view::npos ? html.size() : end + 1;
      continue;
    }
    if (c == '&') {
      static const std::pair<const char*, const char*> kEntities[] = {
          {"&nbsp;", " "}, {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}};
      bool done = false;
      for (auto [name, text] : kEntities)
        if (starts(i, name)) {
          out += text;
          i += std::strlen(name);
          done = true;
          break;
        }
      if (done) continue;
    }
    if (c == '\r') {
      ++i;
      continue;
    }
    if ((c == ' ' || c == '\n' || c == '\t') && !out.empty() && (out.back() == ' ' || out.back() == '\n')) {
      ++i;
      continue;
    }
    out += c == '\n' || c == '\t' ? ' ' : c;
    ++i;
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
  std::size_t start = out.find_first_not_of(" \n");
  return start == std::string::npos ? "" : out.substr(start);
}

}  // namespace salescore::email
