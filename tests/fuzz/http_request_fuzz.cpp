// libFuzzer target: the HTTP request head parser and the chunked decoder, fed any bytes
// whole and in pieces (the first input byte picks the piece size). A broken property
// (http_request_checks.h) aborts with its description; ASan and UBSan catch the rest.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "http_request_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t piece = 1 + data[0] % 16;
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string broken = salescore::http::wire::check_request_properties(bytes, piece);
  if (!broken.empty()) {
    std::fprintf(stderr, "property broken: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
