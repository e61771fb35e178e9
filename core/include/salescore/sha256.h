// SHA-256 through OpenSSL's libcrypto, which uses the CPU's SHA instructions where it has
// them: about ten times Poco's portable SHA2Engine, which took 12% of an e-mail sync's
// CPU hashing each letter's record for its content key (bench/RESULTS.md, email).
#pragma once

#include <string>
#include <string_view>

namespace salescore {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  // The digest as 64 lower-case hex digits; the object is spent afterwards.
  std::string hex();

 private:
  struct Context;
  Context* ctx_;
};

}  // namespace salescore
