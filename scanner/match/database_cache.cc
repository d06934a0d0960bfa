#include "scanner/match/database_cache.h"

#include <hs.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "scanner/base/sha256.h"

namespace catscan {
namespace fs = std::filesystem;

namespace {

// File layout: magic, the 64-hex-digit key, payload length (16 hex digits),
// payload SHA-256 (64 hex digits), then the serialized database. Text header
// fields keep the format independent of byte order.
constexpr char kMagic[] = "catscan-hsdb-1\n";
constexpr size_t kMagicLen = sizeof(kMagic) - 1;
constexpr size_t kHeaderLen = kMagicLen + 64 + 16 + 64;

void AddField(Sha256* h, std::string_view s) {
  // Length-prefixed, so ("ab","c") and ("a","bc") differ.
  h->Update(std::to_string(s.size()));
  h->Update(":");
  h->Update(s);
}

std::string PayloadHash(std::string_view payload) {
  Sha256 h;
  h.Update(payload);
  return h.HexDigest();
}

}  // namespace

std::string DatabaseKey(const std::vector<std::string>& expressions,
                        const std::vector<unsigned>& flags, const std::vector<unsigned>& ids,
                        unsigned mode) {
  Sha256 h;
  AddField(&h, kMagic);
  AddField(&h, hs_version());
  hs_platform_info_t platform{};
  if (hs_populate_platform(&platform) == HS_SUCCESS) {
    AddField(&h, std::to_string(platform.tune) + "/" + std::to_string(platform.cpu_features));
  }
  AddField(&h, "mode=" + std::to_string(mode));
  for (size_t i = 0; i < expressions.size(); ++i) {
    AddField(&h, expressions[i]);
    AddField(&h, std::to_string(flags[i]) + "/" + std::to_string(ids[i]));
  }
  return h.HexDigest();
}

std::string DatabaseCache::DefaultDir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && xdg[0] == '/') {
    return (fs::path(xdg) / "catscan").string();
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && home[0] != '\0') {
    return (fs::path(home) / ".cache" / "catscan").string();
  }
  return "";
}

std::string DatabaseCache::PathFor(const std::string& key) const {
  return (fs::path(dir_) / (key + ".hsdb")).string();
}

hs_database* DatabaseCache::Load(const std::string& key, std::string* why) const {
  std::ifstream in(PathFor(key), std::ios::binary | std::ios::ate);
  if (!in) {
    *why = "not cached";
    return nullptr;
  }
  // One read of the whole file (tens of MB for big word lists).
  const std::streamoff size = in.tellg();
  std::string bytes(size > 0 ? static_cast<size_t>(size) : 0, '\0');
  in.seekg(0);
  if (size < 0 || !in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
    *why = "cannot read the cache file";
    return nullptr;
  }
  if (bytes.size() < kHeaderLen || bytes.compare(0, kMagicLen, kMagic) != 0) {
    *why = "not a catscan database cache file (or truncated header)";
    return nullptr;
  }
  if (bytes.compare(kMagicLen, 64, key) != 0) {
    *why = "the file was stored for another key";
    return nullptr;
  }
  const std::string len_hex = bytes.substr(kMagicLen + 64, 16);
  char* end = nullptr;
  const unsigned long long len = std::strtoull(len_hex.c_str(), &end, 16);
  if (end != len_hex.c_str() + 16 || len != bytes.size() - kHeaderLen) {
    *why = "truncated or padded cache file";
    return nullptr;
  }
  const std::string_view payload = std::string_view(bytes).substr(kHeaderLen);
  if (bytes.compare(kMagicLen + 80, 64, PayloadHash(payload)) != 0) {
    *why = "checksum mismatch";
    return nullptr;
  }
  hs_database_t* db = nullptr;
  const hs_error_t err = hs_deserialize_database(payload.data(), payload.size(), &db);
  if (err != HS_SUCCESS) {
    *why = "Hyperscan cannot load it (error " + std::to_string(err) + ")";
    return nullptr;
  }
  return db;
}

bool DatabaseCache::Store(const std::string& key, const hs_database* db, std::string* why) const {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) {
    *why = "cannot create " + dir_ + ": " + ec.message();
    return false;
  }
  char* raw = nullptr;
  size_t raw_len = 0;
  if (hs_serialize_database(db, &raw, &raw_len) != HS_SUCCESS) {
    *why = "Hyperscan cannot serialize the database";
    return false;
  }
  const std::string payload(raw, raw_len);
  std::free(raw);  // hs_serialize_database uses the misc allocator, malloc by default
  char len_hex[17];
  std::snprintf(len_hex, sizeof(len_hex), "%016llx", static_cast<unsigned long long>(raw_len));
  std::string file = std::string(kMagic) + key + len_hex + PayloadHash(payload);
  file += payload;

  // A unique temporary name per process and call, renamed over the final one:
  // readers see the old file or the new one, never a mix.
  std::random_device rd;
  const std::string tmp = (fs::path(dir_) / ("." + key + ".tmp." + std::to_string(getpid()) +
                                             "." + std::to_string(rd())))
                              .string();
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(file.data(), static_cast<std::streamsize>(file.size()));
    out.close();
    if (!out) {
      fs::remove(tmp, ec);
      *why = "cannot write " + tmp;
      return false;
    }
  }
  fs::rename(tmp, PathFor(key), ec);
  if (ec) {
    fs::remove(tmp, ec);
    *why = "cannot rename into " + PathFor(key);
    return false;
  }
  return true;
}

}  // namespace catscan
