// Properties of the telephony connector's parsers of outside input, checked by the
// libFuzzer targets (ami_frame_fuzz, cdr_reader_fuzz) and, on their seed corpora, by the
// plugin tests in every run. Each returns "" or the property that broke.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ami_frame.h"
#include "call_assembler.h"
#include "cdr_reader.h"

namespace salescore::telephony::checks {

inline std::string describe(const std::vector<AmiFrame>& frames) {
  std::string out;
  for (const auto& f : frames) {
    for (const auto& [k, v] : f.headers) out += k + "=" + v + "\x1f";
    out += "\x1e";
  }
  return out;
}

// AMI: the same frames whatever the pieces the socket delivers; no key or value carries a
// line break; every frame within the header limit; the assembler takes any of them.
inline std::string ami_properties(std::string_view bytes, std::size_t piece) {
  AmiFrameParser whole, pieces;
  std::vector<AmiFrame> a, b;
  whole.feed(bytes, a);
  for (std::size_t i = 0; i < bytes.size(); i += piece) pieces.feed(bytes.substr(i, piece), b);
  if (describe(a) != describe(b)) return "frames differ when the bytes come in pieces of " + std::to_string(piece);
  if (whole.malformed_lines() != pieces.malformed_lines()) return "malformed line counts differ by piece size";
  for (const auto& f : a) {
    if (f.headers.empty() || f.headers.size() > AmiLimits{}.max_headers) return "a frame outside the header limits";
    for (const auto& [k, v] : f.headers)
      if (k.find('\n') != std::string::npos || v.find('\n') != std::string::npos) return "a line break in a header";
  }
  PbxPlan plan;
  plan.trunks = {"Local/*@trunk-in", "PJSIP/op*"};
  plan.outbound_contexts = {"outside"};
  CallAssembler assembler(plan);
  std::int64_t at = 1796607000000;
  for (const auto& f : a) assembler.on_event(f, at += 10);
  assembler.begin_resync();
  assembler.end_resync(at + 1);
  for (const auto& call : assembler.take_finished(true, true))
    if (call.key.rfind("asterisk:", 0) != 0) return "a call without its asterisk key";
  if (assembler.open_calls() != 0 || assembler.open_legs() != 0) return "a call left open after a resync and flush";
  return "";
}

// CDR: every non-empty line is a row or a named error; every call has a key and a disposition.
inline std::string cdr_properties(std::string_view text) {
  std::vector<CdrError> errors;
  const auto rows = read_cdr(text, 180, errors);
  std::size_t lines = 0;
  for (std::string_view t = text; !t.empty();) {
    const std::size_t nl = t.find('\n');
    const std::string_view line = t.substr(0, nl);
    if (!line.empty() && line != "\r") ++lines;
    t.remove_prefix(nl == std::string_view::npos ? t.size() : nl + 1);
  }
  if (rows.size() + errors.size() != lines) return "a line neither read nor named as an error";
  for (const auto& e : errors)
    if (e.reason.empty() || e.line == 0) return "an error without its line and reason";
  PbxPlan plan;
  plan.trunks = {"Local/*@trunk-in"};
  plan.outbound_contexts = {"outside"};
  for (const auto& call : calls_from_cdr(rows, plan)) {
    if (call.key.empty() || call.disposition.empty()) return "a call without key or disposition";
    if (call.answered_ms && call.disposition != "answered") return "answered time on an unanswered call";
  }
  return "";
}

}  // namespace salescore::telephony::checks
