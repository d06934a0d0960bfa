#include "scanner/base/sha256.h"

#include <gtest/gtest.h>

#include <string>

namespace catscan {
namespace {

std::string Hash(const std::string& s) {
  Sha256 h;
  h.Update(s);
  return h.HexDigest();
}

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Hash(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Test, UpdatesConcatenate) {
  Sha256 h;
  h.Update("a");
  h.Update("");
  h.Update("bc");
  EXPECT_EQ(h.HexDigest(), Hash("abc"));
}

TEST(Sha256Test, HashesEmbeddedNulBytes) {
  Sha256 h;
  h.Update(std::string_view("a\0b", 3));
  EXPECT_NE(h.HexDigest(), Hash("ab"));
}

}  // namespace
}  // namespace catscan
