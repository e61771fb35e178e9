// libFuzzer target: the cloud-PBX webhook handlers over any body (the first byte picks
// Zadarma's form or Mango's json, and for Mango events/summary or events/recording),
// signed correctly so the parsing behind the check runs.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "webhook_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string broken = salescore::telephony::checks::webhook_properties(
      std::string_view(reinterpret_cast<const char*>(data + 1), size - 1), data[0] & 1, data[0] & 2);
  if (!broken.empty()) {
    std::fprintf(stderr, "property broken: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
