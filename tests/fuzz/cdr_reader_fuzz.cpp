// libFuzzer target: the Master.csv reader and the grouping of its rows into calls.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "telephony_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string broken =
      salescore::telephony::checks::cdr_properties(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!broken.empty()) {
    std::fprintf(stderr, "property broken: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
