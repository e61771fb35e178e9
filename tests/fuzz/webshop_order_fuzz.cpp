// libFuzzer target: each shop platform's order, order-page and webhook reading
// (connectors/webshop), fed any bytes. A broken property (webshop_checks.h) aborts with
// its description; ASan and UBSan catch the rest.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "webshop_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string broken =
      salescore::webshop::fuzz::check_webshop_input(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!broken.empty()) {
    std::fprintf(stderr, "property broken: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
