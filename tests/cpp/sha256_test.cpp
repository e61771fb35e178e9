// salescore::Sha256 (libcrypto) gives the digests Poco's SHA2Engine gave before it: the
// content keys already in connector inboxes ("content:sha256:<hex>") must keep matching.
#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <gtest/gtest.h>

#include <string>

#include "salescore/sha256.h"

namespace salescore::testing {
namespace {

std::string poco_sha256(const std::string& bytes) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(bytes.data(), static_cast<unsigned>(bytes.size()));
  return Poco::DigestEngine::digestToHex(sha.digest());
}

std::string ours(const std::string& bytes) {
  Sha256 sha;
  sha.update(bytes);
  return sha.hex();
}

TEST(Sha256, KnownDigestsAndPocosAgree) {
  EXPECT_EQ(ours(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(ours("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::string letter;
  for (int i = 0; i < 100000; ++i) letter += static_cast<char>(i * 7 + i / 256);
  for (const std::string& text : {std::string(""), std::string("abc"), std::string("Счёт №42\0и далее", 24), letter})
    EXPECT_EQ(ours(text), poco_sha256(text)) << text.size() << " bytes";
}

TEST(Sha256, PiecesHashAsTheWhole) {
  Sha256 pieces;
  pieces.update("order");
  pieces.update(std::string_view("\0", 1));
  pieces.update("{\"total\":100}");
  EXPECT_EQ(pieces.hex(), ours(std::string("order\0{\"total\":100}", 19)));
}

}  // namespace
}  // namespace salescore::testing
