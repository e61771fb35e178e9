// Work-arounds for decoder bugs of GMime 3.2.13, the version Debian 12 ships (fixed in
// 3.2.14, which Debian does not have). tests/plugins/email_parse_test.cpp shows each bug on
// the installed library and the work-around beside it.
#pragma once

#include <string>
#include <string_view>

namespace salescore::email {

// jstedfast/gmime#133: of adjacent base64 encoded words the second is lost after a word
// ending in '=' padding ("=?UTF-8?B?SGVsbG8=?= =?UTF-8?B?IHdvcmxk?=" reads "Hello"), which
// cut folded Cyrillic subjects in half. Joins each run of base64 words in one charset,
// separated only by white space, into one word, so GMime decodes one word. Joining the
// raw bytes first also mends a character split across two words.
std::string join_base64_words(std::string_view header);

// jstedfast/gmime#150: base64 with '=' inside the stream (parts written in chunks) stops at
// the first padding: "Vkk=\nUlVTISE=" reads "VI" instead of "VIRUS!!". Decodes the part's
// transfer encoding with GLib's decoder instead, which reads on past the padding.
std::string decode_base64(std::string_view encoded);

}  // namespace salescore::email
