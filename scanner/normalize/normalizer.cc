// The normalizer's one-pass engine. Two layers in one loop:
//   * decoding (SlowStep): bytes -> units. A unit is one original character,
//     tag or character reference with its class and replacement bytes;
//   * context (Feed): filler removal and look-alikes, which need the last
//     word character kept and the fillers written since. Fillers are written
//     at once; if the next word character shows the run is to be removed, the
//     output is rolled back to the Mark taken before the run.
// Runs of Han ideographs kept as they are and of a-z0-9 (most of the text)
// skip both layers: ScanPlain finds and copies them, PutPlain records them.

#include "scanner/normalize/normalizer.h"

#include <algorithm>
#include <cstring>

#include "scanner/normalize/char_table.h"
#include "scanner/normalize/html.h"
#include "scanner/normalize/text_scan.h"

namespace catscan {
namespace normalize_internal {
namespace {

using Segment = NormalizedText::Segment;

// One original character, tag or character reference, ready to be written.
struct Unit {
  uint32_t cp = 0;  // the code point written (the last one of several)
  CharClass cls = kOther;
  uint8_t len = 0;       // bytes written
  bool copyable = true;  // one character for one of the same length: maps byte for byte
  uint32_t bytes = 0;    // packed UTF-8
  uint32_t os = 0;       // original bytes [os, oe)
  uint32_t oe = 0;
};

class Engine {
 public:
  Engine(const CharTable& table, Normalizer::Kind kind, std::string_view text, char* dst,
         std::vector<Segment>* segs)
      : t_(table),
        kind_(kind),
        mode_(kind == Normalizer::Kind::kHtml ? kAsciiHtml : kAsciiPlain),
        text_(text),
        base_(reinterpret_cast<const uint8_t*>(text.data())),
        end_(base_ + text.size()),
        p_(base_),
        dst_(dst),
        segs_(segs) {}

  // Normalizes the whole text; returns the normalized length.
  size_t Run() {
    while (p_ < end_) {
      if (fillers_ == 0) {
        const uint8_t* q = ScanPlain<true>(t_, mode_, p_, end_, dst_ + pos_);
        if (q != p_) {
          PutPlain(q);
          if (p_ >= end_) break;
        }
      }
      SlowStep();
    }
    return pos_;
  }

 private:
  // Output state to roll back to.
  struct Mark {
    size_t pos = 0;
    size_t nsegs = 0;
    Segment last;
  };

  Mark Save() const {
    Mark m;
    m.pos = pos_;
    m.nsegs = segs_->size();
    if (m.nsegs > 0) m.last = segs_->back();
    return m;
  }

  void Restore(const Mark& m) {
    pos_ = m.pos;
    segs_->resize(m.nsegs);
    if (m.nsegs > 0) segs_->back() = m.last;
  }

  void AddSegment(uint32_t os, uint32_t oe, bool copy) {
    if (copy && !segs_->empty() && segs_->back().copy && segs_->back().orig_end == os) {
      segs_->back().orig_end = oe;
    } else {
      segs_->emplace_back();
      Segment& s = segs_->back();
      s.norm = static_cast<uint32_t>(pos_);
      s.orig = os;
      s.orig_end = oe;
      s.copy = copy;
    }
  }

  void Put(const Unit& u) {
    StorePacked(dst_ + pos_, u.bytes);  // the buffer has 4 bytes of slack
    AddSegment(u.os, u.oe, u.copyable);
    pos_ += u.len;
  }

  // Records the plain run [p_, q), which ScanPlain has copied to the output,
  // and makes its last character the context.
  void PutPlain(const uint8_t* q) {
    const size_t n = static_cast<size_t>(q - p_);
    AddSegment(Offset(p_), Offset(q), true);
    pos_ += n;
    p_ = q;
    const PlainChar last = LastPlainChar(t_, mode_, q);
    if (last.cls == kOther) {
      EndWord();
      left_colon_ = IsColon(last.cp);
    } else {
      left_ = last.cls;
      left_cp_ = last.cp;
      left_pos_ = pos_ - last.len;
      left_oe_ = Offset(q);
      left_os_ = left_oe_ - last.len;
      left_colon_ = false;
    }
    last_break_ = false;
  }

  // Class of the original character starting at "at" / ending at "at";
  // kOther past either end.
  CharClass ClassAt(uint32_t at) const {
    if (at >= text_.size()) return kOther;
    int n;
    return t_.Lookup(Decode(base_ + at, end_, &n), mode_).cls;
  }
  CharClass ClassBefore(uint32_t at) const {
    if (at == 0) return kOther;
    uint32_t i = at - 1;
    while (i > 0 && at - i < 4 && IsCont(base_[i])) --i;
    int n;
    const uint32_t cp = Decode(base_ + i, base_ + at, &n);
    return i + static_cast<uint32_t>(n) == at ? t_.Lookup(cp, mode_).cls : kOther;
  }
  static bool IsWord(CharClass c) { return c == kCjk || c == kAlnum; }

  // Whether the original character at "at" is a token that can continue
  // letter-spaced text: a word character or a colon ("Q|Q|:|6|5").
  bool ChainToken(uint32_t at) const {
    if (at >= text_.size()) return false;
    int n;
    const uint32_t cp = Decode(base_ + at, end_, &n);
    return IsColon(cp) || IsWord(t_.Lookup(cp, mode_).cls);
  }
  bool ChainTokenBefore(uint32_t at) const {
    if (at == 0) return false;
    uint32_t i = at - 1;
    while (i > 0 && at - i < 4 && IsCont(base_[i])) --i;
    return ChainToken(i);
  }

  // Whether the filler run [run_mark_.pos, pos_) between the letters or
  // digits left_ and "r" is removed. Only separators that cannot be part of a
  // number or a word go: "3.5寸", "2-3天", "10 cm", "T-shirt" stay.
  bool RemoveBetweenAlnums(const Unit& r) const {
    const char* run = dst_ + run_mark_.pos;
    const size_t run_len = pos_ - run_mark_.pos;
    // Digits split by a separator no number uses: "1738_2262295", "24|9921".
    if (IsDigit(left_cp_) && IsDigit(r.bytes & 0xFF)) {
      bool neutral = true;
      for (size_t i = 0; i < run_len && neutral;) {
        int n;
        const auto* b = reinterpret_cast<const uint8_t*>(run + i);
        neutral = IsNeutralSeparator(Decode(b, b + (run_len - i), &n));
        i += static_cast<size_t>(n);
      }
      if (neutral) return true;
    }
    // Letter spacing: both are single characters (no letter or digit on
    // their other side), and the run is white space ("Q Q", "1 3 8"), or the
    // same separator also stands on the far side of left_ or of "r"
    // ("卖.3.0.分", "1*5*3", "Q|Q|:"), or it is one symbol inside the
    // separators of letter-spaced text ("l e - 4 7", "h|-|4").
    if (ClassBefore(left_os_) == kAlnum || ClassAt(r.oe) == kAlnum) return false;
    auto is_space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
    if (std::all_of(run, run + run_len, is_space)) return true;
    const std::string_view sep = text_.substr(left_oe_, r.os - left_oe_);
    const uint32_t k = static_cast<uint32_t>(sep.size());
    if (left_os_ >= k && text_.compare(left_os_ - k, k, sep) == 0 &&
        ChainTokenBefore(left_os_ - k)) {
      return true;
    }
    if (text_.compare(r.oe, k, sep) == 0 && ChainToken(r.oe + k)) return true;
    if (fillers_ == 3) {
      // "W f W" where W is the separator of the letter spacing around it.
      int n;
      Decode(base_ + left_oe_, base_ + r.os, &n);
      const std::string_view w = sep.substr(0, static_cast<size_t>(n));
      if (sep.size() > 2 * w.size() && sep.substr(sep.size() - w.size()) == w) {
        const uint32_t wn = static_cast<uint32_t>(w.size());
        if (left_os_ >= wn && text_.compare(left_os_ - wn, wn, w) == 0 &&
            ClassBefore(left_os_ - wn) == kAlnum) {
          return true;
        }
        if (text_.compare(r.oe, wn, w) == 0 && ClassAt(r.oe + wn) == kAlnum) return true;
      }
    }
    return false;
  }

  uint32_t Offset(const uint8_t* p) const { return static_cast<uint32_t>(p - base_); }

  void SlowStep() {
    const uint8_t b = *p_;
    const uint32_t os = Offset(p_);
    if (b < 0x80) {
      CharClass c = t_.AsciiClass(mode_, b);
      if (c == kTagOpen) {
        const TagScan tag = ScanTag(text_, os);
        if (tag.kind != TagKind::kNotATag) {
          if (tag.kind == TagKind::kBlock) TagBreak(os, static_cast<uint32_t>(tag.end));
          p_ = base_ + tag.end;
          return;
        }
        c = kOther;
      } else if (c == kEntity) {
        const EntityScan ent = ScanEntity(text_, os);
        if (ent.end != 0) {
          FeedReference(ent.cp, os, static_cast<uint32_t>(ent.end));
          p_ = base_ + ent.end;
          return;
        }
        c = kFiller;
      }
      Unit u;
      u.os = os;
      u.cls = c;
      u.cp = (b >= 'A' && b <= 'Z') ? b + ('a' - 'A') : b;
      u.bytes = u.cp;
      u.len = 1;
      u.oe = os + 1;
      ++p_;
      Feed(u);
      return;
    }

    int n;
    const uint32_t cp = Decode(p_, end_, &n);
    const CharInfo info = t_.Lookup(cp, mode_);
    Unit u;
    u.os = os;
    u.cls = info.cls;
    if (info.len == 0) {
      u.bytes = LoadPacked(p_, n);
      u.len = static_cast<uint8_t>(n);
      u.cp = cp;
    } else {
      u.bytes = info.bytes;
      u.len = info.len;
      u.cp = ReplacementCp(info);
      u.copyable = !info.multi && info.len == n;
    }
    p_ += n;
    if (u.cls != kCjk && u.cls != kAlnum) {
      // A variation selector belongs to the symbol before it: "❤️" is U+2764 U+FE0F.
      while (end_ - p_ >= 3 && p_[0] == 0xEF && p_[1] == 0xB8 && (p_[2] == 0x8E || p_[2] == 0x8F)) {
        p_ += 3;
        u.copyable = false;
      }
    }
    u.oe = Offset(p_);
    if (u.cls == kPlus) {
      if (PlusReadsAsJia()) {
        SetCjk(&u, kJia, kJiaUtf8);
      } else {
        u.cls = kFiller;
      }
    } else if (u.cls == kLineSep) {
      SetBreakOrSpace(&u, kind_ == Normalizer::Kind::kPlainText);
    }
    Feed(u);
  }

  // A decoded character reference: one unit for the whole "&...;".
  void FeedReference(uint32_t cp, uint32_t os, uint32_t oe) {
    const CharInfo info = t_.Lookup(cp, kAsciiDecoded);
    Unit u;
    u.cls = info.cls;
    u.os = os;
    u.oe = oe;
    u.copyable = false;
    if (info.len == 0) {
      u.len = static_cast<uint8_t>(EncodeUtf8(cp, &u.bytes));
      u.cp = cp;
    } else {
      u.bytes = info.bytes;
      u.len = info.len;
      u.cp = ReplacementCp(info);
    }
    if (u.cls == kPlus) u.cls = kFiller;  // no look-ahead past a reference
    if (u.cls == kLineSep) SetBreakOrSpace(&u, false);
    Feed(u);
  }

  // ＋/➕ reads as 加 when the next character is v or 微-like.
  bool PlusReadsAsJia() const {
    if (p_ >= end_) return false;
    int n;
    const uint32_t cp = Decode(p_, end_, &n);
    const CharInfo info = t_.Lookup(cp, kAsciiPlain);
    const uint32_t next = info.len != 0 ? ReplacementCp(info) : cp;
    return next == 'v' || next == kWei || IsWeiLookalike(next);
  }

  static void SetCjk(Unit* u, uint32_t cp, uint32_t utf8) {
    u->bytes = utf8;
    u->len = 3;
    u->cp = cp;
    u->cls = kCjk;
    u->copyable = u->oe - u->os == 3;
  }

  static void SetBreakOrSpace(Unit* u, bool is_break) {
    u->cls = is_break ? kBreak : kSpace;
    u->cp = is_break ? '\n' : ' ';
    u->bytes = u->cp;
    u->len = 1;
    u->copyable = false;
  }

  void Feed(Unit& u) {
    switch (u.cls) {
      case kZeroWidth:
        return;  // dropped; the characters around it stay adjacent
      case kSpace:
      case kFiller:
        Filler(u);
        return;
      case kHeart:
        if (left_ == kCjk && left_cp_ == kWei && fillers_ <= kMaxFillerRun) {
          SetCjk(&u, kXin, kXinUtf8);
          Word(u);
        } else {
          u.cls = kFiller;
          Filler(u);
        }
        return;
      case kCjk:
      case kAlnum:
        Word(u);
        return;
      case kBreak:
        Put(u);
        EndWord();
        last_break_ = true;
        return;
      default:
        // Fillers between a word and a colon are decoration: "QQ-:", "微信号~：".
        const bool colon = IsColon(u.cp);
        if (colon && left_ != kOther && fillers_ > 0 && fillers_ <= kMaxFillerRun) {
          Restore(run_mark_);
        }
        Put(u);
        EndWord();
        left_colon_ = colon;
        last_break_ = false;
        return;
    }
  }

  void Filler(const Unit& u) {
    if (fillers_ == 0 && (left_ != kOther || left_colon_)) run_mark_ = Save();
    if (fillers_ <= kMaxFillerRun) ++fillers_;
    Put(u);
    last_break_ = false;
  }

  void Word(Unit& u) {
    bool adjacent = fillers_ == 0;
    if (!adjacent && fillers_ <= kMaxFillerRun &&
        (left_colon_ ||
         (left_ != kOther && (left_ == kCjk || u.cls == kCjk || RemoveBetweenAlnums(u))))) {
      Restore(run_mark_);  // the run sits between two word characters, or ':' and one
      adjacent = true;
    }
    if (adjacent && left_ == kCjk && u.cls == kCjk) {
      if (u.cp == kXin && IsWeiLookalike(left_cp_)) {
        for (int i = 0; i < 3; ++i) dst_[left_pos_ + i] = static_cast<char>(kWeiUtf8 >> (8 * i));
      } else if (u.cp == kXinNew && left_cp_ == kWei) {
        u.bytes = kXinUtf8;  // same length: the map is unchanged
        u.cp = kXin;
      }
    }
    left_pos_ = pos_;
    left_os_ = u.os;
    left_oe_ = u.oe;
    Put(u);
    left_ = u.cls;
    left_cp_ = u.cp;
    left_colon_ = false;
    fillers_ = 0;
    last_break_ = false;
  }

  // A block tag: one "\n" for the tag, none at the start or right after another.
  void TagBreak(uint32_t os, uint32_t oe) {
    if (pos_ > 0 && !last_break_) {
      dst_[pos_] = '\n';
      AddSegment(os, oe, false);
      ++pos_;
    }
    EndWord();
    last_break_ = true;
  }

  void EndWord() {
    left_ = kOther;
    left_colon_ = false;
    fillers_ = 0;
  }

  const CharTable& t_;
  const Normalizer::Kind kind_;
  const AsciiMode mode_;
  const std::string_view text_;
  const uint8_t* const base_;
  const uint8_t* const end_;
  const uint8_t* p_;
  char* const dst_;
  size_t pos_ = 0;
  std::vector<Segment>* const segs_;

  // Context. left_ is the last word character written (kCjk or kAlnum; kOther
  // if something else came after it), fillers_ how many fillers followed it
  // (saturating at kMaxFillerRun + 1), run_mark_ the output before them.
  CharClass left_ = kOther;
  uint32_t left_cp_ = 0;
  size_t left_pos_ = 0;
  int fillers_ = 0;
  Mark run_mark_;
  uint32_t left_os_ = 0;  // left_'s original bytes
  uint32_t left_oe_ = 0;
  bool left_colon_ = false;  // instead of a word, a ':' came last
  bool last_break_ = false;  // the last thing written was a tag's line break
};

}  // namespace
}  // namespace normalize_internal

Normalizer::Normalizer() : table_(new normalize_internal::CharTable()) {}

Normalizer::~Normalizer() = default;

void Normalizer::Normalize(std::string_view text, Kind kind, NormalizedText* out) const {
  const size_t need = text.size() + 4;  // Engine::Put writes 4 bytes at a time
  if (out->capacity_ < need) {
    out->capacity_ = std::max(need, 2 * out->capacity_);
    out->buf_.reset(new char[out->capacity_]);
  }
  out->segments_.clear();
  normalize_internal::Engine engine(*table_, kind, text, out->buf_.get(), &out->segments_);
  out->size_ = engine.Run();
}

bool Normalizer::NeedsNormalization(std::string_view text, Kind kind) const {
  return normalize_internal::NeedsNormalization(
      *table_, text,
      kind == Kind::kHtml ? normalize_internal::kAsciiHtml : normalize_internal::kAsciiPlain);
}

}  // namespace catscan
