// The one shape of every libFuzzer target here: a check function of tests/fuzz/*_checks.h
// takes the input's bytes and returns empty when every property holds, else the one that
// does not; the target aborts with it (ASan and UBSan catch what is not a property).
// FuzzCorpora (fuzz_corpus_test.cpp) calls the same functions on the checked-in seeds.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#define SALESCORE_FUZZ_TARGET(check)                                                          \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {         \
    const std::string broken = check(std::string_view(reinterpret_cast<const char*>(data), size)); \
    if (!broken.empty()) {                                                                    \
      std::fprintf(stderr, "property broken: %s\n", broken.c_str());                          \
      std::abort();                                                                           \
    }                                                                                         \
    return 0;                                                                                 \
  }
