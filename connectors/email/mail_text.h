// Turning a MIME part's bytes into UTF-8 text: its charset through iconv (GMime's names,
// so gb2312 reads as GBK), the usual suspects when the label is missing or wrong, and the
// text of an HTML-only letter for search.
#pragma once

#include <string>
#include <string_view>

namespace salescore::email {

// `bytes` in `charset` as UTF-8. An empty or unknown charset, or bytes that are not in
// it, fall back to UTF-8, windows-1251, KOI8-R and GB18030 in that order; what none reads
// is kept with the bad bytes replaced.
std::string to_utf8(std::string_view bytes, std::string_view charset);

// `s` as valid UTF-8 without NUL: bad bytes replaced (raw 8-bit Message-IDs, addresses).
std::string valid_utf8(std::string_view s);

// `s` with ASCII letters lower-cased (charset names, e-mail addresses).
std::string ascii_lower(std::string_view s);

// The readable text of an HTML document: tags dropped, <br>/<p>/<div>/<li>/<tr> as line
// breaks, script and style left out, the common entities decoded.
std::string html_to_text(std::string_view html);

}  // namespace salescore::email
