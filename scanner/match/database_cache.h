// scanner/match/database_cache.h
//
// DatabaseCache keeps compiled Hyperscan databases on disk
// (hs_serialize_database), so a pack that has not changed starts in
// milliseconds instead of recompiling: a 60,000-word list takes seconds to
// compile and a fraction of a second to load.
//
// A database is stored under a key that the caller derives from everything
// the compile depends on (DatabaseKey: every expression with its flags and id,
// the compile mode, hs_version() and the host's hs_populate_platform()), so a
// changed pack, a new Hyperscan or another CPU simply looks up another file.
// A cache file is never trusted: Load checks a magic header, the key stored
// inside, the payload length and its SHA-256 before hs_deserialize_database;
// any mismatch is a miss, and the caller compiles and stores a fresh copy.
// Store writes a temporary file in the cache directory and renames it into
// place, so concurrent processes never see a half-written file.
//
// The cache is an optimisation only: every failure (unwritable directory,
// disk full, corrupt file) is reported as a reason string and the caller
// falls back to compiling. A DatabaseCache holds only its directory and may be
// used from any thread.

#ifndef CATSCAN_MATCH_DATABASE_CACHE_H_
#define CATSCAN_MATCH_DATABASE_CACHE_H_

#include <string>
#include <vector>

struct hs_database;  // Hyperscan's, from <hs.h>

namespace catscan {

// The cache key of one database: the SHA-256 (hex) of the compile inputs.
std::string DatabaseKey(const std::vector<std::string>& expressions,
                        const std::vector<unsigned>& flags, const std::vector<unsigned>& ids,
                        unsigned mode);

class DatabaseCache {
 public:
  // $XDG_CACHE_HOME/catscan, else $HOME/.cache/catscan; empty if neither
  // variable is set.
  static std::string DefaultDir();

  explicit DatabaseCache(std::string dir) : dir_(std::move(dir)) {}

  const std::string& dir() const { return dir_; }
  std::string PathFor(const std::string& key) const;

  // The database stored under "key", or nullptr with "why" set to the reason
  // (absent, truncated, checksum, Hyperscan refused it, ...). The caller owns
  // the result (hs_free_database).
  hs_database* Load(const std::string& key, std::string* why) const;

  // Stores "db" under "key" atomically. Returns false with "why" set if the
  // directory cannot be created or written; the cache is then just skipped.
  bool Store(const std::string& key, const hs_database* db, std::string* why) const;

 private:
  std::string dir_;
};

}  // namespace catscan

#endif  // CATSCAN_MATCH_DATABASE_CACHE_H_
