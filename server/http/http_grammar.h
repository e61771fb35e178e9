// The pieces of the HTTP/1.1 grammar (RFC 9110, RFC 9112) and the URI grammar (RFC
// 3986) that the request parser and the chunked decoder check what they read against.
// Each answers "is this well-formed", nothing more: no decoding, no allocation except
// for the error texts.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace salescore::http::grammar {

// RFC 9110 5.6.2 tchar, and token = 1*tchar: a method, a field name, a chunk-ext-name.
bool is_tchar(unsigned char c);
bool is_token(std::string_view s);

// RFC 9110 5.5 field-value without its surrounding whitespace: visible ASCII, obs-text
// (bytes >= 0x80), and SP / HTAB between them. No control byte, no DEL.
bool is_field_value(std::string_view s);

// RFC 9112 3.2: what is wrong with `target` as the request target of `method`, or empty
// when nothing is. Accepted: origin-form ("/path?query") for every method, absolute-form
// with an http or https scheme and a host, and "*" for OPTIONS. Every byte must be one
// RFC 3986 allows there (no control byte, DEL, space, '#', raw byte >= 0x80, stray '%'),
// so nothing else reaches the router or the access log.
std::string request_target_error(std::string_view method, std::string_view target);

// RFC 9112 3.2 Host = uri-host [ ":" port ] (RFC 3986 3.2.2-3.2.3); may be empty.
bool is_host(std::string_view value);

// RFC 9112 7.1.1: `ext` (what follows the chunk size on its line, before CRLF) is
// *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ), a value being a token
// or a quoted-string.
bool is_chunk_ext(std::string_view ext);

// `s` cut to `max` bytes for an error message, with every byte that is not printable
// ASCII shown as \xHH: a reason goes back to the client and into the log as text.
std::string printable(std::string_view s, std::size_t max = 64);

}  // namespace salescore::http::grammar
