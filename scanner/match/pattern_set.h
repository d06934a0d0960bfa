// scanner/match/pattern_set.h
//
// PatternSet is a rule pack's text patterns compiled into Hyperscan databases
// once, then shared read-only by every worker thread. Each worker owns a
// PatternSet::Scratch (NewScratch()); a Scratch must never be used by two
// threads at once.
//
// Start-of-match tracking makes Hyperscan several times slower, and almost
// every field matches nothing. So a set holds two databases over the same
// patterns: a fast one without start offsets that only answers "does anything
// in scope match?" (AnyMatch, stops at the first hit), and one compiled with
// HS_FLAG_SOM_LEFTMOST that FindAll runs on the few fields that do match.
// bench/ measures this against FindAll on every field.
//
// Patterns are UTF-8 Hyperscan regexes (HS_FLAG_UTF8); the text scanned must
// be valid UTF-8 (the record parser guarantees it). Each pattern has a scope:
// a bit mask of the fields it applies to; hits outside the scope are ignored.

#ifndef CATSCAN_MATCH_PATTERN_SET_H_
#define CATSCAN_MATCH_PATTERN_SET_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/base/status.h"

struct hs_scratch;  // Hyperscan's, from <hs.h>

namespace catscan {

class DatabaseCache;

struct PatternSpec {
  std::string expression;  // a Hyperscan regex
  bool caseless = false;
  uint32_t scope = ~0u;    // bit i: applies to field i
  // false: the pattern only qualifies other hits (a rule's exception): it is
  // left out of the fast database, so a text it alone matches is not
  // rescanned, and FindAll still reports it.
  bool trigger = true;
  // > 0: the expression is a literal of this many bytes (see
  // FixedLiteralBytes), so its start is end - literal_bytes and the SOM
  // database tracks no start of match for it: for word lists of 40,000+
  // terms that halves the compile time.
  uint32_t literal_bytes = 0;
};

// The byte length every match of "literal" has, or 0 if it may vary: a
// caseless literal with non-ASCII bytes (left to Hyperscan's start-of-match
// tracking rather than relying on its case folding).
uint32_t FixedLiteralBytes(std::string_view literal, bool caseless);

// One match of one pattern: bytes [start, end) of the scanned text.
struct PatternHit {
  uint32_t pattern = 0;
  uint32_t start = 0;
  uint32_t end = 0;
  bool operator==(const PatternHit& o) const {
    return pattern == o.pattern && start == o.start && end == o.end;
  }
};

// Why one pattern failed to compile.
struct PatternError {
  size_t index = 0;  // into the specs given to Compile
  std::string message;
};

// Turns a literal string into a regex that matches exactly its bytes.
std::string EscapeLiteral(std::string_view literal);

class PatternSet {
 public:
  // Per-thread working memory for scans. Opaque to callers.
  class Scratch {
   public:
    ~Scratch();

   private:
    friend class PatternSet;
    Scratch() = default;
    hs_scratch* scratch_ = nullptr;
    std::vector<PatternHit> raw_;  // reused between FindAll calls
  };

  // How the databases were obtained (for start-up reports and bench-rules).
  struct BuildInfo {
    bool from_cache = false;     // both databases loaded from the cache
    double seconds = 0;          // compile or load, both databases
    size_t database_bytes = 0;   // hs_database_size of both
    std::string cache_error;     // why storing in the cache failed, if it did
  };

  // Compiles "specs". On failure returns kRules and appends one PatternError
  // per failing pattern (all of them, not just the first) to "errors". An
  // empty spec list compiles to a set that matches nothing. With a "cache",
  // the databases are loaded from it when both are present and valid, else
  // compiled and stored there (database_cache.h); cache failures never fail
  // Compile.
  static StatusOr<std::shared_ptr<const PatternSet>> Compile(
      const std::vector<PatternSpec>& specs, std::vector<PatternError>* errors,
      const DatabaseCache* cache = nullptr);

  ~PatternSet();
  PatternSet(const PatternSet&) = delete;
  PatternSet& operator=(const PatternSet&) = delete;

  // A scratch for one thread, sized for both databases.
  StatusOr<std::unique_ptr<Scratch>> NewScratch() const;

  // True if any trigger pattern whose scope has "scope_bit" matches in "text".
  bool AnyMatch(std::string_view text, uint32_t scope_bit, Scratch* scratch) const;

  // Appends every in-scope match in "text" to "hits" with its leftmost start.
  // The several end offsets Hyperscan reports for one growing match (e.g.
  // "原价9", "原价99", "原价999") are merged: overlapping spans of the same
  // pattern become one hit. Hits are sorted by (start, end, pattern).
  Status FindAll(std::string_view text, uint32_t scope_bit, Scratch* scratch,
                 std::vector<PatternHit>* hits) const;

  size_t size() const { return scopes_.size(); }
  // Whether pattern "i" is in the fast database (PatternSpec::trigger).
  bool is_trigger(uint32_t i) const { return triggers_[i]; }
  const BuildInfo& build_info() const { return info_; }
  // hs_scratch_size of a scratch for this set (0 for an empty set).
  size_t ScratchBytes(const Scratch& scratch) const;

 private:
  struct Databases;
  PatternSet(std::unique_ptr<Databases> dbs, std::vector<uint32_t> scopes,
             std::vector<uint32_t> literal_bytes, std::vector<bool> triggers);

  std::unique_ptr<Databases> dbs_;
  std::vector<uint32_t> scopes_;
  std::vector<uint32_t> literal_bytes_;  // per pattern, PatternSpec::literal_bytes
  std::vector<bool> triggers_;           // per pattern, PatternSpec::trigger
  BuildInfo info_;
};

}  // namespace catscan

#endif  // CATSCAN_MATCH_PATTERN_SET_H_
