// libexpat driven directly, set up for files that come from the network: no external
// entity is ever fetched, expat's own limits on entity expansion stay on, and besides
// what expat knows itself (UTF-8 with or without BOM, UTF-16, Latin-1, ASCII) it reads
// windows-1251. Names keep their prefixes: there is no namespace processing.
//
// Element names reach the handler as expat's own NUL-terminated buffers, so matching
// them costs no allocation; the stream is read straight into expat's input buffer.
#pragma once

#include <expat.h>

#include <exception>
#include <istream>

#include "commerceml.h"

namespace salescore::onec {

class ExpatParser {
 public:
  ExpatParser();
  ~ExpatParser();
  ExpatParser(const ExpatParser&) = delete;
  ExpatParser& operator=(const ExpatParser&) = delete;

  // Sends what is parsed to `handler` (which must outlive parse()):
  //   handler.start(const char* name, const char** attributes)  name/value pairs, null-ended
  //   handler.end()                                             the element last started
  //   handler.text(const char* data, int size)                  UTF-8, in pieces
  template <class Handler>
  void deliver_to(Handler& handler) {
    handler_ = &handler;
    XML_SetElementHandler(parser_, &on_start<Handler>, &on_end<Handler>);
    XML_SetCharacterDataHandler(parser_, &on_text<Handler>);
  }

  // The longest stretch of a file parse() reads without an element starting or ending or
  // text arriving: expat keeps an unfinished tag, attribute or comment in memory whole,
  // so one 500 MB line of attributes would cost 500 MB. No CommerceML tag comes near it.
  static constexpr long long kMaxToken = 16 << 20;

  // Reads the whole stream. False, with `error` filled, on XML expat refuses (the line
  // it reports), a read error, or an exception a handler threw (the line being parsed).
  bool parse(std::istream& in, ParseError& error);

 private:
  // An exception must not unwind through expat's C frames: it is caught here, the parser
  // is stopped and parse() reports it. The few callbacks expat still makes after a stop
  // are skipped, so the handler never sees events past its failure.
  template <class Work>
  void guarded(Work&& work) noexcept {
    if (failed_) return;
    try {
      work();
    } catch (const std::exception& e) {
      fail(e.what());
    } catch (...) {
      fail("unknown error");
    }
  }
  void fail(const char* reason) noexcept;
  void report_xml_error(ParseError& error) const;

  // Where the last event began: a stretch of the file longer than kMaxToken without one
  // is a single tag, attribute or comment expat would buffer whole (see parse()).
  void saw_event() noexcept { last_event_ = XML_GetCurrentByteIndex(parser_); }

  template <class Handler>
  static void XMLCALL on_start(void* self, const XML_Char* name, const XML_Char** attributes) {
    auto& p = *static_cast<ExpatParser*>(self);
    p.saw_event();
    p.guarded([&] { static_cast<Handler*>(p.handler_)->start(name, attributes); });
  }
  template <class Handler>
  static void XMLCALL on_end(void* self, const XML_Char*) {
    auto& p = *static_cast<ExpatParser*>(self);
    p.saw_event();
    p.guarded([&] { static_cast<Handler*>(p.handler_)->end(); });
  }
  template <class Handler>
  static void XMLCALL on_text(void* self, const XML_Char* data, int size) {
    auto& p = *static_cast<ExpatParser*>(self);
    p.saw_event();
    p.guarded([&] { static_cast<Handler*>(p.handler_)->text(data, size); });
  }

  XML_Parser parser_;
  void* handler_ = nullptr;
  bool failed_ = false;
  ParseError failure_;
  long long fed_ = 0;         // bytes given to expat so far
  long long last_event_ = 0;  // the byte offset of the last event (saw_event)
};

}  // namespace salescore::onec
