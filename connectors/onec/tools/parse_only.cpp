// onec_parse_only FILE...: reads CommerceML files with the connector's streaming reader
// and nothing else (no records, no database): the limit `bench/run onec` compares the
// import with. Prints "products=N offers=M" and exits 1 on a parse error.
#include <fstream>
#include <iostream>

#include "commerceml.h"

int main(int argc, char** argv) {
  using namespace salescore::onec;
  Classifier classifier;
  long long products = 0, offers = 0;
  CommerceMlSink sink;
  sink.product = [&](const Product&) { ++products; };
  sink.offer = [&](const Offer&) { ++offers; };
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    FileFacts facts;
    ParseError error;
    if (!in || !read_commerceml(in, classifier, sink, facts, error)) {
      std::cerr << argv[i] << ": line " << error.line << ": " << error.reason << "\n";
      return 1;
    }
  }
  std::cout << "products=" << products << " offers=" << offers << "\n";
  return 0;
}
