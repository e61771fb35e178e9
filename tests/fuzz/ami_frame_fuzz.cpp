// libFuzzer target: the AMI frame parser fed any bytes whole and in pieces (the first
// input byte picks the piece size), and the call assembler fed what it frames. A broken
// property (telephony_checks.h) aborts with its description; ASan and UBSan catch the rest.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "telephony_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t piece = 1 + data[0] % 32;
  const std::string broken = salescore::telephony::checks::ami_properties(
      std::string_view(reinterpret_cast<const char*>(data + 1), size - 1), piece);
  if (!broken.empty()) {
    std::fprintf(stderr, "property broken: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
