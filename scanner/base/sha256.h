// scanner/base/sha256.h
//
// Sha256 hashes bytes (through OpenSSL) for content identities: the rule
// pack's hash in the manifest. One object per hash; not thread-safe.

#ifndef CATSCAN_BASE_SHA256_H_
#define CATSCAN_BASE_SHA256_H_

#include <memory>
#include <string>
#include <string_view>

namespace catscan {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view bytes);
  // Lower-case hex digest. Call once.
  std::string HexDigest();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace catscan

#endif  // CATSCAN_BASE_SHA256_H_
