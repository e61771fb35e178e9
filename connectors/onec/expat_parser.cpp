#include "expat_parser.h"

#include <algorithm>
#include <new>
#include <string>

#include "windows1251.h"

namespace salescore::onec {
namespace {

// Large reads keep the per-call overhead of the stream and of expat negligible while
// the buffer still fits in L2.
constexpr int kReadSize = 256 * 1024;

// Called by expat for an encoding it does not know itself.
int XMLCALL single_byte_encoding(void*, const XML_Char* name, XML_Encoding* info) {
  if (!is_windows1251_name(name)) return XML_STATUS_ERROR;  // expat reports "unknown encoding"
  const auto& code_points = windows1251_code_points();
  std::copy(code_points.begin(), code_points.end(), info->map);
  info->data = nullptr;
  info->convert = nullptr;  // every byte is one character: the map is enough
  info->release = nullptr;
  return XML_STATUS_OK;
}

}  // namespace

ExpatParser::ExpatParser() : parser_(XML_ParserCreate(nullptr)) {
  if (!parser_) throw std::bad_alloc();
  XML_SetUserData(parser_, this);
  XML_SetUnknownEncodingHandler(parser_, &single_byte_encoding, nullptr);
  // A CommerceML file never has a DOCTYPE, and one can only change what the file says
  // without saying it: entities (undeclared ones are dropped silently when there is an
  // external subset), default attributes (<!ATTLIST Товар Статус CDATA "Удален"> marks
  // every product deleted; a default СодержитТолькоИзменения turns changes into a full
  // catalog, which deactivates the rest), entity bombs. So a DOCTYPE refuses the file,
  // with its line. Nothing external is ever read either way.
  XML_SetStartDoctypeDeclHandler(parser_, [](void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    static_cast<ExpatParser*>(self)->fail("a DOCTYPE declaration is not allowed in a CommerceML file");
  });
  XML_SetExternalEntityRefHandler(parser_, [](XML_Parser, const XML_Char*, const XML_Char*, const XML_Char*,
                                              const XML_Char*) -> int { return XML_STATUS_ERROR; });
  XML_SetParamEntityParsing(parser_, XML_PARAM_ENTITY_PARSING_NEVER);
}

ExpatParser::~ExpatParser() { XML_ParserFree(parser_); }

void ExpatParser::fail(const char* reason) noexcept {
  failed_ = true;
  failure_.line = static_cast<int>(XML_GetCurrentLineNumber(parser_));
  try {
    failure_.reason = reason;
  } catch (...) {
    failure_.reason.clear();  // out of memory for the message: the line still says where
  }
  XML_StopParser(parser_, XML_FALSE);
}

// Expat's own words, and the column: 1C writes a product per line, hundreds of
// characters long. The column is expat's (counted in characters from 0), as Poco's
// messages gave it before.
void ExpatParser::report_xml_error(ParseError& error) const {
  error.line = static_cast<int>(XML_GetCurrentLineNumber(parser_));
  error.reason = std::string(XML_ErrorString(XML_GetErrorCode(parser_))) + " (column " +
                 std::to_string(XML_GetCurrentColumnNumber(parser_)) + ")";
}

bool ExpatParser::parse(std::istream& in, ParseError& error) {
  for (;;) {
    void* buffer = XML_GetBuffer(parser_, kReadSize);
    if (!buffer) {
      report_xml_error(error);
      return false;
    }
    in.read(static_cast<char*>(buffer), kReadSize);
    const auto size = static_cast<int>(in.gcount());
    if (in.bad()) {
      error.line = static_cast<int>(XML_GetCurrentLineNumber(parser_));
      error.reason = "the file could not be read";
      return false;
    }
    const bool last = !in.good();  // a short read: the end of the file
    if (XML_ParseBuffer(parser_, size, last) != XML_STATUS_OK) {
      if (failed_) {
        error = failure_;
      } else {
        report_xml_error(error);
      }
      return false;
    }
    fed_ += size;
    if (fed_ - last_event_ > kMaxToken) {
      error.line = static_cast<int>(XML_GetCurrentLineNumber(parser_));
      error.reason = "more than " + std::to_string(kMaxToken >> 20) +
                     " MiB without an element or text ending: a tag, attribute or comment that long is no "
                     "CommerceML";
      return false;
    }
    if (last) return true;
  }
}

}  // namespace salescore::onec
