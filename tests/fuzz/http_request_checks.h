// What must hold for any bytes at all given to the request parser: the properties the
// fuzz target (http_request_fuzz.cpp) checks on every input, and a GoogleTest
// (tests/cpp/http_fuzz_corpus_test.cpp) checks on the checked-in corpus in every run.
#pragma once

#include <string>
#include <string_view>

#include "../cpp/http_wire.h"

namespace salescore::http::wire {

// Empty when every property holds for `bytes`, else the one that does not. `piece`
// (1 or more) is the size the bytes arrive in for the second reading.
inline std::string check_request_properties(std::string_view bytes, std::size_t piece) {
  const Verdict whole = read_one_request(bytes);
  const Verdict split = read_one_request(bytes, piece);
  // 1. How the bytes arrive does not change what they mean.
  if (whole.kind != split.kind) return "the verdict depends on how the bytes arrive";
  if (whole.kind == Verdict::Kind::kRefused && whole.status != split.status)
    return "the refusal's status depends on how the bytes arrive";
  if (whole.kind == Verdict::Kind::kAccepted &&
      (whole.consumed != split.consumed || whole.request.body != split.request.body ||
       whole.request.target != split.request.target))
    return "the request read depends on how the bytes arrive";
  if (whole.kind == Verdict::Kind::kRefused) {
    // 2. A refusal says why, in printable words.
    if (whole.error.empty()) return "a refusal without a reason";
    for (char c : whole.error)
      if (c < 0x20 || c >= 0x7f) return "a reason with an unprintable byte: " + whole.error;
    if (whole.status != 400 && whole.status != 414 && whole.status != 431 && whole.status != 501 &&
        whole.status != 505)
      return "an unexpected status " + std::to_string(whole.status);
  }
  if (whole.kind != Verdict::Kind::kAccepted) return {};
  const HttpRequest& r = whole.request;
  // 3. Nothing raw reaches the router or the log.
  if (r.target.empty()) return "an empty target";
  for (char ch : r.target) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f || c == '#') return "a raw byte in the target";
  }
  int hosts = 0;
  for (const auto& h : r.headers) {
    if (iequals(h.name, "Host")) ++hosts;
    for (char ch : h.value) {
      const auto c = static_cast<unsigned char>(ch);
      if ((c < 0x20 && c != '\t') || c == 0x7f) return "a control byte in a header value";
    }
  }
  // 4. RFC 9112 3.2.
  if (hosts > 1 || (r.minor_version >= 1 && hosts != 1)) return "a request read without exactly one Host";
  // 5. The message ends inside what was given.
  if (whole.consumed == 0 || whole.consumed > bytes.size()) return "a message length outside the input";
  return {};
}

}  // namespace salescore::http::wire
