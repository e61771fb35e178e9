// libFuzzer target: the e-mail connector's message parser (GMime with our work-arounds,
// charset conversion, HTML to text, the interaction record), fed any bytes as a message.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "mail_parse_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The connector's size cap keeps big messages away from the parser; so does the fuzzer.
  if (size > 256 * 1024) return 0;
  const std::string raw(reinterpret_cast<const char*>(data), size);
  const std::string broken = salescore::email::fuzz::check_mail_properties(raw);
  if (!broken.empty()) {
    std::fprintf(stderr, "property broken: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
