// Reading shop JSON (Poco::JSON) without surprises: a field of the wrong type or a
// missing one reads as "" / null, numbers keep their shortest decimal form ("19.99"), and
// ISO 8601 instants become ms since the epoch, naive ones taken as UTC (GMT fields).
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>

namespace salescore::webshop {

using JsonObject = Poco::JSON::Object::Ptr;
using JsonArray = Poco::JSON::Array::Ptr;

// Parses a document whose top is an object; throws ShopDataError naming `what`.
JsonObject parse_object(const std::string& text, const std::string& what);
JsonArray parse_array(const std::string& text, const std::string& what);

JsonObject object_at(const JsonObject& o, const std::string& key);  // null when absent or not an object
JsonArray array_at(const JsonObject& o, const std::string& key);
JsonObject object_in(const JsonArray& a, unsigned i);
// A string as is, a number as its shortest decimal text, true/false, else "".
std::string text_at(const JsonObject& o, const std::string& key);
// text_at, but "" becomes `fallback`.
std::string text_or(const JsonObject& o, const std::string& key, const std::string& fallback);
// A required id: throws ShopDataError("<what>: no <key>") when empty.
std::string required_text(const JsonObject& o, const std::string& key, const std::string& what);

// "2026-11-22T21:18:35.141Z", "2026-11-22T21:18:35", "...+03:00" -> ms; nullopt if not one.
std::optional<std::int64_t> iso_ms(const std::string& text);
// ms -> "2026-11-22T21:18:35Z" (no fraction) or with `naive`, "2026-11-22T21:18:35".
std::string iso_text(std::int64_t ms, bool naive = false);

// Decimal text arithmetic for amounts in minor units of 1/10^6 (enough for any currency).
std::optional<std::int64_t> micro_units(const std::string& decimal);
std::string micro_text(std::int64_t micro);

// Base64 of bytes, and the URL-escaping of a query value.
std::string base64(const std::string& bytes);
std::string url_escape(const std::string& value);

}  // namespace salescore::webshop
