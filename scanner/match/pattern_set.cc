#include "scanner/match/pattern_set.h"

#include <hs.h>

#include <algorithm>
#include <chrono>

#include "scanner/match/database_cache.h"

namespace catscan {

struct PatternSet::Databases {
  hs_database_t* fast = nullptr;  // no SOM, single match per pattern
  hs_database_t* som = nullptr;   // HS_FLAG_SOM_LEFTMOST
  ~Databases() {
    hs_free_database(fast);
    hs_free_database(som);
  }
};

PatternSet::Scratch::~Scratch() { hs_free_scratch(scratch_); }

namespace {

enum class DbKind { kFast, kSom };

unsigned FlagsFor(const PatternSpec& spec, DbKind kind) {
  unsigned flags = HS_FLAG_UTF8;
  if (spec.caseless) flags |= HS_FLAG_CASELESS;
  if (kind == DbKind::kFast) {
    flags |= HS_FLAG_SINGLEMATCH;
  } else if (spec.literal_bytes == 0) {
    flags |= HS_FLAG_SOM_LEFTMOST;
  }
  return flags;
}

// Compiles exprs[first, last) as one database; true if it compiles, else
// false with Hyperscan's message in *error.
bool CompilesTogether(const std::vector<const char*>& exprs, const std::vector<unsigned>& flags,
                      const std::vector<unsigned>& ids, size_t first, size_t last,
                      std::string* error) {
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(exprs.data() + first, flags.data() + first, ids.data() + first,
                       static_cast<unsigned>(last - first), HS_MODE_BLOCK, nullptr, &db,
                       &err) == HS_SUCCESS) {
    hs_free_database(db);
    return true;
  }
  *error = err->message;
  hs_free_compile_error(err);
  return false;
}

// [first, last) is known not to compile, with "message": reports the
// patterns in it that do not compile alone, by halving. A half that compiles
// holds none, so k bad patterns among n cost about 2k·log(n) compiles instead
// of n single ones (word lists hold 50,000+ terms).
void FindFailingPatterns(const std::vector<const char*>& exprs, const std::vector<unsigned>& flags,
                         const std::vector<unsigned>& ids, size_t first, size_t last,
                         const std::string& message, const char* suffix,
                         std::vector<PatternError>* errors) {
  if (last - first == 1) {
    errors->push_back({ids[first], message + suffix});
    return;
  }
  const size_t mid = first + (last - first) / 2;
  for (const auto& [from, to] : {std::pair{first, mid}, std::pair{mid, last}}) {
    std::string half_message;
    if (!CompilesTogether(exprs, flags, ids, from, to, &half_message)) {
      FindFailingPatterns(exprs, flags, ids, from, to, half_message, suffix, errors);
    }
  }
}

// Compiles one database; on failure finds every failing pattern (Hyperscan's
// multi compile names only the first).
// The fast database holds only the trigger patterns. Sets *ok to false on an
// error; a database of no patterns is nullptr with *ok true.
hs_database_t* CompileDb(const std::vector<PatternSpec>& specs, DbKind kind,
                         std::vector<PatternError>* errors, bool* ok) {
  std::vector<const char*> exprs;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  for (size_t i = 0; i < specs.size(); ++i) {
    if (kind == DbKind::kFast && !specs[i].trigger) continue;
    exprs.push_back(specs[i].expression.c_str());
    flags.push_back(FlagsFor(specs[i], kind));
    ids.push_back(static_cast<unsigned>(i));
  }
  *ok = true;
  if (exprs.empty()) return nullptr;
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(exprs.size()),
                       HS_MODE_BLOCK, nullptr, &db, &err) == HS_SUCCESS) {
    return db;
  }
  *ok = false;
  const int first_bad = err->expression >= 0 ? static_cast<int>(ids[err->expression]) : -1;
  const std::string whole_error = err->message;
  hs_free_compile_error(err);
  const char* suffix = kind == DbKind::kSom ? " (with start-of-match tracking)" : "";
  const size_t errors_before = errors->size();
  FindFailingPatterns(exprs, flags, ids, 0, exprs.size(), whole_error, suffix, errors);
  if (errors->size() == errors_before) {
    // Each half compiles but not the whole (e.g. the set is too large).
    errors->push_back({first_bad >= 0 ? static_cast<size_t>(first_bad) : 0,
                       "the pattern set does not compile as a whole: " + whole_error + suffix});
  }
  return nullptr;
}

// The cache key of the database CompileDb would build from "specs" (the
// same patterns, flags and ids); empty if that database holds no pattern.
std::string CacheKeyFor(const std::vector<PatternSpec>& specs, DbKind kind) {
  std::vector<std::string> exprs;
  std::vector<unsigned> flags, ids;
  for (size_t i = 0; i < specs.size(); ++i) {
    if (kind == DbKind::kFast && !specs[i].trigger) continue;
    exprs.push_back(specs[i].expression);
    flags.push_back(FlagsFor(specs[i], kind));
    ids.push_back(static_cast<unsigned>(i));
  }
  return exprs.empty() ? std::string() : DatabaseKey(exprs, flags, ids, HS_MODE_BLOCK);
}

struct ScanContext {
  const std::vector<uint32_t>* scopes;
  const std::vector<uint32_t>* literal_bytes;
  uint32_t scope_bit;
  std::vector<PatternHit>* hits;
};

int OnAnyMatch(unsigned id, unsigned long long, unsigned long long, unsigned, void* ctx) {
  const auto* c = static_cast<const ScanContext*>(ctx);
  return ((*c->scopes)[id] & c->scope_bit) ? 1 : 0;  // non-zero stops the scan
}

int OnSomMatch(unsigned id, unsigned long long from, unsigned long long to, unsigned, void* ctx) {
  auto* c = static_cast<ScanContext*>(ctx);
  if ((*c->scopes)[id] & c->scope_bit) {
    const uint32_t literal = (*c->literal_bytes)[id];  // no start of match tracked
    if (literal > 0) from = to - literal;
    c->hits->push_back({id, static_cast<uint32_t>(from), static_cast<uint32_t>(to)});
  }
  return 0;
}

}  // namespace

std::string EscapeLiteral(std::string_view literal) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char ch : literal) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        c == '_') {
      out.push_back(ch);  // UTF-8 bytes and word characters stand for themselves
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

uint32_t FixedLiteralBytes(std::string_view literal, bool caseless) {
  if (caseless) {
    for (const char c : literal) {
      if (static_cast<unsigned char>(c) >= 0x80) return 0;
    }
  }
  return static_cast<uint32_t>(literal.size());
}

PatternSet::PatternSet(std::unique_ptr<Databases> dbs, std::vector<uint32_t> scopes,
                       std::vector<uint32_t> literal_bytes, std::vector<bool> triggers)
    : dbs_(std::move(dbs)),
      scopes_(std::move(scopes)),
      literal_bytes_(std::move(literal_bytes)),
      triggers_(std::move(triggers)) {}

PatternSet::~PatternSet() = default;

StatusOr<std::shared_ptr<const PatternSet>> PatternSet::Compile(
    const std::vector<PatternSpec>& specs, std::vector<PatternError>* errors,
    const DatabaseCache* cache) {
  const auto t0 = std::chrono::steady_clock::now();
  auto dbs = std::make_unique<Databases>();
  std::vector<uint32_t> scopes, literal_bytes;
  std::vector<bool> triggers;
  for (const PatternSpec& s : specs) {
    scopes.push_back(s.scope);
    literal_bytes.push_back(s.literal_bytes);
    triggers.push_back(s.trigger);
  }
  BuildInfo info;
  if (!specs.empty()) {
    const size_t errors_before = errors->size();
    // From the cache when both databases are there: the SOM database holds
    // every pattern, so its having compiled once also vouches for the
    // patterns that are not triggers.
    std::string fast_key, som_key, why;
    if (cache != nullptr) {
      fast_key = CacheKeyFor(specs, DbKind::kFast);
      som_key = CacheKeyFor(specs, DbKind::kSom);
      hs_database_t* fast = fast_key.empty() ? nullptr : cache->Load(fast_key, &why);
      hs_database_t* som = som_key.empty() ? nullptr : cache->Load(som_key, &why);
      if ((fast != nullptr || fast_key.empty()) && som != nullptr) {
        dbs->fast = fast;
        dbs->som = som;
        info.from_cache = true;
      } else {
        hs_free_database(fast);
        hs_free_database(som);
      }
    }
    if (!info.from_cache) {
      // Patterns that are not triggers are checked alone, so their errors are
      // found before the full (SOM) compile.
      bool ok = true;
      dbs->fast = CompileDb(specs, DbKind::kFast, errors, &ok);
      {
        std::vector<PatternSpec> quiet;
        std::vector<size_t> quiet_index;
        for (size_t i = 0; i < specs.size(); ++i) {
          if (!specs[i].trigger) {
            quiet.push_back(specs[i]);
            quiet.back().trigger = true;
            quiet_index.push_back(i);
          }
        }
        std::vector<PatternError> quiet_errors;
        bool quiet_ok = true;
        hs_free_database(CompileDb(quiet, DbKind::kFast, &quiet_errors, &quiet_ok));
        for (PatternError& e : quiet_errors) {
          e.index = quiet_index[e.index];
          errors->push_back(std::move(e));
        }
        ok = ok && quiet_ok;
      }
      if (ok) dbs->som = CompileDb(specs, DbKind::kSom, errors, &ok);
      if (errors->size() != errors_before) {
        return RulesError(std::to_string(errors->size() - errors_before) +
                          " pattern(s) failed to compile");
      }
      if (cache != nullptr) {
        for (auto [db, key] : {std::pair{dbs->fast, &fast_key}, std::pair{dbs->som, &som_key}}) {
          if (db != nullptr && !cache->Store(*key, db, &why)) info.cache_error = why;
        }
      }
    }
    for (hs_database_t* db : {dbs->fast, dbs->som}) {
      size_t bytes = 0;
      if (db != nullptr && hs_database_size(db, &bytes) == HS_SUCCESS) info.database_bytes += bytes;
    }
  }
  info.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  auto set = std::shared_ptr<PatternSet>(
      new PatternSet(std::move(dbs), std::move(scopes), std::move(literal_bytes),
                     std::move(triggers)));
  set->info_ = info;
  return std::shared_ptr<const PatternSet>(std::move(set));
}

size_t PatternSet::ScratchBytes(const Scratch& scratch) const {
  size_t bytes = 0;
  if (scratch.scratch_ != nullptr) hs_scratch_size(scratch.scratch_, &bytes);
  return bytes;
}

StatusOr<std::unique_ptr<PatternSet::Scratch>> PatternSet::NewScratch() const {
  std::unique_ptr<Scratch> scratch(new Scratch());
  for (hs_database_t* db : {dbs_->fast, dbs_->som}) {
    if (db != nullptr && hs_alloc_scratch(db, &scratch->scratch_) != HS_SUCCESS) {
      return InternalError("cannot allocate Hyperscan scratch space");
    }
  }
  return scratch;
}

bool PatternSet::AnyMatch(std::string_view text, uint32_t scope_bit, Scratch* scratch) const {
  if (dbs_->fast == nullptr) return false;
  ScanContext ctx{&scopes_, &literal_bytes_, scope_bit, nullptr};
  const hs_error_t r = hs_scan(dbs_->fast, text.data(), static_cast<unsigned>(text.size()), 0,
                               scratch->scratch_, OnAnyMatch, &ctx);
  return r == HS_SCAN_TERMINATED;
}

Status PatternSet::FindAll(std::string_view text, uint32_t scope_bit, Scratch* scratch,
                           std::vector<PatternHit>* hits) const {
  if (dbs_->som == nullptr) return Status::OK();
  std::vector<PatternHit>& raw = scratch->raw_;
  raw.clear();
  ScanContext ctx{&scopes_, &literal_bytes_, scope_bit, &raw};
  const hs_error_t r = hs_scan(dbs_->som, text.data(), static_cast<unsigned>(text.size()), 0,
                               scratch->scratch_, OnSomMatch, &ctx);
  if (r != HS_SUCCESS) return InternalError("Hyperscan scan failed with error " + std::to_string(r));
  // Merge the growing matches of each pattern into one span.
  std::sort(raw.begin(), raw.end(), [](const PatternHit& a, const PatternHit& b) {
    if (a.pattern != b.pattern) return a.pattern < b.pattern;
    if (a.start != b.start) return a.start < b.start;
    return a.end < b.end;
  });
  const size_t first_new = hits->size();
  for (const PatternHit& h : raw) {
    if (hits->size() > first_new && hits->back().pattern == h.pattern && h.start < hits->back().end) {
      hits->back().end = std::max(hits->back().end, h.end);
    } else {
      hits->push_back(h);
    }
  }
  std::sort(hits->begin() + static_cast<std::ptrdiff_t>(first_new), hits->end(),
            [](const PatternHit& a, const PatternHit& b) {
              if (a.start != b.start) return a.start < b.start;
              if (a.end != b.end) return a.end < b.end;
              return a.pattern < b.pattern;
            });
  return Status::OK();
}

}  // namespace catscan
