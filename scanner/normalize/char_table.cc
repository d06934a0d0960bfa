#include "scanner/normalize/char_table.h"

#include <algorithm>
#include <cstring>
#include <iterator>

namespace catscan {
namespace normalize_internal {
namespace {

struct CodePointPair {
  uint32_t from;
  uint32_t to;
};

#include "scanner/normalize/t2s_table.inc"

bool IsHan(uint32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || cp == 0x3005 || cp == 0x3007 ||
         (cp >= 0x20000 && cp <= 0x323AF);
}

bool IsHeart(uint32_t cp) {
  switch (cp) {
    case 0x2661:
    case 0x2665:
    case 0x2763:
    case 0x2764:
    case 0x2765:  // ♡ ♥ ❣ ❤ ❥
    case 0x1F493:
    case 0x1F5A4:
    case 0x1F90D:
    case 0x1F90E:
    case 0x1F9E1:  // 💓 🖤 🤍 🤎 🧡
      return true;
    default:
      return (cp >= 0x1F495 && cp <= 0x1F49F) ||
             (cp >= 0x1FA75 && cp <= 0x1FA77);  // 💕..💟 🩵🩶🩷
  }
}

// Pictographs and symbols above the BMP: fillers, like the BMP's dingbats.
bool IsSupplementarySymbol(uint32_t cp) { return cp >= 0x1F000 && cp <= 0x1FAFF; }

}  // namespace

int EncodeUtf8(uint32_t cp, uint32_t* out) {
  if (cp < 0x80) {
    *out = cp;
    return 1;
  }
  if (cp < 0x800) {
    *out = (0xC0 | (cp >> 6)) | ((0x80 | (cp & 0x3F)) << 8);
    return 2;
  }
  if (cp < 0x10000) {
    *out = (0xE0 | (cp >> 12)) | ((0x80 | ((cp >> 6) & 0x3F)) << 8) | ((0x80 | (cp & 0x3F)) << 16);
    return 3;
  }
  *out = (0xF0 | (cp >> 18)) | ((0x80 | ((cp >> 12) & 0x3F)) << 8) |
         ((0x80 | ((cp >> 6) & 0x3F)) << 16) | ((0x80 | (cp & 0x3F)) << 24);
  return 4;
}

void CharTable::SetBmp(uint32_t cp, CharClass cls, uint32_t replacement) {
  uint32_t v = static_cast<uint32_t>(cls) << kClassShift;
  if (replacement != 0) {
    uint32_t b;
    const int n = EncodeUtf8(replacement, &b);
    // Never longer than the source (see the header): a longer one is dropped.
    if (n <= (cp < 0x800 ? 2 : 3)) v |= b | static_cast<uint32_t>(n) << kLenShift;
  }
  bmp_[cp] = v;
}

// "value" 0..50 as ASCII digits: ⑫ -> "12".
void CharTable::SetBmpDigits(uint32_t cp, unsigned value) {
  if (value < 10) {
    SetBmp(cp, kAlnum, '0' + value);
    return;
  }
  bmp_[cp] = (static_cast<uint32_t>(kAlnum) << kClassShift) | kMultiBit | (2u << kLenShift) |
             (('0' + value / 10) | (('0' + value % 10) << 8));
}

CharTable::CharTable() : bmp_(new uint32_t[0x10000]) {
  // ASCII.
  for (int m = 0; m < 3; ++m) {
    for (int b = 0; b < 128; ++b) {
      CharClass c = kOther;
      if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')) {
        c = kAlnum;
      } else if (b == ' ' || b == '\t' || b == '\v' || b == '\f') {
        c = kSpace;
      } else if (b == '\n' || b == '\r') {
        c = m == kAsciiPlain ? kBreak : kSpace;
      } else if (std::strchr("#&*+-./=@\\^_`|~", b) != nullptr) {
        c = kFiller;
      }
      if (m == kAsciiHtml && b == '<') c = kTagOpen;
      if (m == kAsciiHtml && b == '&') c = kEntity;
      ascii_[m][b] = c;
    }
  }
  for (int m = 0; m < 2; ++m) {
    for (int b = 0; b < 128; ++b) {
      ascii_plain_[m][b] =
          (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || ascii_[m][b] == kOther;
    }
  }

  // BMP: classes by range first, then replacements.
  for (uint32_t cp = 0; cp < 0x10000; ++cp) {
    CharClass c = kOther;
    if (cp < 0x80) {
      c = ascii_[kAsciiPlain][cp];
    } else if (IsHan(cp)) {
      c = kCjk;
    } else if ((cp >= 0x2010 && cp <= 0x2017) || (cp >= 0x2020 && cp <= 0x2024) || cp == 0x2027 ||
               (cp >= 0x2030 && cp <= 0x205E) || (cp >= 0x2190 && cp <= 0x245F) ||
               (cp >= 0x2500 && cp <= 0x2BFF) || (cp >= 0x2E00 && cp <= 0x2E7F) ||
               (cp >= 0x02B0 && cp <= 0x02FF)) {
      // Dashes, bullets, arrows, math and technical symbols, box drawing,
      // geometric shapes, dingbats, supplemental punctuation, modifier marks.
      c = kFiller;
    }
    SetBmp(cp, c, 0);
  }
  // Sentence punctuation and quotes inside the filler ranges stay kOther.
  for (uint32_t cp : {0x2039u, 0x203Au, 0x203Cu, 0x203Du, 0x2047u, 0x2048u, 0x2049u, 0x2030u}) {
    SetBmp(cp, kOther, 0);
  }
  for (uint32_t cp : {0x00A6u, 0x00A8u, 0x00AFu, 0x00B4u, 0x00B7u, 0x00B8u, 0x00D7u, 0x3003u,
                      0x3004u, 0x3012u, 0x3013u, 0x301Cu, 0x3020u, 0x3030u, 0x303Du, 0x30FBu}) {
    SetBmp(cp, kFiller, 0);
  }
  // Spaces -> ' '; invisible characters; line separators.
  for (uint32_t cp : {0x00A0u, 0x1680u, 0x202Fu, 0x205Fu, 0x3000u, 0x2800u})
    SetBmp(cp, kSpace, ' ');
  for (uint32_t cp = 0x2000; cp <= 0x200A; ++cp) SetBmp(cp, kSpace, ' ');
  for (uint32_t cp :
       {0x00ADu, 0x034Fu, 0x061Cu, 0x115Fu, 0x1160u, 0x180Eu, 0x3164u, 0xFEFFu, 0xFFA0u}) {
    SetBmp(cp, kZeroWidth, 0);
  }
  for (uint32_t cp = 0x200B; cp <= 0x200F; ++cp) SetBmp(cp, kZeroWidth, 0);
  for (uint32_t cp = 0x202A; cp <= 0x202E; ++cp) SetBmp(cp, kZeroWidth, 0);
  for (uint32_t cp = 0x2060; cp <= 0x206F; ++cp) SetBmp(cp, kZeroWidth, 0);
  for (uint32_t cp = 0xFE00; cp <= 0xFE0F; ++cp) SetBmp(cp, kZeroWidth, 0);
  for (uint32_t cp = 0xFFF9; cp <= 0xFFFB; ++cp) SetBmp(cp, kZeroWidth, 0);
  for (uint32_t cp : {0x0085u, 0x2028u, 0x2029u}) SetBmp(cp, kLineSep, 0);

  // Full-width ASCII -> ASCII (letters lower-cased), except the punctuation
  // Chinese text writes full-width as its own: ！（），：；？～ keep their form
  // (and the class of their ASCII twin: ～ is a filler, ， is not).
  for (uint32_t cp = 0xFF01; cp <= 0xFF5E; ++cp) {
    uint32_t a = cp - 0xFEE0;
    const bool keep = std::strchr("!(),:;?~", static_cast<int>(a)) != nullptr;
    if (a >= 'A' && a <= 'Z') a += 'a' - 'A';
    SetBmp(cp, ascii_[kAsciiPlain][a], keep ? 0 : a);
  }
  SetBmp(0xFF0B, kPlus, 0);         // ＋
  SetBmp(0x2795, kPlus, 0);         // ➕
  SetBmp(0xFF61, kOther, 0x3002);   // halfwidth ｡ -> 。
  SetBmp(0xFF64, kOther, 0x3001);   // ､ -> 、
  SetBmp(0xFF65, kFiller, 0x30FB);  // ･ -> ・

  // Number forms -> ASCII digits. Chinese numerals (一二三) stay as they are.
  SetBmp(0x00B9, kAlnum, '1');
  SetBmp(0x00B2, kAlnum, '2');
  SetBmp(0x00B3, kAlnum, '3');
  SetBmp(0x2070, kAlnum, '0');
  for (uint32_t d = 4; d <= 9; ++d) SetBmp(0x2070 + d, kAlnum, '0' + d);  // ⁴..⁹
  for (uint32_t d = 0; d <= 9; ++d) SetBmp(0x2080 + d, kAlnum, '0' + d);  // ₀..₉
  for (unsigned n = 1; n <= 20; ++n) {
    SetBmpDigits(0x2460 + n - 1, n);  // ①..⑳
    SetBmpDigits(0x2474 + n - 1, n);  // ⑴..⒇
    SetBmpDigits(0x2488 + n - 1, n);  // ⒈..⒛
  }
  for (unsigned n = 11; n <= 20; ++n) SetBmpDigits(0x24EB + n - 11, n);  // ⓫..⓴
  for (unsigned n = 1; n <= 10; ++n) {
    SetBmpDigits(0x24F5 + n - 1, n);  // ⓵..⓾
    SetBmpDigits(0x2776 + n - 1, n);  // ❶..❿
    SetBmpDigits(0x2780 + n - 1, n);  // ➀..➉
    SetBmpDigits(0x278A + n - 1, n);  // ➊..➓
  }
  SetBmpDigits(0x24EA, 0);                                               // ⓪
  SetBmpDigits(0x24FF, 0);                                               // ⓿
  for (unsigned n = 21; n <= 35; ++n) SetBmpDigits(0x3251 + n - 21, n);  // ㉑..㉟
  for (unsigned n = 36; n <= 50; ++n) SetBmpDigits(0x32B1 + n - 36, n);  // ㊱..㊿
  // Enclosed and letter-like Latin letters -> a-z.
  for (uint32_t i = 0; i < 26; ++i) {
    SetBmp(0x249C + i, kAlnum, 'a' + i);  // ⒜
    SetBmp(0x24B6 + i, kAlnum, 'a' + i);  // Ⓐ
    SetBmp(0x24D0 + i, kAlnum, 'a' + i);  // ⓐ
  }
  static constexpr struct {
    uint16_t cp;
    char letter;
  } kLetterlike[] = {{0x2102, 'c'}, {0x210A, 'g'}, {0x210B, 'h'}, {0x210C, 'h'}, {0x210D, 'h'},
                     {0x210E, 'h'}, {0x2110, 'i'}, {0x2111, 'i'}, {0x2112, 'l'}, {0x2113, 'l'},
                     {0x2115, 'n'}, {0x2119, 'p'}, {0x211A, 'q'}, {0x211B, 'r'}, {0x211C, 'r'},
                     {0x211D, 'r'}, {0x2124, 'z'}, {0x2128, 'z'}, {0x212C, 'b'}, {0x212D, 'c'},
                     {0x212F, 'e'}, {0x2130, 'e'}, {0x2131, 'f'}, {0x2133, 'm'}, {0x2134, 'o'},
                     {0x2139, 'i'}};
  for (const auto& l : kLetterlike) SetBmp(l.cp, kAlnum, static_cast<uint32_t>(l.letter));

  // Look-alike markers.
  for (uint32_t cp = 0; cp < 0x10000; ++cp) {
    if (IsHeart(cp)) SetBmp(cp, kHeart, 0);
  }

  // Han folding: radicals and compatibility ideographs, then traditional ->
  // simplified (the generated table; pairs above the BMP are looked up there).
  for (const CodePointPair& p : kHanCompat) SetBmp(p.from, kCjk, p.to);
  for (const CodePointPair& p : kT2sPairs) {
    if (p.from < 0x10000) SetBmp(p.from, kCjk, p.to);
  }

  // Financial (anti-fraud) numerals and 〇, used to write amounts and times
  // around digit filters: 壹贰叁 -> 一二三, 拾 -> 十, 〇 -> 零, so the rules'
  // Chinese-numeral classes read them ("只卖叁拾分钟", "〇元领"). After the
  // traditional table, so 貳 and 陸 fold straight to the numeral.
  static constexpr CodePointPair kFinancialNumerals[] = {
      {0x58F9, 0x4E00}, {0x8D30, 0x4E8C}, {0x8CB3, 0x4E8C}, {0x53C1, 0x4E09}, {0x8086, 0x56DB},
      {0x4F0D, 0x4E94}, {0x9646, 0x516D}, {0x9678, 0x516D}, {0x67D2, 0x4E03}, {0x634C, 0x516B},
      {0x7396, 0x4E5D}, {0x62FE, 0x5341}, {0x3007, 0x96F6}};
  for (const CodePointPair& p : kFinancialNumerals) SetBmp(p.from, kCjk, p.to);

  // Plain 3-byte characters (see the header); 信 and 新 end look-alike rules
  // (薇信 -> 微信, 微新 -> 微信), so they take the slow path.
  std::memset(special_, 0xFF, sizeof(special_));
  for (uint32_t cp = 0x800; cp < 0x10000; ++cp) {
    const uint32_t c = bmp_[cp] >> kClassShift;
    if ((c == kCjk || c == kOther) && ((bmp_[cp] >> kLenShift) & 3) == 0 && cp != 0x4FE1 &&
        cp != 0x65B0 && !(cp >= 0xD800 && cp <= 0xDFFF)) {
      special_[cp >> 6] &= ~(uint64_t{1} << (cp & 63));
    }
  }
}

CharInfo CharTable::Supplementary(uint32_t cp) const {
  CharInfo info;
  auto letter = [&info](uint32_t i) {
    info.cls = kAlnum;
    info.len = 1;
    info.bytes = 'a' + i;
  };
  if (cp >= 0x1D400 && cp <= 0x1D6A3) {  // math alphanumerics: 13 alphabets of A-Z a-z
    letter((cp - 0x1D400) % 52 % 26);
  } else if (cp == 0x1D6A4 || cp == 0x1D6A5) {  // dotless i, j
    letter(cp == 0x1D6A4 ? 'i' - 'a' : 'j' - 'a');
  } else if (cp >= 0x1D7CE && cp <= 0x1D7FF) {  // math digits: 5 sets of 0-9
    info.cls = kAlnum;
    info.len = 1;
    info.bytes = '0' + (cp - 0x1D7CE) % 10;
  } else if ((cp >= 0x1F110 && cp <= 0x1F129) || (cp >= 0x1F130 && cp <= 0x1F149) ||
             (cp >= 0x1F150 && cp <= 0x1F169) || (cp >= 0x1F170 && cp <= 0x1F189)) {
    letter((cp - 0x1F110) % 32);  // parenthesized, squared, negative circled/squared A-Z
  } else if (cp >= 0x1F100 && cp <= 0x1F10A) {  // 🄀 🄁..🄊: digit with full stop / comma
    info.cls = kAlnum;
    info.len = 1;
    info.bytes = '0' + (cp == 0x1F100 ? 0 : cp - 0x1F101);
  } else if (IsHeart(cp)) {
    info.cls = kHeart;
  } else if (cp >= 0x1F3FB && cp <= 0x1F3FF) {  // skin tone modifiers
    info.cls = kZeroWidth;
  } else if (IsSupplementarySymbol(cp)) {
    info.cls = kFiller;
  } else if ((cp >= 0xE0000 && cp <= 0xE007F) || (cp >= 0xE0100 && cp <= 0xE01EF)) {
    info.cls = kZeroWidth;  // tag characters, variation selectors supplement
  } else if (IsHan(cp)) {
    info.cls = kCjk;
    const CodePointPair* end = std::end(kT2sPairs);
    const CodePointPair* it =
        std::lower_bound(std::begin(kT2sPairs), end, cp,
                         [](const CodePointPair& p, uint32_t v) { return p.from < v; });
    if (it != end && it->from == cp)
      info.len = static_cast<uint8_t>(EncodeUtf8(it->to, &info.bytes));
  }
  return info;
}

}  // namespace normalize_internal
}  // namespace catscan
